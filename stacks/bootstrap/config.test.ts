import * as path from "path";
import { loadStackFile } from "../../offline/stackFile";
import { ProblemsError } from "../../infra/shared/problems";
import { bootstrapRawConfig, BootstrapConfigError, parseBootstrapConfig } from "./config";

const base = { githubOwner: "contoso", githubRepo: "keyless", location: "westeurope", stacks: ["dev", "prod"] };

function problemsOf(raw: Record<string, unknown>): string[] {
    try {
        parseBootstrapConfig(raw);
    } catch (error) {
        expect(error).toBeInstanceOf(BootstrapConfigError);
        return [...(error as BootstrapConfigError).problems];
    }
    throw new Error("expected the config to be refused");
}

describe("parseBootstrapConfig", () => {
    it("reads the example stack file into resource groups, environments and the repository", () => {
        const file = loadStackFile(__dirname, "bootstrap");
        expect(path.basename(file.path)).toBe("Pulumi.bootstrap.yaml");
        const config = parseBootstrapConfig(bootstrapRawConfig(file.config));
        expect(config).toEqual({
            project: "keyless",
            repository: { owner: "contoso", repo: "keyless" },
            environments: ["dev", "prod"],
            driftEnvironments: ["dev-drift", "prod-drift"],
            pullRequests: true,
            stacks: [
                { name: "dev", location: "westeurope", resourceGroupName: "rg-keyless-dev" },
                { name: "prod", location: "westeurope", resourceGroupName: "rg-keyless-prod" },
            ],
            location: "westeurope",
            resourceGroupName: "rg-keyless-bootstrap",
            network: { allowAllNetworks: true, allowedIps: [] },
            keySize: 3072,
            lockOperatorRoleName: "Keyless Lock Operator",
            appSettingsReaderRoleName: "Keyless App Settings Reader",
            registerEncryptionAtHost: true,
            evidence: { retentionDays: 90, entraSignInLogs: false },
        });
    });

    it("defaults the deploy environments to the stacks and the drift environments to <stack>-drift, as the workflows use them", () => {
        const config = parseBootstrapConfig(base);
        expect(config.environments).toEqual(["dev", "prod"]);
        expect(config.driftEnvironments).toEqual(["dev-drift", "prod-drift"]);
        expect(config.pullRequests).toBe(true);
    });

    it("keeps the deploy identity out of drift environments: listed under environments, they are refused with where they belong", () => {
        expect(problemsOf({ ...base, environments: ["dev", "prod", "dev-drift"] })).toEqual([
            'keyless-bootstrap:environments[2]: "dev-drift" is also in driftEnvironments; an environment\'s jobs sign in as one identity, so list it under environments (deploys) or driftEnvironments (read-only), not both',
        ]);
        expect(problemsOf({ ...base, environments: ["dev", "prod-drift"], driftEnvironments: ["dev-drift"] })).toEqual([
            'keyless-bootstrap:environments[1]: "prod-drift" is the drift environment of stack prod, whose jobs sign in as the read-only preview identity; move it to driftEnvironments',
        ]);
        // Other names are the user's choice.
        expect(parseBootstrapConfig({ ...base, environments: ["dev", "prod"], driftEnvironments: ["nightly"] }).driftEnvironments).toEqual(["nightly"]);
    });

    it("wants something to trust the preview identity", () => {
        expect(problemsOf({ ...base, driftEnvironments: [], pullRequests: false })).toEqual([
            "keyless-bootstrap:driftEnvironments: empty while pullRequests is false, so nothing could sign in as the preview identity; list the drift environments or set pullRequests to true",
        ]);
        expect(parseBootstrapConfig({ ...base, driftEnvironments: [] }).driftEnvironments).toEqual([]);
    });

    it("takes a per-stack location, a project prefix and display-name regions", () => {
        const config = parseBootstrapConfig({
            ...base,
            location: "West Europe",
            project: "shop",
            stacks: ["dev", { name: "prod", location: "northeurope" }],
        });
        expect(config.location).toBe("westeurope");
        expect(config.resourceGroupName).toBe("rg-shop-bootstrap");
        expect(config.stacks).toEqual([
            { name: "dev", location: "westeurope", resourceGroupName: "rg-shop-dev" },
            { name: "prod", location: "northeurope", resourceGroupName: "rg-shop-prod" },
        ]);
    });

    it("accepts the immutable IDs as numbers or numeric text, as `pulumi config set` stores them", () => {
        expect(parseBootstrapConfig({ ...base, githubOwnerId: "12345678", githubRepoId: 987654321 }).repository).toEqual({
            owner: "contoso",
            repo: "keyless",
            ownerId: 12345678,
            repoId: 987654321,
        });
    });

    it("keeps digit-only names as names", () => {
        const config = parseBootstrapConfig({ ...base, githubRepo: 2048, environments: [2024, "prod"] });
        expect(config.repository.repo).toBe("2048");
        expect(config.environments).toEqual(["2024", "prod"]);
    });

    it("names the key path and the value of each bad entry", () => {
        expect(problemsOf({ ...base, githubOwner: undefined })).toEqual([
            "keyless-bootstrap:githubOwner: missing; expected a string; set it with `pulumi config set githubOwner <value>`",
        ]);
        expect(problemsOf({ ...base, stacks: ["dev", "Prod"] })).toEqual([
            'keyless-bootstrap:stacks[1].name: expected 2-10 lowercase letters or digits such as dev or prod (the main stack\'s keyless:environment) (got "Prod")',
        ]);
        expect(problemsOf({ ...base, location: "westeuropa" })).toEqual([
            'keyless-bootstrap:location: expected an Azure region name such as westeurope or eastus2 (got "westeuropa")',
        ]);
        expect(problemsOf({ ...base, environments: ["dev", "a:b"] })[0]).toMatch(/^keyless-bootstrap:environments\[1\]: expected a GitHub environment name.*\(got "a:b"\)$/);
        expect(problemsOf({ ...base, githubOwnerId: "abc", githubRepoId: 1 })[0]).toMatch(/^keyless-bootstrap:githubOwnerId: expected the numeric ID GitHub assigns/);
        expect(problemsOf({ ...base, keySize: 2048 })).toEqual(["keyless-bootstrap:keySize: expected 3072 or 4096 (RSA key size in bits) (got 2048)"]);
        expect(problemsOf({ ...base, stacks: [] })).toEqual(["keyless-bootstrap:stacks: list at least one main stack, such as [dev, prod] (got [])"]);
    });

    it("refuses unknown keys, naming them and the keys it knows", () => {
        const [problem] = problemsOf({ ...base, githubrepository: "x" });
        expect(problem).toMatch(/^keyless-bootstrap: unknown key "githubrepository"; expected one of githubOwner, githubRepo, /);
        expect(problemsOf({ ...base, network: { allowAll: true } })[0]).toMatch(/^keyless-bootstrap:network: unknown key "allowAll"/);
    });

    it("needs both immutable IDs or neither", () => {
        expect(problemsOf({ ...base, githubOwnerId: 12345678 })).toEqual([
            "keyless-bootstrap:githubRepoId: missing; the immutable subject repo:OWNER@OWNER_ID/REPO@REPO_ID needs both githubOwnerId and githubRepoId, or neither",
        ]);
    });

    it("refuses duplicate stacks and environments, and a stack named bootstrap", () => {
        expect(problemsOf({ ...base, stacks: ["dev", "dev", "bootstrap"], environments: ["dev", "dev"], driftEnvironments: ["x", "x"] })).toEqual([
            'keyless-bootstrap:stacks: "dev" is listed twice; each main stack gets one resource group',
            'keyless-bootstrap:stacks: "bootstrap" names the bootstrap\'s own resource group; choose another stack name',
            'keyless-bootstrap:environments: "dev" is listed twice; each environment gets one federated credential',
            'keyless-bootstrap:driftEnvironments: "x" is listed twice; each environment gets one federated credential',
        ]);
    });

    it("counts each identity's credentials against Azure's 20, the pull_request one on the preview identity", () => {
        const twenty = Array.from({ length: 20 }, (_, i) => `env${i}`);
        expect(parseBootstrapConfig({ ...base, environments: twenty }).environments).toHaveLength(20);
        expect(problemsOf({ ...base, environments: [...twenty, "env20"] })).toEqual([
            "keyless-bootstrap:environments: 21 environments make 21 federated credentials on the deploy identity; Azure allows at most 20 on one identity",
        ]);
        expect(problemsOf({ ...base, driftEnvironments: twenty })).toEqual([
            "keyless-bootstrap:driftEnvironments: 20 environments plus the pull_request credential make 21 federated credentials on the preview identity; Azure allows at most 20 on one identity",
        ]);
        expect(parseBootstrapConfig({ ...base, driftEnvironments: twenty, pullRequests: false }).driftEnvironments).toHaveLength(20);
    });

    it("wants either every network or a list of addresses, not both and not neither", () => {
        expect(problemsOf({ ...base, network: { allowedIps: ["203.0.113.7"] } })[0]).toMatch(
            /^keyless-bootstrap:network.allowedIps: listed while network.allowAllNetworks is true/,
        );
        expect(problemsOf({ ...base, network: { allowAllNetworks: false } })[0]).toMatch(
            /^keyless-bootstrap:network.allowedIps: empty while network.allowAllNetworks is false/,
        );
        expect(problemsOf({ ...base, network: { allowAllNetworks: false, allowedIps: ["10.0.0.1"] } })[0]).toMatch(
            /^keyless-bootstrap:network.allowedIps\[0\]: .*private \(RFC 1918\)/,
        );
        expect(parseBootstrapConfig({ ...base, network: { allowAllNetworks: false, allowedIps: ["203.0.113.0/24"] } }).network).toEqual({
            allowAllNetworks: false,
            allowedIps: ["203.0.113.0/24"],
        });
    });

    it("reports every problem at once, in the shared format", () => {
        expect(() => parseBootstrapConfig({ githubOwner: "-bad", githubRepo: "keyless", stacks: ["dev"], location: "mars" })).toThrow(
            new ProblemsError("Invalid bootstrap config", [
                "keyless-bootstrap:githubOwner: expected a GitHub name: letters, digits, '.', '_' or '-', starting with a letter or digit (got \"-bad\")",
                'keyless-bootstrap:location: expected an Azure region name such as westeurope or eastus2 (got "mars")',
            ]),
        );
        expect(() => parseBootstrapConfig({ githubOwner: "-bad", githubRepo: "keyless", stacks: ["dev"], location: "mars" })).toThrow(ProblemsError);
    });
});

describe("bootstrapRawConfig", () => {
    it("keeps this project's keys and decodes structured values, leaving other namespaces out", () => {
        expect(
            bootstrapRawConfig({
                "azure-native:location": "westeurope",
                "keyless:environment": "dev",
                "keyless-bootstrap:stacks": '["dev","prod"]',
                "keyless-bootstrap:pullRequests": "false",
                "keyless-bootstrap:githubRepoId": "987654321",
            }),
        ).toEqual({ stacks: ["dev", "prod"], pullRequests: false, githubRepoId: 987654321 });
    });
});
