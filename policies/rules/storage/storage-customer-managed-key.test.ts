import { fixture, keyUri, ids } from "../../testing/fixtures";
import { check, describeResourceRule, withPath } from "../../testing";
import { storageCustomerManagedKey } from "./storage-customer-managed-key";

const fix =
    'set it to "Microsoft.Keyvault" with keyVaultProperties naming the key without a version (rotation then needs no redeploy) ' +
    "and a user-assigned identity holding Key Vault Crypto Service Encryption User on that key.";

describeResourceRule(
    storageCustomerManagedKey,
    fixture("st"),
    [
        { path: "encryption.keySource", value: "Microsoft.Storage", message: `StorageAccount "st" encryption.keySource: is "Microsoft.Storage"; ${fix}` },
        { path: "encryption", value: undefined, message: `StorageAccount "st" encryption.keySource: is not set, and Azure's default is Microsoft-managed keys; ${fix}` },
    ],
    "encryption.keySource",
);

describe("storage-customer-managed-key", () => {
    const st = fixture("st");

    it("compares the key source as Azure Policy does, without regard to case", () => {
        expect(check(storageCustomerManagedKey, { ...st, props: withPath(st.props, "encryption.keySource", "Microsoft.KeyVault") })).toEqual([]);
        expect(check(storageCustomerManagedKey, { ...st, props: withPath(st.props, "encryption.keySource", "microsoft.keyvault") })).toEqual([]);
    });

    it("accepts the identity in the ARM spelling (encryption.identity.userAssignedIdentity) as well as azure-native's", () => {
        const arm = withPath(withPath(st.props, "encryption.encryptionIdentity", undefined), "encryption.identity", { userAssignedIdentity: ids.identity });
        expect(check(storageCustomerManagedKey, { ...st, props: arm })).toEqual([]);
    });

    it("shows only the key source in its message, never the vault, the key or the identity", () => {
        const [message] = check(storageCustomerManagedKey, { ...st, props: withPath(st.props, "encryption.keySource", "Microsoft.Storage") });
        for (const value of ["kv-app", keyUri, ids.identity, "cmk"]) {
            expect(message).not.toContain(value);
        }
    });
});
