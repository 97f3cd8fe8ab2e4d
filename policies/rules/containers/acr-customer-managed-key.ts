import { customerManagedKeyMetadata, skuOf, withKey } from "../../lib/customer-managed-key";
import { read, show, violation } from "../../lib/props";
import { equalsText } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

const path = "encryption.status";
const enabled = equalsText("enabled");
const key = withKey("encryption.keyVaultProperties.keyIdentifier");

/**
 * The built-in flags every registry whose `encryption.status` is not "enabled", whatever its SKU, yet only Premium
 * registries take a customer-managed key, and only when they are created
 * (https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys). So the rule flags them all,
 * as the built-in does, and tells a Basic or Standard registry that the fix starts with the SKU.
 */
export const acrCustomerManagedKey: ResourceRule = {
    name: "acr-customer-managed-key",
    description: "Container registries encrypt their content with a customer-managed key from Key Vault (`encryption.status: enabled`, Premium only).",
    remediation:
        "Create the registry on Premium with `encryption: { status: \"enabled\", keyVaultProperties: { keyIdentifier: <versionless key URI>, identity: <client ID> } }`, " +
        "where the identity is a user-assigned identity attached to the registry that holds Key Vault Crypto Service Encryption User on the key. " +
        "Azure takes the key only at creation, so an existing registry is replaced.",
    builtins: [{ id: "5b9159ae-1701-4a6f-9a7a-aa9c8ddd0580", displayName: "Container registries should be encrypted with a customer-managed key" }],
    ...customerManagedKeyMetadata("Service-managed keys already encrypt every registry", "Premium, a key vault and a grant"),
    service: "containers",
    resourceTypes: [types.containerRegistry],
    check(resource) {
        const status = read(resource.props, path);
        if (isUnknown(status) || enabled(status)) {
            return [];
        }
        const now = status === undefined || status === null || status === "" ? "is not set, and Azure's default is disabled" : `is ${show(status)}`;
        const sku = skuOf(resource);
        if (sku === undefined || sku.toLowerCase() === "premium") {
            return [violation(resource, path, `${now}; set it to "enabled" ${key}.`)];
        }
        const which = sku === "" ? "a registry without a SKU" : `a ${sku} registry`;
        return [violation(resource, path, `${now}, and ${which} cannot take a customer-managed key: create it on sku.name "Premium" with ${path} "enabled" and ${key.replace(/^with /, "")}.`)];
    },
};
