import { needsInfrastructure } from "../../lib/levels";
import { companionsOf, text } from "../../lib/companions";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { StackResource, StackRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/** The resources Azure's "Resource logs in ... should be enabled" built-ins cover, with their built-in. */
const targets: string[] = [types.vault, types.webApp, types.managedCluster, types.logicWorkflow, types.serviceBusNamespace];

/** As the built-ins count it: an enabled log entry, whose retention (if it keeps any) is 0 (forever) or at least 365 days. */
function keepsLogs(setting: StackResource): boolean | undefined {
    const logs = read(setting.props, "logs");
    if (isUnknown(logs)) {
        return undefined;
    }
    if (!Array.isArray(logs)) {
        return false;
    }
    return logs.some((entry) => {
        if (read(entry, "enabled") !== true) {
            return false;
        }
        const retained = read(entry, "retentionPolicy.enabled") === true;
        const days = read(entry, "retentionPolicy.days");
        return !retained || days === 0 || (typeof days === "number" && days >= 365);
    });
}

export const diagnosticLogsEnabled: StackRule = {
    name: "diagnostic-logs-enabled",
    description: "Key vaults, App Service sites, AKS clusters, Logic Apps and Service Bus namespaces send resource logs through a diagnostic setting.",
    severity: "low",
    remediation:
        "Declare a `monitor.DiagnosticSetting` with `resourceUri` set to the resource's ID, at least one enabled log category (or `categoryGroup: \"allLogs\"`), " +
        "and a Log Analytics workspace as destination.",
    anchors: {},
    builtins: [
        { id: "cf820ca0-f99e-4f3e-84fb-66e913812d21", displayName: "Resource logs in Key Vault should be enabled" },
        { id: "91a78b24-f231-4a8a-8da9-02c35b2b6510", displayName: "App Service apps should have resource logs enabled" },
        { id: "245fc9df-fa96-4414-9a0b-3738c2f7341c", displayName: "Resource logs in Azure Kubernetes Service should be enabled" },
        { id: "34f95f76-5386-4de7-b824-0d8478470c9d", displayName: "Resource logs in Logic Apps should be enabled" },
        { id: "f8d36e2f-389b-4ee4-898d-21aeb69a0f45", displayName: "Resource logs in Service Bus should be enabled" },
    ],
    mcsb: ["LT-3"],
    service: "monitoring",
    defaultLevel: needsInfrastructure,
    justification: "Without resource logs nobody can tell which identity read a secret or deployed code; it needs a log destination, so it warns (advisory) rather than blocks unless the config raises it (advisory in dev and prod).",
    checkStack(resources) {
        const settings = resources.filter((resource) => resource.type === types.diagnosticSetting);
        const lookup = companionsOf(settings, { targetId: (setting) => text(read(setting.props, "resourceUri")) });
        const found: Violation[] = [];
        for (const target of resources.filter((resource) => targets.includes(resource.type))) {
            const results = lookup(target).map(keepsLogs);
            if (results.includes(true) || results.includes(undefined)) {
                continue;
            }
            found.push(
                violation(
                    target,
                    "diagnosticSettings",
                    results.length === 0
                        ? "no diagnostic setting targets it, and Azure keeps no resource logs by default; declare one with an enabled log category."
                        : "its diagnostic settings enable no log category (or keep them under 365 days); enable one.",
                ),
            );
        }
        return found;
    },
};
