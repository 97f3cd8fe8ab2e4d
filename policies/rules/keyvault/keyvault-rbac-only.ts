import { classic } from "../../lib/classic";
import { read, show, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const keyVaultRbacOnly: ResourceRule = {
    name: "keyvault-rbac-only",
    description: "Key Vaults use Azure RBAC for data-plane access: enableRbacAuthorization is true, there are no inline access policies and no standalone AccessPolicy resources.",
    severity: "high",
    remediation:
        "Set `properties.enableRbacAuthorization: true`, remove `accessPolicies` and any `keyvault.AccessPolicy` resources, and grant " +
        "identities Key Vault roles at vault scope (Key Vault Secrets User for workloads).",
    anchors: {
        psrule: ["Azure.KeyVault.RBAC"],
    },
    builtins: [
        { id: "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5", displayName: "Azure Key Vault should use RBAC permission model" },
    ],
    mcsb: ["PA-7"],
    service: "keyvault",
    defaultLevel: "mandatory",
    justification:
        "Access policies grant vault-wide permissions outside Azure RBAC, so the access review and the grant rules cannot see them; " +
        "mixing them with RBAC is undefined behaviour (switching a vault to RBAC invalidates every policy).",
    resourceTypes: [types.vault, types.vaultAccessPolicy, classic.keyVault, classic.keyVaultAccessPolicy],
    check(resource) {
        if (resource.type === types.vaultAccessPolicy) {
            return [violation(resource, "policy", "declares a vault access policy; grant a Key Vault RBAC role at vault scope instead.")];
        }
        if (resource.type === classic.keyVaultAccessPolicy) {
            return [violation(resource, "objectId", "declares a vault access policy; grant a Key Vault RBAC role at vault scope instead.")];
        }
        const isClassic = resource.type === classic.keyVault;
        const found: Violation[] = [];
        // Classic: `rbacAuthorizationEnabled` (its deprecated spelling `enableRbacAuthorization` still works), default false.
        const rbacPath = isClassic ? (read(resource.props, "enableRbacAuthorization") !== undefined ? "enableRbacAuthorization" : "rbacAuthorizationEnabled") : "properties.enableRbacAuthorization";
        const rbac = read(resource.props, rbacPath);
        if (!isUnknown(rbac) && rbac !== true) {
            found.push(violation(resource, rbacPath, `is ${show(rbac)}${isClassic && rbac === undefined ? " (the classic provider's default is false)" : ""}; set it to true.`));
        }
        const policies = read(resource.props, isClassic ? "accessPolicies" : "properties.accessPolicies");
        if (Array.isArray(policies) && policies.length > 0) {
            const count = `${policies.length} access polic${policies.length === 1 ? "y" : "ies"}`;
            found.push(violation(resource, isClassic ? "accessPolicies" : "properties.accessPolicies", `lists ${count}; remove them and use RBAC roles.`));
        }
        return found;
    },
};
