import { githubToken, jsonWebToken, revealsMoreThan4, sasUrl, storageConnectionString } from "../testing/credentials";
import { buildAppSettings, identityConnectionSettings, keyVaultReference, mergeAppSettings } from "./appSettings";

const owner = 'WebApp "shop"';
const clientId = "11111111-2222-4333-8444-555555555555";

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

    it("takes identity-based settings, Key Vault references and the Application Insights connection string as plain values", () => {
        const plain = {
            Storage__accountName: "stshop",
            Storage__credential: "managedidentity",
            Storage__clientId: clientId,
            ServiceBus__fullyQualifiedNamespace: "sb-shop.servicebus.windows.net",
            Blobs__blobServiceUri: "https://stshop.blob.core.windows.net",
            LEGACY_REFERENCE: "@Microsoft.KeyVault(SecretUri=https://kv-shop.vault.azure.net/secrets/legacy)",
            APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${clientId};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`,
        };
        const settings = buildAppSettings(Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, { value }])), { owner });
        expect(settings).toEqual(Object.entries(plain).map(([name, value]) => ({ name, value })));
    });

    it("refuses a storage connection string with a key, naming the setting and never echoing the key", () => {
        const { text, secret: key } = storageConnectionString();
        let message = "";
        try {
            buildAppSettings({ STOCK_STORE: { value: text } }, { owner });
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toMatch(
            /^WebApp "shop" \(1 problem\):\n {2}- app setting "STOCK_STORE" holds a credential: storage-connection-string \(Storage account connection string with AccountKey: .{4}…\(88 chars\)\); use \{ keyVaultSecret/,
        );
        expect(message).toMatch(/keyVaultSecret/);
        expect(message).toMatch(/identityConnection/);
        expect(message).not.toContain(key.slice(0, 8));
    });

    it.each([
        ["a GitHub token", githubToken, /holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)/],
        ["a JSON Web Token", jsonWebToken, /holds a credential: jwt \(JSON Web Token: eyJh…\(\d+ chars\)\)/],
        ["a SAS URL", () => sasUrl(), /holds a credential: sas-token \(Shared access signature \(sig=\): .{0,4}…\(\d+ chars\)\)/],
    ])("refuses %s under an innocuous name, as the policy pack would flag it", (_case, make, kind) => {
        const credential = make();
        let message = "";
        try {
            buildAppSettings({ GREETING: { value: credential.text }, LOG_LEVEL: { value: "info" } }, { owner });
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toMatch(new RegExp(`^WebApp "shop" \\(1 problem\\):\n {2}- app setting "GREETING" ${kind.source}; use \\{ keyVaultSecret`));
        expect(message).not.toMatch(/LOG_LEVEL/);
        expect(revealsMoreThan4(message, credential.secret)).toBe(false);
    });

    it("refuses a credential-like name unless confirmed, but never a credential value", () => {
        expect(() => buildAppSettings({ TOKEN_AUDIENCE: { value: "api://shop" } }, { owner })).toThrow(
            /app setting "TOKEN_AUDIENCE" is named like a credential.*allowSecretLikeName: true/s,
        );
        expect(buildAppSettings({ TOKEN_AUDIENCE: { value: "api://shop", allowSecretLikeName: true } }, { owner })).toEqual([
            { name: "TOKEN_AUDIENCE", value: "api://shop" },
        ]);
        const { text } = storageConnectionString();
        expect(() => buildAppSettings({ LEGACY: { value: text, allowSecretLikeName: true } }, { owner })).toThrow(
            /app setting "LEGACY" holds a credential: storage-connection-string/,
        );
        // Confirming the name does not let a credential through under it either.
        expect(() => buildAppSettings({ API_TOKEN: { value: githubToken().text, allowSecretLikeName: true } }, { owner })).toThrow(
            /app setting "API_TOKEN" holds a credential: github-token/,
        );
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
        expect(() => buildAppSettings({ Blobs: { identityConnection: { blobServiceUri: sasUrl().text } } }, { owner })).toThrow(
            /identity connection "Blobs" has blobServiceUri holding a credential: sas-token .*; give the bare endpoint/,
        );
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
