import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const keyVaultSecretExpiry: ResourceRule = {
    name: "keyvault-secret-expiry",
    description: "Key Vault secrets declare an expiry date (properties.attributes.expires).",
    severity: "low",
    remediation: "Set `properties.attributes.expires` (seconds since 1970) and rotate the secret before it expires.",
    anchors: { checkov: ["CKV_AZURE_41"] },
    builtins: [{ id: "98728c90-32c7-4049-8429-847dc0f4fe37", displayName: "Key Vault secrets should have an expiration date" }],
    mcsb: ["DP-6"],
    service: "keyvault",
    defaultLevel: "advisory",
    justification: "A secret without an expiry is never forced through rotation; third-party keys often cannot be rotated on a schedule, so it only warns.",
    resourceTypes: [types.vaultSecret],
    check(resource) {
        const expires = read(resource.props, "properties.attributes.expires");
        return isUnknown(expires) || typeof expires === "number"
            ? []
            : [violation(resource, "properties.attributes.expires", "is not set, and Key Vault secrets never expire by default; set an expiry and rotate before it.")];
    },
};
