import { runUnderMocks } from "../testing";
import { expectKeyAndGrant, keyFixture } from "../testing/customerManagedKey";
import { ofType, one } from "../testing/fixtures";
import { EncryptionIdentityRef } from "../keyvault/customerManagedKey";
import { SqlServer } from "./SqlServer";
import { serverKeyName } from "./tdeProtector";

const administrator = { login: "sql-admins", objectId: "0f4e2d1c-9b8a-4765-8321-fedcba987654", principalType: "Group" as const };

describe("SqlServer customerManagedKey", () => {
    it("is created with the key's current version, read by its primary user-assigned identity, after the grant on the key", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("shop", { resourceGroupName: "rg", administrator, databases: { orders: {} }, customerManagedKey: keyFixture() });
        });
        const { key, identity, service } = expectKeyAndGrant(resources, "azure-native:sql:Server");
        expect(key.inputs.keyName).toBe("cmk-shop");
        expect(service.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        expect(service.inputs.primaryUserAssignedIdentityId).toBe(identity.id);
        // SQL takes a versioned key URI; a versionless one would not name a server key.
        expect(service.inputs.keyId).toBe(key.state.keyUriWithVersion);
        expect(String(service.inputs.keyId)).toMatch(/^https:\/\/kv-keys-[a-z0-9]{5}\.vault\.azure\.net\/keys\/cmk-shop\/[0-9a-f]{32}$/);
    });

    it("rotates to Key Vault's new versions through its encryption protector, declared after the server and the grant", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("shop", { resourceGroupName: "rg", administrator, customerManagedKey: keyFixture() });
        });
        const { key, grant, service } = expectKeyAndGrant(resources, "azure-native:sql:Server");
        const protector = one(resources, "azure-native:sql:EncryptionProtector");
        const [, vaultName, keyName, version] = /^https:\/\/([^.]+)\.vault\.azure\.net\/keys\/([^/]+)\/([0-9a-f]{32})$/.exec(String(key.state.keyUriWithVersion))!;
        expect(protector.inputs).toEqual({
            resourceGroupName: "rg",
            serverName: service.state.name,
            encryptionProtectorName: "current",
            serverKeyType: "AzureKeyVault",
            serverKeyName: `${vaultName}_${keyName}_${version}`,
            autoRotationEnabled: true,
        });
        expect(protector.parentUrn).toBe(service.parentUrn);
        expect(protector.dependencies).toEqual(expect.arrayContaining([service.urn, grant.urn]));
        // A newer version read from Key Vault later is the rotation's: neither the server nor the protector is redeployed for it.
        expect(service.ignoreChanges).toEqual(["keyId"]);
        expect(protector.ignoreChanges).toEqual(["serverKeyName"]);
    });

    it("reads an existing key's current version from Key Vault", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("shop", { resourceGroupName: "rg", administrator, customerManagedKey: keyFixture({ keyName: "tde", existingKey: true }) });
        });
        expect(ofType(resources, "azure-native:keyvault:Key")).toHaveLength(0);
        const server = one(resources, "azure-native:sql:Server");
        expect(String(server.inputs.keyId)).toMatch(/^https:\/\/kv-keys-[a-z0-9]{5}\.vault\.azure\.net\/keys\/tde\/[0-9a-f]{32}$/);
        expect(String(one(resources, "azure-native:sql:EncryptionProtector").inputs.serverKeyName)).toMatch(/^kv-keys-[a-z0-9]{5}_tde_[0-9a-f]{32}$/);
    });

    it("declares no encryption protector without a customer-managed key", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("shop", { resourceGroupName: "rg", administrator });
        });
        expect(ofType(resources, "azure-native:sql:EncryptionProtector")).toHaveLength(0);
        expect(one(resources, "azure-native:sql:Server").inputs.keyId).toBeUndefined();
        expect(one(resources, "azure-native:sql:Server").ignoreChanges).toEqual([]);
    });

    it("refuses a system-assigned identity before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const { vault } = keyFixture();
            const identity = { systemAssigned: true } as unknown as EncryptionIdentityRef;
            expect(() => new SqlServer("shop", { resourceGroupName: "rg", administrator, customerManagedKey: { vault, identity } })).toThrow(
                "customerManagedKey.identity must be a user-assigned identity (a ManagedIdentity); got a system-assigned identity. " +
                    "A new SQL server reads the key while it is created, before a system-assigned identity would exist.",
            );
        });
        expect(ofType(resources, "azure-native:sql:Server")).toHaveLength(0);
        expect(ofType(resources, "azure-native:keyvault:Key")).toHaveLength(0);
    });
});

describe("serverKeyName", () => {
    it("names a key version as SQL lists it among a server's keys, and refuses a versionless URI", () => {
        expect(serverKeyName("https://kv-keys.vault.azure.net/keys/cmk-shop/0123456789abcdef0123456789abcdef")).toBe("kv-keys_cmk-shop_0123456789abcdef0123456789abcdef");
        expect(() => serverKeyName("https://kv-keys.vault.azure.net/keys/cmk-shop")).toThrow(
            'A TDE protector needs a versioned Key Vault key URI such as https://kv-name.vault.azure.net/keys/name/<version>; got "https://kv-keys.vault.azure.net/keys/cmk-shop".',
        );
    });
});
