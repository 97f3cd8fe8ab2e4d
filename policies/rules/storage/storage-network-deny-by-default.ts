import { needsInfrastructure } from "../../lib/levels";
import { classic, forTypes } from "../../lib/classic";
import { checkSettingsByType, equalsText, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "networkRuleSet.defaultAction",
    accept: equalsText("Deny"),
    absent: { passes: false, azureDefault: "Allow" },
    fix: "set it to \"Deny\".",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.storageAccount], [setting]),
    ...forTypes([classic.storageAccount], [{ ...setting, path: "networkRules.defaultAction", absent: { passes: false, azureDefault: "Allow" } }]),
};

export const storageNetworkDenyByDefault: ResourceRule = {
    name: "storage-network-deny-by-default",
    description: "Storage account firewalls deny by default (networkRuleSet.defaultAction: Deny).",
    severity: "medium",
    remediation: "Set `networkRuleSet: { defaultAction: \"Deny\", virtualNetworkRules: [...] }` or disable public network access.",
    anchors: {},
    builtins: [
        { id: "34c877ad-507e-4c82-993e-3452a6e0ad3c", displayName: "Storage accounts should restrict network access" },
        { id: "2a1a9cdf-e04d-429a-8416-3bfb72a1b26f", displayName: "Storage accounts should restrict network access using virtual network rules", coverage: "partial" },
    ],
    mcsb: ["NS-2"],
    service: "storage",
    defaultLevel: needsInfrastructure,
    justification: "An open firewall lets any network try stolen tokens; it needs VNet rules or private endpoints first, so it warns (advisory) rather than blocks unless the config raises it (advisory in dev and prod).",
    resourceTypes: [types.storageAccount, classic.storageAccount],
    check: (resource) => checkSettingsByType(resource, settings),
};
