import { companionsOf, text } from "../../lib/companions";
import { customerManagedKeyMetadata, withKey } from "../../lib/customer-managed-key";
import { read, show, violation } from "../../lib/props";
import { equalsText } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { StackResource, StackRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

const keyVault = equalsText("AzureKeyVault");

/**
 * The built-in flags a server whose `keyId` is absent or empty, and an encryption protector whose `serverKeyType` is
 * not "AzureKeyVault". A program sets the TDE protector either way: `keyId` (with `primaryUserAssignedIdentityId`)
 * on the server, which a user-assigned identity allows at creation
 * (https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-create-server), or a
 * separate `sql.EncryptionProtector`. The server's inputs then hold no `keyId`, so this is a stack rule: it accepts a
 * server whose own protector resource (found by the engine's dependency, its ARM ID or the server name) uses Key Vault.
 */
function usesKeyVault(protector: StackResource): boolean | undefined {
    const type = read(protector.props, "serverKeyType");
    return isUnknown(type) ? undefined : keyVault(type);
}

function serverName(server: StackResource): string | undefined {
    return text(read(server.props, "serverName")) ?? text(read(server.props, "name"));
}

export const sqlCustomerManagedKey: StackRule = {
    name: "sql-customer-managed-key",
    description: "Azure SQL servers protect transparent data encryption with a customer-managed key from Key Vault (server `keyId`, or an `EncryptionProtector` of type AzureKeyVault).",
    remediation:
        "Give the server a user-assigned identity holding Key Vault Crypto Service Encryption User on the key, `primaryUserAssignedIdentityId` set to it and `keyId` set to the key's versioned URI (SQL takes no versionless one); " +
        "and declare `sql.EncryptionProtector` with `encryptionProtectorName: \"current\"`, `serverKeyType: \"AzureKeyVault\"`, the server key's name (`<vault>_<key>_<version>`) and `autoRotationEnabled: true`, so that it follows new key versions.",
    builtins: [{ id: "0a370ff3-6cab-4e85-8995-295fd854c5b8", displayName: "SQL servers should use customer-managed keys to encrypt data at rest" }],
    ...customerManagedKeyMetadata("A service-managed TDE protector already encrypts every database"),
    service: "data",
    checkStack(resources) {
        const protectors = resources.filter((resource) => resource.type === types.sqlEncryptionProtector);
        const lookup = companionsOf(protectors, {
            // Outputs carry the protector's ID (`<server ID>/encryptionProtector/current`) rather than its serverName input.
            targetId: (protector) => text(read(protector.props, "id"))?.replace(/\/encryptionprotector\/[^/]+$/i, ""),
            targetName: (protector) => text(read(protector.props, "serverName")),
            nameOfTarget: serverName,
        });
        const found: Violation[] = [];
        for (const protector of protectors) {
            const type = read(protector.props, "serverKeyType");
            if (usesKeyVault(protector) === false) {
                found.push(violation(protector, "serverKeyType", `is ${show(type)}; set it to "AzureKeyVault" ${withKey("serverKeyName")}.`));
            }
        }
        for (const server of resources.filter((resource) => resource.type === types.sqlServer)) {
            const keyId = read(server.props, "keyId");
            if (isUnknown(keyId) || (typeof keyId === "string" && keyId !== "")) {
                continue;
            }
            const verdicts = lookup(server).map(usesKeyVault);
            if (verdicts.includes(true) || verdicts.includes(undefined)) {
                continue;
            }
            found.push(
                violation(
                    server,
                    "keyId",
                    "is not set and no EncryptionProtector of it uses Key Vault, so Azure protects TDE with a service-managed key; set keyId to the key's versioned URI and " +
                        "primaryUserAssignedIdentityId to a user-assigned identity holding Key Vault Crypto Service Encryption User on that key, " +
                        'or declare an EncryptionProtector with serverKeyType "AzureKeyVault".',
                ),
            );
        }
        return found;
    },
};
