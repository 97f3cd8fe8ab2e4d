import { vaultEvent } from "./events";

// A storage account's user-assigned identity using its customer-managed key, as the Key Vault audit log records it
// (operation names: https://learn.microsoft.com/azure/key-vault/general/logging).
const vault = "/subscriptions/s/resourceGroups/rg-keyless-prod/providers/Microsoft.KeyVault/vaults/kv-keys";
const principal = "00000000-0000-4000-8000-0000000000e1";

function row(operation: string, status: number) {
    return {
        TimeGenerated: "2026-12-01T10:00:00Z",
        OperationName: operation,
        ResultSignature: status === 200 ? "OK" : "Forbidden",
        HttpStatusCode: status,
        Id: "https://kv-keys.vault.azure.net/keys/appdata/6b0c1e2d3f4a5b6c7d8e9f0a1b2c3d4e",
        Identity: { claim: { oid: principal } },
        _ResourceId: vault,
    };
}

describe("Key Vault key operations in the review", () => {
    it("land on the key, whatever its version, so a key-scope encryption grant is matched by its wraps and unwraps", () => {
        for (const operation of ["KeyWrap", "KeyUnwrap", "KeyGet"]) {
            expect(vaultEvent(row(operation, 200))).toMatchObject({ principalId: principal, service: "vault", objectId: `${vault.toLowerCase()}/keys/appdata`, objectLabel: "key appdata", operation });
        }
    });

    it("count wraps and unwraps as use beyond reading (no read-only role would do), and keep a refused unwrap's status", () => {
        expect(vaultEvent(row("KeyGet", 200))?.read).toBe(true);
        expect(vaultEvent(row("KeyUnwrap", 200))?.read).toBe(false);
        expect(vaultEvent(row("KeyUnwrap", 403))).toMatchObject({ status: 403, detail: "Forbidden" });
    });

    it("match no grant when the record names no caller (the key-operations query still counts it as a rotation of the key)", () => {
        expect(vaultEvent({ ...row("KeyRotateIfDue", 200), Identity: {} })).toBeUndefined();
    });
});
