import { needsInfrastructure } from "../../lib/levels";
import { checkSetting, equalsText, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const settings: SettingSpec[] = ["publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"].map((path) => ({
    path,
    accept: equalsText("Disabled"),
    absent: { passes: false, azureDefault: "Enabled" },
    fix: 'set it to "Disabled" and reach the workspace through an Azure Monitor Private Link Scope.',
}));

export const logAnalyticsPublicNetworkDisabled: ResourceRule = {
    name: "loganalytics-public-network-disabled",
    description: "Log Analytics workspaces take no ingestion or queries from public networks.",
    severity: "medium",
    remediation: "Set `publicNetworkAccessForIngestion` and `publicNetworkAccessForQuery` to \"Disabled\" and use an Azure Monitor Private Link Scope.",
    anchors: {},
    builtins: [{ id: "6c53d030-cc64-46f0-906d-2bc061cd1334", displayName: "Log Analytics workspaces should block log ingestion and querying from public networks" }],
    mcsb: ["NS-2"],
    service: "monitoring",
    defaultLevel: needsInfrastructure,
    justification: "Public ingestion and query endpoints are reachable with any valid token; closing them needs a Private Link Scope, so it warns (advisory) rather than blocks unless the config raises it: advisory in dev, mandatory in prod.",
    resourceTypes: [types.logAnalyticsWorkspace],
    check: (resource) => settings.flatMap((setting) => checkSetting(resource, setting)),
};
