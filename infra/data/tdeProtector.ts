import * as pulumi from "@pulumi/pulumi";
import * as sql from "@pulumi/azure-native/sql";

/**
 * Azure SQL's TDE protector from Key Vault, with automatic rotation. SQL does not follow a versionless key URI: the
 * key it adds to a server must carry its version (`Microsoft.Sql/servers/keys`: name `<vault>_<key>_<version>`, URI
 * `https://<vault>.vault.azure.net/keys/<key>/<version>`,
 * https://learn.microsoft.com/rest/api/sql/server-keys/create-or-update), and a server created with a key reads it by
 * its Key Identifier, a versioned URI
 * (https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-create-server). New versions
 * reach the server through the encryption protector's `autoRotationEnabled`: the server checks the vault and moves to
 * the latest version within 60 minutes, which with Key Vault's rotation policy needs no deploy
 * (https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-key-rotation#automatic-key-rotation).
 */

/** `<vault>_<key>_<version>`, the name a Key Vault key version has among a server's keys. */
export function serverKeyName(versionUri: string): string {
    const match = /^https:\/\/([^./]+)\.[^/]+\/keys\/([^/]+)\/([^/]+)$/.exec(versionUri);
    if (!match) {
        throw new Error(`A TDE protector needs a versioned Key Vault key URI such as https://kv-name.vault.azure.net/keys/name/<version>; got "${versionUri}".`);
    }
    return `${match[1]}_${match[2]}_${match[3]}`;
}

export interface TdeProtectorArgs {
    resourceGroupName: pulumi.Input<string>;
    server: sql.Server;
    /** The versioned URI the server was created with; resolves after the identity's grant on the key. */
    keyVersionUri: pulumi.Output<string>;
}

/**
 * The server's encryption protector (`current`): the Key Vault key the server was created with, and automatic
 * rotation on. Created after the server (which adds the key as a server key when it is created with `keyId`) and after
 * the grant on the key.
 */
export function declareTdeProtector(name: string, args: TdeProtectorArgs, parent: pulumi.Resource): sql.EncryptionProtector {
    return new sql.EncryptionProtector(
        `${name}-tde-protector`,
        {
            resourceGroupName: args.resourceGroupName,
            serverName: args.server.name,
            encryptionProtectorName: "current",
            serverKeyType: "AzureKeyVault",
            serverKeyName: args.keyVersionUri.apply(serverKeyName),
            autoRotationEnabled: true,
        },
        // After creation the protector's key version is the rotation's: a refresh that reads a newer version from Key
        // Vault must not set it back (or name a version the server has not added yet).
        { parent, dependsOn: [args.server], ignoreChanges: ["serverKeyName"] },
    );
}
