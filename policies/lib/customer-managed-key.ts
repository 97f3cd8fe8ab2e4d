import { read } from "./props";
import { equalsText, SettingSpec } from "./setting";
import { RuleMetadata, RuleResource } from "./types";
import { isUnknown } from "./unknown";

/**
 * What the customer-managed-key rules share. Each judges the property its Azure Policy built-in judges, compared
 * case-insensitively as Azure Policy compares strings (Storage spells the value `Microsoft.Keyvault`, the messaging
 * providers `Microsoft.KeyVault`). They say whether the service encrypts with a Key Vault key; the grant that lets
 * its identity use the key is judged by encryption-grant-at-key-scope.
 */

/** The `encryption.keySource` check of the Storage, Service Bus and Event Hubs built-ins. */
export function keySourceSpec(value: string): SettingSpec {
    return {
        path: "encryption.keySource",
        accept: equalsText("Microsoft.KeyVault"),
        absent: { passes: false, azureDefault: "Microsoft-managed keys" },
        fix: `set it to "${value}" ${withKey("keyVaultProperties")}.`,
    };
}

/** How every fix ends (`where` names the key): the shape that keeps rotation automatic and the key's reader narrow. */
export function withKey(where: string): string {
    return `with ${where} naming the key without a version (rotation then needs no redeploy) and a user-assigned identity holding Key Vault Crypto Service Encryption User on that key`;
}

/**
 * A SKU as the pack sees it: `sku.tier` (what Azure reports and the built-ins read) or, in a program's inputs where
 * the tier is often left out, `sku.name`. `undefined` when not known at preview; `""` when absent.
 */
export function skuOf(resource: RuleResource): string | undefined {
    const tier = read(resource.props, "sku.tier");
    const name = read(resource.props, "sku.name");
    if (typeof tier === "string" && tier !== "") {
        return tier;
    }
    if (isUnknown(tier) || isUnknown(name)) {
        return undefined;
    }
    return typeof name === "string" ? name : "";
}

/** True when the SKU is known and Premium. */
export function isPremium(resource: RuleResource): boolean {
    return skuOf(resource)?.toLowerCase() === "premium";
}

/**
 * The metadata the customer-managed-key rules share: advisory by default (a key needs a vault and a grant first),
 * mandatory in config.prod.json. `platform` says what already encrypts the service's data without one.
 */
export function customerManagedKeyMetadata(platform: string, needs = "a key vault and a grant"): Pick<RuleMetadata, "severity" | "anchors" | "mcsb" | "defaultLevel" | "justification"> {
    return {
        severity: "low",
        anchors: {},
        mcsb: ["DP-5"],
        defaultLevel: "advisory",
        justification:
            `${platform}; a customer-managed key is a custody requirement (rotate, revoke, audit the key) that needs ${needs} first, ` +
            "so it warns by default and config.prod.json makes it mandatory.",
    };
}
