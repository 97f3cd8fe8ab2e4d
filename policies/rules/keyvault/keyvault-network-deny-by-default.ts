import { classic } from "../../lib/classic";
import { read, show, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const keyVaultNetworkDenyByDefault: ResourceRule = {
    name: "keyvault-network-deny-by-default",
    description: "Key Vaults deny network access by default (networkAcls.defaultAction Deny, or public network access disabled).",
    severity: "medium",
    remediation:
        "Set `properties.networkAcls: { defaultAction: \"Deny\", bypass: \"AzureServices\", ipRules/virtualNetworkRules for callers }` or " +
        "`properties.publicNetworkAccess: \"Disabled\"` with a private endpoint. The identity that deploys secrets needs network reach too.",
    anchors: {
        checkov: ["CKV_AZURE_109"],
        psrule: ["Azure.KeyVault.Firewall"],
    },
    builtins: [
        { id: "55615ac9-af46-4a59-874e-391cc3dfb490", displayName: "Azure Key Vault should have firewall enabled or public network access disabled" },
    ],
    mcsb: ["NS-2"],
    service: "keyvault",
    defaultLevel: "advisory",
    justification:
        "RBAC already gates every read; closing the network also needs runner IPs or private endpoints that a dev stack usually lacks, so it warns by default and config.prod.json makes it mandatory.",
    resourceTypes: [types.vault, classic.keyVault],
    check(resource) {
        const isClassic = resource.type === classic.keyVault;
        const publicAccess = read(resource.props, isClassic ? "publicNetworkAccessEnabled" : "properties.publicNetworkAccess");
        if (isUnknown(publicAccess) || publicAccess === false || (typeof publicAccess === "string" && publicAccess.toLowerCase() === "disabled")) {
            return [];
        }
        const actionPath = isClassic ? "networkAcls.defaultAction" : "properties.networkAcls.defaultAction";
        const action = read(resource.props, actionPath);
        if (isUnknown(action) || (typeof action === "string" && action.toLowerCase() === "deny")) {
            return [];
        }
        const alternative = isClassic ? "publicNetworkAccessEnabled to false" : 'properties.publicNetworkAccess to "Disabled"';
        return [violation(resource, actionPath, `is ${show(action)} (Azure's default is Allow); set it to "Deny" or set ${alternative}.`)];
    },
};
