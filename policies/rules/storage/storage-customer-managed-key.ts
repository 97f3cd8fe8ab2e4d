import { customerManagedKeyMetadata, keySourceSpec } from "../../lib/customer-managed-key";
import { checkSetting } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

// The built-in judges only the account's key source. Blob and Files data then use the key; queues and tables use it
// only if the account was created with account-scoped keys for them (`encryption.services.queue|table.keyType:
// "Account"`, https://learn.microsoft.com/azure/storage/common/account-encryption-key-create), which other built-ins judge.
const setting = keySourceSpec("Microsoft.Keyvault");

export const storageCustomerManagedKey: ResourceRule = {
    name: "storage-customer-managed-key",
    description: "Storage accounts encrypt data at rest with a customer-managed key from Key Vault (`encryption.keySource: Microsoft.Keyvault`).",
    remediation:
        "Set `encryption.keySource: \"Microsoft.Keyvault\"`, `encryption.keyVaultProperties: { keyVaultUri, keyName }` without `keyVersion`, and " +
        "`encryption.encryptionIdentity.encryptionUserAssignedIdentity` (ARM: `encryption.identity.userAssignedIdentity`) to a user-assigned identity attached to the account " +
        "that holds Key Vault Crypto Service Encryption User on the key (the Keyless storage component's `customerManagedKey`).",
    builtins: [{ id: "6fac406b-40ca-413b-bf8e-0bf964659c25", displayName: "Storage accounts should use customer-managed key for encryption" }],
    ...customerManagedKeyMetadata("Microsoft-managed keys already encrypt every account"),
    service: "storage",
    resourceTypes: [types.storageAccount],
    check: (resource) => checkSetting(resource, setting),
};
