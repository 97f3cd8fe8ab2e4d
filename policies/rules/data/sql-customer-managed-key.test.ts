import { fixture, keyUri } from "../../testing/fixtures";
import { runStackPolicy, StackFixture, UNKNOWN_STRING, urnOf, withPath } from "../../testing";
import { materializeProps } from "../../lib/unknown";
import { sqlCustomerManagedKey } from "./sql-customer-managed-key";

const serverType = "azure-native:sql:Server";
const protectorType = "azure-native:sql:EncryptionProtector";
const sql = fixture("sql");
const plain = { ...sql, props: withPath(withPath(sql.props, "keyId", undefined), "primaryUserAssignedIdentityId", undefined) };

function protector(name: string, props: Record<string, unknown>, dependsOn?: string): StackFixture {
    return { type: protectorType, name, urn: urnOf(protectorType, name), props: { resourceGroupName: "rg", encryptionProtectorName: "current", ...props }, dependencies: dependsOn ? [dependsOn] : [] };
}

function messages(resources: StackFixture[]): string[] {
    const stack = resources.map((resource) => ({ ...resource, urn: resource.urn ?? urnOf(resource.type, resource.name), props: materializeProps(resource.props) }));
    return sqlCustomerManagedKey.checkStack(stack).map((violation) => violation.message);
}

const serverMessage =
    'Server "sql" keyId: is not set and no EncryptionProtector of it uses Key Vault, so Azure protects TDE with a service-managed key; ' +
    "set keyId to the key's versioned URI and primaryUserAssignedIdentityId to a user-assigned identity holding Key Vault Crypto Service Encryption User on that key, " +
    'or declare an EncryptionProtector with serverKeyType "AzureKeyVault".';

describe("sql-customer-managed-key", () => {
    it("passes a server with keyId (the TDE protector set at creation through its user-assigned identity)", async () => {
        expect(messages([sql])).toEqual([]);
        expect(await runStackPolicy(sqlCustomerManagedKey, [sql])).toEqual([]);
    });

    it("fails a server with neither keyId nor a Key Vault protector, on the server", async () => {
        expect(messages([plain])).toEqual([serverMessage]);
        expect(messages([{ ...plain, props: { ...plain.props, keyId: "" } }])).toEqual([serverMessage]);
        expect(await runStackPolicy(sqlCustomerManagedKey, [plain])).toEqual([{ message: serverMessage, urn: urnOf(serverType, "sql") }]);
    });

    it("accepts an EncryptionProtector of type AzureKeyVault instead, found by the engine's dependency, its ID or the server name", () => {
        const key = { serverKeyType: "AzureKeyVault", serverKeyName: "kv-app_cmk_0123", autoRotationEnabled: true };
        expect(messages([plain, protector("sql-tde", { ...key, serverName: UNKNOWN_STRING }, urnOf(serverType, "sql"))])).toEqual([]);
        expect(messages([plain, protector("sql-tde", { ...key, serverName: "sql-app" })])).toEqual([]);
        expect(messages([plain, protector("sql-tde", { ...key, serverKeyType: "azurekeyvault", serverName: "sql-app" })])).toEqual([]);
        // Stack rules see outputs, where a protector names its server only in its ID.
        const server = `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-app`;
        expect(messages([{ ...plain, props: { ...plain.props, id: server } }, protector("sql-tde", { ...key, id: `${server}/encryptionProtector/current` })])).toEqual([]);
        // Another server's protector does not count.
        expect(messages([plain, protector("other-tde", { ...key, serverName: "sql-other" })])).toEqual([serverMessage]);
    });

    it("fails a service-managed protector, and the server it leaves without a key", () => {
        expect(messages([plain, protector("sql-tde", { serverKeyType: "ServiceManaged", serverName: "sql-app" })])).toEqual([
            'EncryptionProtector "sql-tde" serverKeyType: is "ServiceManaged"; set it to "AzureKeyVault" with serverKeyName naming the key without a version ' +
                "(rotation then needs no redeploy) and a user-assigned identity holding Key Vault Crypto Service Encryption User on that key.",
            serverMessage,
        ]);
    });

    it("skips what is not known at preview: the server's keyId, a protector's type", async () => {
        expect(await runStackPolicy(sqlCustomerManagedKey, [{ ...plain, props: { ...plain.props, keyId: UNKNOWN_STRING } }])).toEqual([]);
        expect(await runStackPolicy(sqlCustomerManagedKey, [plain, protector("sql-tde", { serverKeyType: UNKNOWN_STRING, serverName: "sql-app" })])).toEqual([]);
    });

    it("names the protector's type only, never the key", () => {
        for (const message of messages([plain, protector("sql-tde", { serverKeyType: "ServiceManaged", serverName: "sql-app", serverKeyName: "kv-app_cmk_0123" })])) {
            expect(message).not.toContain("kv-app_cmk_0123");
            expect(message).not.toContain(keyUri);
        }
    });
});
