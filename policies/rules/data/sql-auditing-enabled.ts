import { companionsOf, text } from "../../lib/companions";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { StackRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const sqlAuditingEnabled: StackRule = {
    name: "sql-auditing-enabled",
    description: "Azure SQL logical servers have auditing on (a ServerBlobAuditingPolicy with state Enabled).",
    severity: "low",
    remediation: "Declare `sql.ServerBlobAuditingPolicy` for the server with `state: \"Enabled\"` and `isAzureMonitorTargetEnabled: true`.",
    anchors: { psrule: ["Azure.SQL.Auditing"] },
    builtins: [{ id: "a6fb4358-5bf4-4ad7-ba82-2cd2f41ce5e9", displayName: "Auditing on SQL server should be enabled" }],
    mcsb: ["LT-3"],
    service: "data",
    defaultLevel: "advisory",
    justification: "Auditing records which identity ran which query; Azure leaves it off, and where the audit goes is an operations choice, so it warns.",
    checkStack(resources) {
        const policies = resources.filter((resource) => resource.type === types.sqlServerAuditing);
        // Inputs name the server (`serverName`); a server's own outputs carry its `name`.
        const lookup = companionsOf(policies, { targetName: (policy) => text(read(policy.props, "serverName")) });
        const found: Violation[] = [];
        for (const server of resources.filter((resource) => resource.type === types.sqlServer)) {
            const states = lookup(server).map((policy) => read(policy.props, "state"));
            if (states.some((state) => isUnknown(state) || state === "Enabled")) {
                continue;
            }
            found.push(violation(server, "auditingSettings", "has no ServerBlobAuditingPolicy with state \"Enabled\", and Azure's default is auditing off; declare one."));
        }
        return found;
    },
};
