import { runUnderMocks } from "../testing";
import { expectKeyAndGrant, keyFixture } from "../testing/customerManagedKey";
import { ofType } from "../testing/fixtures";
import { EncryptionIdentityRef } from "../keyvault/customerManagedKey";
import { SqlServer } from "./SqlServer";

const administrator = { login: "sql-admins", objectId: "0f4e2d1c-9b8a-4765-8321-fedcba987654", principalType: "Group" as const };

describe("SqlServer customerManagedKey", () => {
    it("takes its TDE protector from a versionless key read by its primary user-assigned identity, after the grant on the key", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("shop", { resourceGroupName: "rg", administrator, databases: { orders: {} }, customerManagedKey: keyFixture() });
        });
        const { key, identity, service } = expectKeyAndGrant(resources, "azure-native:sql:Server");
        expect(key.inputs.keyName).toBe("cmk-shop");
        expect(service.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        expect(service.inputs.primaryUserAssignedIdentityId).toBe(identity.id);
        expect(service.inputs.keyId).toBe(key.state.keyUri);
        expect(String(service.inputs.keyId)).toMatch(/^https:\/\/kv-keys-[a-z0-9]{5}\.vault\.azure\.net\/keys\/cmk-shop$/);
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
