import { customerManagedKeyMetadata, isPremium, keySourceSpec } from "../../lib/customer-managed-key";
import { read } from "../../lib/props";
import { checkSetting } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

const setting = keySourceSpec("Microsoft.KeyVault");

/**
 * The built-in (1.0.0) judges namespaces in a Dedicated cluster (`clusterArmId` exists), the only ones that took a
 * key when it was written. Microsoft Learn now documents customer-managed keys for the Premium tier as well
 * (https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key), so this rule judges both. Basic and
 * Standard namespaces cannot take a key and are not judged; the stack config names the SKU they need.
 */
function takesKey(resource: Parameters<ResourceRule["check"]>[0]): boolean {
    const cluster = read(resource.props, "clusterArmId");
    if (isUnknown(cluster) || (typeof cluster === "string" && cluster !== "")) {
        return true;
    }
    return isPremium(resource);
}

export const eventHubsCustomerManagedKey: ResourceRule = {
    name: "eventhubs-customer-managed-key",
    description: "Event Hubs namespaces in a Dedicated cluster or on Premium encrypt data at rest with a customer-managed key from Key Vault (Basic and Standard cannot take one).",
    remediation:
        "Set `encryption.keySource: \"Microsoft.KeyVault\"` and `encryption.keyVaultProperties: [{ keyName, keyVaultUri, identity: { userAssignedIdentity } }]` without `keyVersion`, " +
        "with that user-assigned identity attached to the namespace and holding Key Vault Crypto Service Encryption User on the key. Azure enables it only on a new or empty namespace.",
    builtins: [{ id: "a1ad735a-e96f-45d2-a7b2-9a4932cab7ec", displayName: "Event Hub namespaces should use a customer-managed key for encryption" }],
    ...customerManagedKeyMetadata("Microsoft-managed keys already encrypt every namespace"),
    service: "messaging",
    resourceTypes: [types.eventHubNamespace],
    check: (resource) => (takesKey(resource) ? checkSetting(resource, setting) : []),
};
