import { read, violation } from "../../lib/props";
import { roleGuid } from "../../lib/roles";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/**
 * Key Vault Crypto Service Encryption User (read key metadata, wrap and unwrap:
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-service-encryption-user).
 * Key Vault's RBAC takes assignments on a single key (https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
 * That guide prefers vault scope with one vault per application; a key-encryption vault is the exception it leaves
 * room for, since it holds the keys of several services and each service's identity must unwrap with its own only.
 */
export const cryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

const keyScope = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/[^/]+\/keys\/[^/]+$/i;

/** What a scope that is not one key is, for the message. */
function breadth(scope: string): string {
    const s = scope.trim().replace(/\/+$/, "");
    if (/\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/i.test(s)) {
        return "the vault";
    }
    if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(s)) {
        return "the resource group";
    }
    if (/^\/subscriptions\/[^/]+$/i.test(s)) {
        return "the subscription";
    }
    if (s === "" || /^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/i.test(s)) {
        return "a management group or the root";
    }
    return "";
}

export const encryptionGrantAtKeyScope: ResourceRule = {
    name: "encryption-grant-at-key-scope",
    description: "Key Vault Crypto Service Encryption User is granted on one key (`.../vaults/<vault>/keys/<key>`), never on a vault, resource group or subscription.",
    severity: "medium",
    remediation:
        "Set the role assignment's `scope` to the key's resource ID (`/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault>/keys/<key>`), " +
        "one assignment per service identity and key, as the Keyless components' `customerManagedKey` does.",
    anchors: {},
    builtins: [],
    mcsb: ["PA-7", "DP-6"],
    service: "access",
    defaultLevel: "mandatory",
    justification:
        "At vault scope the role wraps and unwraps with every key in the vault, present and future, so one service's identity could unwrap another service's data-encryption keys; " +
        "a key-scope grant costs nothing more to declare and neither stack grants the role any other way, so the rule blocks.",
    resourceTypes: [types.roleAssignment],
    check(resource) {
        if (roleGuid(read(resource.props, "roleDefinitionId")) !== cryptoServiceEncryptionUser) {
            return [];
        }
        const scope = read(resource.props, "scope");
        // At preview the key's ID is usually not known yet; the update run judges the real scope.
        if (isUnknown(scope) || typeof scope !== "string" || keyScope.test(scope.trim().replace(/\/+$/, ""))) {
            return [];
        }
        const what = breadth(scope);
        const fix = "scope it to the one key (.../vaults/<vault>/keys/<key>)";
        return [
            violation(
                resource,
                "scope",
                what === ""
                    ? `is ${JSON.stringify(scope)}, not a Key Vault key; ${fix}.`
                    : `is ${what} ${JSON.stringify(scope)}; Key Vault Crypto Service Encryption User there wraps and unwraps with every key in it: ${fix}.`,
            ),
        ];
    },
};
