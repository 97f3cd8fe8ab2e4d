import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { read, show, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const keyVaultSoftDeletePurgeProtection: ResourceRule = {
    name: "keyvault-soft-delete-purge-protection",
    description: "Key Vaults keep soft delete on and enable purge protection.",
    severity: "high",
    remediation:
        "Leave `properties.enableSoftDelete` unset or true and set `properties.enablePurgeProtection: true`; use a random suffix in vault " +
        "names so a deleted vault's name is never needed again.",
    anchors: {
        checkov: ["CKV_AZURE_42", "CKV_AZURE_110"],
        psrule: ["Azure.KeyVault.SoftDelete", "Azure.KeyVault.PurgeProtect"],
    },
    builtins: [
        { id: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", displayName: "Key vaults should have deletion protection enabled" },
        { id: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", displayName: "Key vaults should have soft delete enabled" },
    ],
    mcsb: ["DP-8"],
    service: "keyvault",
    defaultLevel: "mandatory",
    justification:
        "Without purge protection anyone who can delete the vault can destroy every secret and key for good; it costs nothing, and vault names carry a random suffix, so teardown is not blocked.",
    resourceTypes: [types.vault, classic.keyVault],
    check(resource) {
        if (resource.type === classic.keyVault) {
            // Soft delete cannot be turned off in the classic provider (only its retention days); purge protection defaults to false.
            return checkSetting(resource, classicFlag("purgeProtectionEnabled", true, false));
        }
        const found: Violation[] = [];
        const softDelete = read(resource.props, "properties.enableSoftDelete");
        if (softDelete === false) {
            found.push(violation(resource, "properties.enableSoftDelete", "is false; leave it unset or set it to true."));
        }
        const purge = read(resource.props, "properties.enablePurgeProtection");
        if (!isUnknown(purge) && purge !== true) {
            found.push(violation(resource, "properties.enablePurgeProtection", `is ${show(purge)}; set it to true.`));
        }
        return found;
    },
};
