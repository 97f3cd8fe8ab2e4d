import { randomBytes } from "crypto";
import {
    buildAppSettings,
    identityConnectionSettings,
    keyVaultReference,
    mergeAppSettings,
    secretLikeName,
    secretMarkerIn,
} from "./appSettings";

const owner = 'WebApp "shop"';
const clientId = "11111111-2222-4333-8444-555555555555";

/** A storage connection string with a key generated now, assembled from parts so the repository holds none. */
function storageConnectionString(): { text: string; key: string } {
    const key = randomBytes(64).toString("base64");
    const text = ["DefaultEndpointsProtocol=https", "AccountName=stshop", ["Account", "Key=", key].join(""), "EndpointSuffix=core.windows.net"].join(";");
    return { text, key };
}

describe("keyVaultReference", () => {
    it("wraps a secret URI in the App Service reference syntax", () => {
        expect(keyVaultReference("https://kv-shop.vault.azure.net/secrets/db-password")).toBe(
            "@Microsoft.KeyVault(SecretUri=https://kv-shop.vault.azure.net/secrets/db-password)",
        );
    });
});

describe("identityConnectionSettings", () => {
    it("writes the endpoint, the managed identity credential and the client ID", () => {
        expect(identityConnectionSettings("Storage", { accountName: "stshop", clientId })).toEqual([
            { name: "Storage__accountName", value: "stshop" },
            { name: "Storage__credential", value: "managedidentity" },
            { name: "Storage__clientId", value: clientId },
        ]);
    });

    it("uses the app's default client ID unless the connection names its own", () => {
        const other = "99999999-2222-4333-8444-555555555555";
        expect(identityConnectionSettings("Bus", { fullyQualifiedNamespace: "sb-shop.servicebus.windows.net" }, clientId)).toContainEqual({
            name: "Bus__clientId",
            value: clientId,
        });
        expect(identityConnectionSettings("Bus", { fullyQualifiedNamespace: "sb-shop.servicebus.windows.net", clientId: other }, clientId)).toContainEqual({
            name: "Bus__clientId",
            value: other,
        });
    });

    it("writes no credential settings for a system-assigned identity", () => {
        expect(identityConnectionSettings("Blobs", { blobServiceUri: "https://stshop.blob.core.windows.net" })).toEqual([
            { name: "Blobs__blobServiceUri", value: "https://stshop.blob.core.windows.net" },
        ]);
    });
});

describe("secretMarkerIn and secretLikeName", () => {
    it("finds credential markers and reports only the marker", () => {
        const { text, key } = storageConnectionString();
        expect(secretMarkerIn(text)).toBe("AccountKey=");
        expect(secretMarkerIn(text)).not.toContain(key.slice(0, 5));
        const sas = `https://stshop.blob.core.windows.net/c?sv=2022-11-02&sp=r&${"si"}g=${encodeURIComponent(randomBytes(32).toString("base64"))}`;
        expect(secretMarkerIn(sas)).toBe("sig=");
        expect(secretMarkerIn(["Endpoint=sb://sb-shop.servicebus.windows.net/", "SharedAccessKeyName=send", `SharedAccess${"Key"}=${randomBytes(32).toString("base64")}`].join(";"))).toBe(
            "SharedAccessKey=",
        );
        expect(secretMarkerIn(`Server=sql;User Id=app;${"Pass"}word=${randomBytes(12).toString("hex")}`)).toBe("Password=");
        expect(secretMarkerIn("https://kv-shop.vault.azure.net/")).toBeUndefined();
        expect(secretMarkerIn("design=modern;config=on")).toBeUndefined();
    });

    it.each([
        ["DB_PASSWORD", true],
        ["ApiKey", true],
        ["GITHUB_TOKEN", true],
        ["ClientSecret", true],
        ["SQL_CONNECTION_STRING", true],
        ["KEY_VAULT_URI", false],
        ["KeyVaultName", false],
        ["Storage__accountName", false],
        ["AzureWebJobsStorage__clientId", false],
        ["ServiceBus__fullyQualifiedNamespace", false],
        ["APPLICATIONINSIGHTS_CONNECTION_STRING", false],
        ["LOG_LEVEL", false],
    ])("reads %s as credential-like: %s", (name, expected) => {
        expect(secretLikeName(name)).toBe(expected);
    });
});

describe("buildAppSettings", () => {
    it("builds plain values, Key Vault references and identity connections", () => {
        const settings = buildAppSettings(
            {
                LOG_LEVEL: { value: "info" },
                DB_PASSWORD: { keyVaultSecret: { secretUri: "https://kv-shop.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef" } },
                Storage: { identityConnection: { accountName: "stshop" } },
            },
            { owner, defaultClientId: clientId },
        );
        expect(settings).toEqual([
            { name: "LOG_LEVEL", value: "info" },
            {
                name: "DB_PASSWORD",
                value: "@Microsoft.KeyVault(SecretUri=https://kv-shop.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef)",
            },
            { name: "Storage__accountName", value: "stshop" },
            { name: "Storage__credential", value: "managedidentity" },
            { name: "Storage__clientId", value: clientId },
        ]);
    });

    it("refuses a storage connection string with a key, naming the setting and never echoing the key", () => {
        const { text, key } = storageConnectionString();
        let message = "";
        try {
            buildAppSettings({ STOCK_STORE: { value: text } }, { owner });
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toMatch(/WebApp "shop": app setting "STOCK_STORE" holds a credential \(its value contains "AccountKey="\)/);
        expect(message).toMatch(/keyVaultSecret/);
        expect(message).toMatch(/identityConnection/);
        expect(message).not.toContain(key.slice(0, 8));
    });

    it("refuses a credential-like name unless confirmed, but never a credential value", () => {
        expect(() => buildAppSettings({ TOKEN_AUDIENCE: { value: "api://shop" } }, { owner })).toThrow(
            /app setting "TOKEN_AUDIENCE" is named like a credential.*allowSecretLikeName: true/s,
        );
        expect(buildAppSettings({ TOKEN_AUDIENCE: { value: "api://shop", allowSecretLikeName: true } }, { owner })).toEqual([
            { name: "TOKEN_AUDIENCE", value: "api://shop" },
        ]);
        const { text } = storageConnectionString();
        expect(() => buildAppSettings({ LEGACY: { value: text, allowSecretLikeName: true } }, { owner })).toThrow(/contains "AccountKey="/);
    });

    it("refuses malformed Key Vault URIs and identity connections", () => {
        expect(() => buildAppSettings({ A: { keyVaultSecret: { secretUri: "https://example.com/secret" } } }, { owner })).toThrow(
            /app setting "A" has keyVaultSecret.secretUri "https:\/\/example.com\/secret"; expected https:\/\/<vault>.vault.azure.net\/secrets\/<name>/,
        );
        expect(() => buildAppSettings({ Storage: { identityConnection: {} } }, { owner })).toThrow(/identity connection "Storage" names no endpoint/);
        expect(() =>
            buildAppSettings(
                { Storage: { identityConnection: { accountName: "stshop", accountKey: "x" } as unknown as { accountName: string } } },
                { owner },
            ),
        ).toThrow(/identity connection "Storage" has unknown property "accountKey"/);
    });

    it("refuses a setting that is not exactly one form, and names that Linux apps cannot read", () => {
        expect(() =>
            buildAppSettings({ A: { value: "x", keyVaultSecret: { secretUri: "https://kv-a.vault.azure.net/secrets/a" } } as never }, { owner }),
        ).toThrow(/app setting "A" must be exactly one of/);
        expect(() => buildAppSettings({ "Logging:Level": { value: "info" } }, { owner })).toThrow(/name "Logging:Level" is not valid/);
    });

    it("reports every problem at once", () => {
        expect(() => buildAppSettings({ API_KEY: { value: "x" }, B: { keyVaultSecret: { secretUri: "nope" } } }, { owner })).toThrow(
            /"API_KEY"[\s\S]*\n[\s\S]*"B"/,
        );
    });
});

describe("mergeAppSettings", () => {
    it("refuses a user setting that replaces one the component writes, case-insensitively", () => {
        expect(() =>
            mergeAppSettings(owner, [{ name: "AZURE_CLIENT_ID", value: clientId, reason: "the default identity" }], [{ name: "azure_client_id", value: "x" }]),
        ).toThrow(/app setting "azure_client_id" is written by the component \(the default identity\)/);
    });

    it("sorts by name for a stable configuration", () => {
        const merged = mergeAppSettings(owner, [{ name: "b", value: "2", reason: "r" }], [{ name: "a", value: "1" }, { name: "c", value: "3" }]);
        expect(merged.map((setting) => setting.name)).toEqual(["a", "b", "c"]);
    });
});
