import { customerManagedKeyMetadata, isPremium, keySourceSpec } from "../../lib/customer-managed-key";
import { checkSetting } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting = keySourceSpec("Microsoft.KeyVault");

/**
 * Only Premium namespaces take a customer-managed key
 * (https://learn.microsoft.com/azure/service-bus-messaging/configure-customer-managed-key). The built-in judges only
 * `sku.tier == Premium`, and so does this rule: a Basic or Standard namespace has no key to fix, and the stack
 * config refuses `customerManagedKeys` on it, naming the Premium SKU it needs.
 */
export const serviceBusCustomerManagedKey: ResourceRule = {
    name: "servicebus-customer-managed-key",
    description: "Premium Service Bus namespaces encrypt data at rest with a customer-managed key from Key Vault (Basic and Standard cannot take one and are not judged).",
    remediation:
        "On a Premium namespace set `encryption.keySource: \"Microsoft.KeyVault\"` and `encryption.keyVaultProperties: [{ keyName, keyVaultUri, identity: { userAssignedIdentity } }]` " +
        "without `keyVersion`, with that user-assigned identity attached to the namespace and holding Key Vault Crypto Service Encryption User on the key.",
    builtins: [{ id: "295fc8b1-dc9f-4f53-9c61-3f313ceab40a", displayName: "Service Bus Premium namespaces should use a customer-managed key for encryption" }],
    ...customerManagedKeyMetadata("Microsoft-managed keys already encrypt every namespace"),
    service: "messaging",
    resourceTypes: [types.serviceBusNamespace],
    check: (resource) => (isPremium(resource) ? checkSetting(resource, setting) : []),
};
