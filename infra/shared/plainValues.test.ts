import { randomBytes } from "crypto";
import { scanValue } from "@keyless/detect";
import { githubToken, jsonWebToken, revealsMoreThan4, sasUrl, storageConnectionString } from "../testing/credentials";
import { ProblemsError } from "./problems";
import { checkedPlainValue, credentialsIn, describeCredentials, isSecretLikeName, plainValueProblem } from "./plainValues";

const key = () => randomBytes(32).toString("base64");
const kindsIn = (name: string, value: string) => credentialsIn(name, value).map((finding) => finding.kind);

describe("credentialsIn", () => {
    it("finds connection-string keys, passwords and SAS signatures", () => {
        expect(kindsIn("BUS", `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccess${"Key"}=${key()}`)).toEqual(["shared-access-key"]);
        expect(kindsIn("STORE", `AccountName=st;Account${"Key"}=${key()}`)).toEqual(["storage-connection-string"]);
        expect(kindsIn("DB", `Server=tcp:sql;User ID=app;Pass${"word"}=${key()}`)).toEqual(["database-connection-string"]);
        expect(kindsIn("DB", `Server=sql;User Id=app;${"Pass"}word=${randomBytes(12).toString("hex")}`)).toEqual(["database-connection-string"]);
        expect(kindsIn("BLOB", `https://st.blob.core.windows.net/c?sv=2022-11-02&${"si"}g=${encodeURIComponent(key())}`)).toEqual(["sas-token"]);
    });

    it("finds tokens under an innocuous name, as the policy pack does", () => {
        for (const [credential, kind] of [
            [githubToken(), "github-token"],
            [jsonWebToken(), "jwt"],
            [sasUrl(), "sas-token"],
        ] as const) {
            expect(kindsIn("GREETING", credential.text)).toEqual([kind]);
            // The same kinds the pack reports for a `{ name, value }` app setting or environment variable.
            expect(scanValue([{ name: "GREETING", value: credential.text }]).map((finding) => finding.kind)).toEqual([kind]);
        }
    });

    it("finds a random value under a secret-looking name, and a credential inside a JSON value", () => {
        expect(kindsIn("DB_PASSWORD", key())).toEqual(["generic-secret"]);
        expect(kindsIn("SETTINGS", JSON.stringify({ github: { token: githubToken().text } }))).toEqual(["github-token"]);
    });

    it("leaves identifiers, references and ordinary words alone", () => {
        expect(credentialsIn("KEY_VAULT_URL", "https://kv-app.vault.azure.net/")).toEqual([]);
        expect(credentialsIn("MODE", "mode=design=compact")).toEqual([]);
        expect(credentialsIn("MODE", "design=modern;config=on")).toEqual([]);
        expect(credentialsIn("DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db-password)")).toEqual([]);
        expect(credentialsIn("Storage__clientId", "11111111-2222-4333-8444-555555555555")).toEqual([]);
        expect(credentialsIn("Storage__credential", "managedidentity")).toEqual([]);
        const ingestion = "IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";
        expect(credentialsIn("APPLICATIONINSIGHTS_CONNECTION_STRING", `InstrumentationKey=11111111-2222-4333-8444-555555555555;${ingestion}`)).toEqual([]);
        // Short values under a secret-looking name are not credentials to the detector: the name check handles them.
        expect(credentialsIn("DB_PASSWORD", "x")).toEqual([]);
    });

    it("describes each finding by kind with at most 4 characters of the secret", () => {
        const connection = storageConnectionString();
        const described = describeCredentials(credentialsIn("STORE", connection.text));
        expect(described).toMatch(/^storage-connection-string \(Storage account connection string with AccountKey: .{4}…\(88 chars\)\)$/);
        expect(revealsMoreThan4(described, connection.secret)).toBe(false);
    });
});

describe("isSecretLikeName", () => {
    it.each([
        ["DB_PASSWORD", true],
        ["ApiKey", true],
        ["apiKey", true],
        ["GITHUB_TOKEN", true],
        ["ClientSecret", true],
        ["CLIENT_SECRET", true],
        ["SQL_CONNECTION_STRING", true],
        ["Storage-Connection-String", true],
        ["sb_access_key", true],
        ["TOKEN_AUDIENCE", true],
        ["cosmosKey", true],
        ["x-functions-key", true],
        ["KEY_VAULT_URI", false],
        ["KEY_VAULT_URL", false],
        ["KeyVaultName", false],
        ["AZURE_CLIENT_ID", false],
        ["Storage__accountName", false],
        ["Storage__blobServiceUri", false],
        ["Storage__credential", false],
        ["AzureWebJobsStorage__clientId", false],
        ["ServiceBus__fullyQualifiedNamespace", false],
        ["APPLICATIONINSIGHTS_CONNECTION_STRING", false],
        ["AZURE_TOKEN_CREDENTIALS", false],
        ["LOG_LEVEL", false],
        ["BYPASS_CACHE", false],
    ])("reads %s as secret-looking: %s", (name, expected) => {
        expect(isSecretLikeName(name)).toBe(expected);
    });
});

describe("plainValueProblem", () => {
    it("names the input and the kind of credential, never the value", () => {
        const value = `Account${"Key"}=${key()}`;
        const problem = plainValueProblem("env.STORAGE", "STORAGE", value, "Use an identity.");
        expect(problem).toMatch(/^env\.STORAGE: the value holds a credential: storage-connection-string \(.*\)\. Use an identity\.$/);
        expect(problem).not.toContain(value.slice(12));
    });

    it("refuses a secret-looking name whatever its value, and says so beside a credential", () => {
        expect(plainValueProblem("env.DB_PASSWORD", "DB_PASSWORD", "x", "Use Key Vault.")).toBe(
            "env.DB_PASSWORD: the name looks like a secret, and plain values are stored and shown in clear text. Use Key Vault.",
        );
        expect(plainValueProblem("env.API_TOKEN", "API_TOKEN", githubToken().text, "Use Key Vault.")).toMatch(
            /^env\.API_TOKEN: the name looks like a secret and the value holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)\. Use Key Vault\.$/,
        );
        expect(plainValueProblem("env.LOG_LEVEL", "LOG_LEVEL", "info", "Use Key Vault.")).toBeUndefined();
    });

    it("checks a string at once, naming the input", () => {
        const token = githubToken();
        expect(() => checkedPlainValue('ContainerGroup "api"', "env.GREETING", "GREETING", token.text, "Use Key Vault.")).toThrow(
            /^ContainerGroup "api" \(1 problem\):\n {2}- env\.GREETING: the value holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)\. Use Key Vault\.$/,
        );
        expect(() => checkedPlainValue('ContainerGroup "api"', "env.COUNT", "COUNT", 3 as unknown as string, "Use Key Vault.")).toThrow(
            new ProblemsError('ContainerGroup "api"', ["env.COUNT must be a string; got number."]),
        );
        expect(checkedPlainValue('ContainerGroup "api"', "env.GREETING", "GREETING", "hello", "Use Key Vault.")).toBe("hello");
    });
});
