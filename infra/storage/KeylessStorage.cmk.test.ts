import { runUnderMocks } from "../testing";
import { expectKeyAndGrant, keyFixture } from "../testing/customerManagedKey";
import { ofType } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { EncryptionIdentityRef } from "../keyvault/customerManagedKey";
import { KeylessStorage } from "./KeylessStorage";

describe("KeylessStorage customerManagedKey", () => {
    it("encrypts every service with a versionless key read by the attached user-assigned identity, after its grant on the key", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", queues: ["orders"], customerManagedKey: keyFixture() });
        });
        const { key, identity, service, vaultUri } = expectKeyAndGrant(resources, "azure-native:storage:StorageAccount");
        expect(key.inputs.keyName).toBe("cmk-data");
        expect(service.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        const account = { enabled: true, keyType: "Account" };
        expect(service.inputs.encryption).toEqual({
            keySource: "Microsoft.Keyvault",
            // No keyVersion: the account follows the key's rotation.
            keyVaultProperties: { keyVaultUri: vaultUri, keyName: "cmk-data" },
            encryptionIdentity: { encryptionUserAssignedIdentity: identity.id },
            services: { blob: account, file: account, queue: account, table: account },
        });
    });

    it("references an existing key by name without creating one", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", customerManagedKey: keyFixture({ keyName: "shared-key", existingKey: true }) });
        });
        expect(ofType(resources, "azure-native:keyvault:Key")).toHaveLength(0);
        const [grant] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(String(grant.inputs.scope)).toMatch(/\/vaults\/kv-keys-[a-z0-9]{5}\/keys\/shared-key$/);
        const account = ofType(resources, "azure-native:storage:StorageAccount")[0];
        expect(account.inputs.encryption).toMatchObject({ keyVaultProperties: { keyName: "shared-key" } });
        expect(account.dependencies).toContain(grant.urn);
    });

    it("refuses a system-assigned identity and a vault without purge protection, declaring nothing", async () => {
        const { resources } = await runUnderMocks(() => {
            const args = keyFixture();
            const vault = { ...args.vault, name: "old-vault", purgeProtection: false };
            expect(() => new KeylessStorage("data", { resourceGroupName: "rg", customerManagedKey: { vault, identity: { systemAssigned: true } as unknown as EncryptionIdentityRef } })).toThrow(
                new ProblemsError('KeylessStorage "data"', [
                    "customerManagedKey.identity must be a user-assigned identity (a ManagedIdentity); got a system-assigned identity. " +
                        "A new storage account reads the key while it is created, before a system-assigned identity would exist.",
                    'customerManagedKey.vault "old-vault" has purge protection off; expected a vault with soft delete and purge protection: ' +
                        "Azure takes a customer-managed key only from such a vault, so that deleting the key cannot destroy the data.",
                ]),
            );
        });
        for (const type of ["keyless:storage:KeylessStorage", "azure-native:storage:StorageAccount", "azure-native:keyvault:Key", "azure-native:authorization:RoleAssignment"]) {
            expect(ofType(resources, type)).toHaveLength(0);
        }
    });

    it("refuses a rotation that comes after the key version expires", async () => {
        await runUnderMocks(() => {
            const customerManagedKey = keyFixture({ autoRotation: { rotateAfter: "P2Y", expiresAfter: "P1Y" } });
            expect(() => new KeylessStorage("data", { resourceGroupName: "rg", customerManagedKey })).toThrow(
                /customerManagedKey\.autoRotation\.rotateAfter \(P2Y\) must come before expiresAfter \(P1Y\)/,
            );
        });
    });
});
