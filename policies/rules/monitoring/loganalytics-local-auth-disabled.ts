import { checkSetting, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "features.disableLocalAuth",
    accept: (value) => value === true,
    absent: { passes: false, azureDefault: "shared keys accepted" },
    fix: "set it to true.",
};

export const logAnalyticsLocalAuthDisabled: ResourceRule = {
    name: "loganalytics-local-auth-disabled",
    description: "Log Analytics workspaces accept only Entra-authenticated ingestion.",
    severity: "medium",
    remediation: "Set `features: { disableLocalAuth: true }` and send data with the Azure Monitor agent or a managed identity.",
    anchors: {},
    builtins: [
        { id: "e15effd4-2278-4c65-a0da-4d6f6d1890e2", displayName: "Log Analytics Workspaces should block non-Azure Active Directory based ingestion." },
    ],
    mcsb: ["IM-1"],
    service: "monitoring",
    defaultLevel: "mandatory",
    justification: "The workspace shared keys are standing credentials; Entra-only ingestion removes them.",
    resourceTypes: [types.logAnalyticsWorkspace],
    check: (resource) => checkSetting(resource, setting),
};
