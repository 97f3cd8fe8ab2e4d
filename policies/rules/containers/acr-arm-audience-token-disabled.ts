import { checkSetting, equalsText, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "policies.azureADAuthenticationAsArmPolicy.status",
    accept: equalsText("disabled"),
    absent: { passes: false, azureDefault: "enabled" },
    fix: "set it to \"disabled\".",
};

export const acrArmAudienceTokenDisabled: ResourceRule = {
    name: "acr-arm-audience-token-disabled",
    description: "Container registries refuse ARM-audience Entra tokens for registry access.",
    severity: "medium",
    remediation: "Set `policies: { azureADAuthenticationAsArmPolicy: { status: \"disabled\" } }`; clients then need tokens scoped to the registry.",
    anchors: {},
    builtins: [
        { id: "42781ec6-6127-4c30-bdfa-fb423a0047d3", displayName: "Container registries should have ARM audience token authentication disabled." },
    ],
    mcsb: ["IM-1"],
    service: "containers",
    defaultLevel: "advisory",
    justification: "A token minted for Azure Resource Manager should not also open the registry; older tooling still relies on it, so it warns.",
    resourceTypes: [types.containerRegistry],
    check: (resource) => checkSetting(resource, setting),
};
