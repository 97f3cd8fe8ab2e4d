import * as fs from "fs";
import * as path from "path";
import { ProblemsError } from "../../infra/shared/problems";
import { backendUrl, environmentCredentialName, ghVariableCommands, githubCredentials, secretsProviderUrl, shellQuote } from "./github";

const repository = { owner: "contoso", repo: "keyless" };

describe("githubCredentials", () => {
    it("trusts each environment and pull requests of the repository, with GitHub's issuer and audience", () => {
        const credentials = githubCredentials("preview", repository, ["dev-drift", "prod-drift"], true);
        expect(credentials).toEqual([
            ...["dev-drift", "prod-drift"].map((environment) => ({
                name: `github-env-${environment}`,
                issuer: "https://token.actions.githubusercontent.com",
                subject: `repo:contoso/keyless:environment:${environment}`,
                audiences: ["api://AzureADTokenExchange"],
            })),
            {
                name: "github-pull-request",
                issuer: "https://token.actions.githubusercontent.com",
                subject: "repo:contoso/keyless:pull_request",
                audiences: ["api://AzureADTokenExchange"],
            },
        ]);
    });

    it("uses the immutable OWNER@ID/REPO@ID form when the IDs are known, and can leave pull requests out", () => {
        const credentials = githubCredentials("deploy", { ...repository, ownerId: 12345678, repoId: 987654321 }, ["prod"], false);
        expect(credentials.map((credential) => credential.subject)).toEqual(["repo:contoso@12345678/keyless@987654321:environment:prod"]);
    });

    it("refuses more than 20 credentials, naming the identity", () => {
        const environments = Array.from({ length: 20 }, (_, i) => `env${i}`);
        expect(() => githubCredentials("preview", repository, environments, true)).toThrow(
            new ProblemsError("Preview identity credentials", ["federatedCredentials lists 21 credentials; an identity takes at most 20."]),
        );
        expect(() => githubCredentials("deploy", repository, [...environments, "env20"], false)).toThrow(
            new ProblemsError("Deploy identity credentials", ["federatedCredentials lists 21 credentials; an identity takes at most 20."]),
        );
        expect(githubCredentials("deploy", repository, environments, false)).toHaveLength(20);
    });

    it("reports every bad environment name at once, in one error", () => {
        const environments = [...Array.from({ length: 20 }, (_, i) => `env${i}`), "a:b", "c:d"];
        expect(() => githubCredentials("deploy", repository, environments, false)).toThrow(
            new ProblemsError("Deploy identity credentials", [
                "GitHub environment \"a:b\" must be 1-255 characters without ':'.",
                "GitHub environment \"c:d\" must be 1-255 characters without ':'.",
            ]),
        );
    });

    it("gives environments with other characters distinct, valid credential names", () => {
        expect(environmentCredentialName("prod")).toBe("github-env-prod");
        const spaced = environmentCredentialName("prod eu");
        const dotted = environmentCredentialName("prod.eu");
        expect(spaced).toMatch(/^github-env-prod-eu-[0-9a-f]{8}$/);
        expect(dotted).toMatch(/^github-env-prod-eu-[0-9a-f]{8}$/);
        expect(spaced).not.toBe(dotted);
        expect(githubCredentials("deploy", repository, ["prod eu"], false)[0].subject).toBe("repo:contoso/keyless:environment:prod eu");
    });
});

describe("gh variable commands", () => {
    it("writes one paste-ready line per variable, quoting what the shell would expand", () => {
        expect(
            ghVariableCommands(repository, [
                { name: "AZURE_CLIENT_ID", value: "0b1c2d3e-0000-4000-8000-000000000000" },
                { name: "PULUMI_BACKEND_URL", value: "azblob://state?storage_account=stkeylessstateab12c" },
                { name: "PULUMI_SECRETS_PROVIDER", value: "azurekeyvault://kv-keyless-secrets-ab12c.vault.azure.net/keys/pulumi-stack-secrets" },
            ]),
        ).toBe(
            [
                "gh variable set AZURE_CLIENT_ID --repo contoso/keyless --body 0b1c2d3e-0000-4000-8000-000000000000",
                "gh variable set PULUMI_BACKEND_URL --repo contoso/keyless --body 'azblob://state?storage_account=stkeylessstateab12c'",
                "gh variable set PULUMI_SECRETS_PROVIDER --repo contoso/keyless --body azurekeyvault://kv-keyless-secrets-ab12c.vault.azure.net/keys/pulumi-stack-secrets",
            ].join("\n"),
        );
    });

    it("quotes single quotes and refuses bad names or empty values", () => {
        expect(shellQuote("it's")).toBe(`'it'\\''s'`);
        expect(shellQuote("a&b")).toBe("'a&b'");
        expect(() => ghVariableCommands(repository, [{ name: "azure client", value: "x" }, { name: "AZURE_TENANT_ID", value: "" }])).toThrow(
            new ProblemsError("GitHub repository variables", [
                "variables[0].name \"azure client\" must be uppercase letters, digits and '_', starting with a letter.",
                "variables[1].value of AZURE_TENANT_ID is empty; every variable the workflows read needs a value.",
            ]),
        );
    });
});

describe("backend and secrets provider URLs", () => {
    it("builds the azblob:// and azurekeyvault:// URLs Pulumi takes", () => {
        expect(backendUrl("state", "stkeylessstateab12c")).toBe("azblob://state?storage_account=stkeylessstateab12c");
        expect(secretsProviderUrl("https://kv-keyless-secrets-ab12c.vault.azure.net/keys/pulumi-stack-secrets")).toBe(
            "azurekeyvault://kv-keyless-secrets-ab12c.vault.azure.net/keys/pulumi-stack-secrets",
        );
        // Sovereign clouds have other vault hosts; the host comes from the key's own URI.
        expect(secretsProviderUrl("https://kv-a.vault.azure.cn/keys/k/")).toBe("azurekeyvault://kv-a.vault.azure.cn/keys/k");
    });

    it("refuses a versioned key URI and malformed names", () => {
        const versioned = "https://kv-a.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef";
        expect(() => secretsProviderUrl(versioned)).toThrow(
            new ProblemsError("Secrets provider", [`keyUri must be a versionless Key Vault key URI such as https://kv-name.vault.azure.net/keys/name; got "${versioned}".`]),
        );
        expect(() => backendUrl("State", "stkeyless")).toThrow(
            new ProblemsError("State backend", ['container "State" must be a blob container name: 3-63 lowercase letters, digits and single hyphens.']),
        );
        expect(() => backendUrl("State", "st-keyless")).toThrow(
            new ProblemsError("State backend", [
                'container "State" must be a blob container name: 3-63 lowercase letters, digits and single hyphens.',
                'account "st-keyless" must be a storage account name: 3-24 lowercase letters and digits.',
            ]),
        );
    });
});

describe("the immutable subject cutover", () => {
    // GitHub's changelog (2026-04-23): new repositories and renames or transfers after June 18, 2026 get the ID form.
    const places = ["docs/deploy.md", "infra/identity/federated.ts", "stacks/bootstrap/Pulumi.bootstrap.yaml"];
    it.each(places)("is given with GitHub's date, renames and transfers included, in %s", (file) => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8").replace(/\s+/g, " ");
        expect(text).not.toContain("2026-07-15");
        expect(text).toMatch(/created,? (?:and repositories )?renamed or transferred after (?:that date|June 18, 2026)|created after June 18, 2026, and repositories renamed or transferred after that date/);
    });
});
