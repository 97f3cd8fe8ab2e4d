import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const appConfigLocalAuthDisabled: ResourceRule = {
    name: "appconfig-local-auth-disabled",
    description: "App Configuration stores refuse access keys (disableLocalAuth: true).",
    severity: "high",
    remediation: "Set `disableLocalAuth: true`; apps connect with the store endpoint and a managed identity holding App Configuration Data Reader.",
    anchors: {
        psrule: ["Azure.AppConfig.DisableLocalAuth"],
    },
    builtins: [
        { id: "b08ab3ca-1062-4db3-8803-eec9cae605d6", displayName: "App Configuration stores should have local authentication methods disabled" },
    ],
    mcsb: ["IM-1"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "An App Configuration connection string is a long-lived secret that reads every key; an identity with a data-plane role replaces it.",
    resourceTypes: [types.appConfigurationStore],
    check: (resource) => requireBoolean(resource, "disableLocalAuth", true, "set it to true (Azure's default keeps access keys working)."),
};
