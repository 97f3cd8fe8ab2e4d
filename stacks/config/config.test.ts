import * as path from "path";
import { githubToken, jsonWebToken, revealsMoreThan4, sasUrl } from "../../infra/testing/credentials";
import { ConfigError, namespacedConfig, parseStackConfig, StackConfig } from ".";
import { loadStackFile } from "../../offline/stackFile";

const root = path.join(__dirname, "..", "..");

function devRaw(): Record<string, unknown> {
    return namespacedConfig(loadStackFile(root, "dev").config);
}

function problemsOf(raw: Record<string, unknown>, secretKeys: string[] = []): string[] {
    try {
        parseStackConfig(raw, { project: "keyless", secretKeys });
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return [...(error as ConfigError).problems];
    }
    throw new Error("expected the config to be rejected");
}

type Workload = Record<string, unknown> & { name: string; access?: Record<string, unknown>[] };

function withWorkloads(edit: (workloads: Workload[]) => void): Record<string, unknown> {
    const raw = devRaw();
    const workloads = structuredClone(raw.workloads) as Workload[];
    edit(workloads);
    return { ...raw, workloads };
}

function stockTracker(workloads: Workload[]): Workload {
    return workloads.find((workload) => workload.name === "stock-tracker")!;
}

describe("stack config", () => {
    let dev: StackConfig;
    beforeAll(() => {
        dev = parseStackConfig(devRaw(), { project: "keyless" });
    });

    it("reads the dev stack and resolves every grant to an identity and a declared target", () => {
        expect(dev.environment).toBe("dev");
        expect(dev.location).toBe("westeurope");
        expect(dev.grants).toContainEqual({
            workload: "stock-tracker",
            identity: "stock-tracker",
            role: "Key Vault Secrets User",
            target: { kind: "secret", service: "app-secrets", child: "stock-api-key" },
        });
        expect(dev.grants).toContainEqual({
            workload: "stock-tracker",
            identity: "stock-tracker",
            role: "Storage Blob Data Reader",
            target: { kind: "container", service: "appdata", child: "stock" },
        });
        expect(dev.grants).toContainEqual(
            expect.objectContaining({ workload: "orders-logic", identity: "system", role: "Storage Blob Data Reader" }),
        );
        expect(dev.sqlGrants).toEqual([
            { workload: "storefront", identity: "storefront", server: "inventory-sql", database: "inventory", roles: ["db_datareader"], connection: "INVENTORY_SQL" },
        ]);
    });

    it("suggests the closest role name for an unknown role", () => {
        const problems = problemsOf(withWorkloads((w) => (stockTracker(w).access![0].role = "Key Vault Secret User")));
        expect(problems).toEqual([
            expect.stringMatching(
                /^keyless\.workloads\[stock-tracker\]\.access\[0\]\.role: Unknown role "Key Vault Secret User".*Did you mean "Key Vault Secrets User"\?/,
            ),
        ]);
    });

    it("rejects a grant whose target does not exist, naming the declared ones", () => {
        const problems = problemsOf(withWorkloads((w) => (stockTracker(w).access![0].vault = "missing-vault")));
        expect(problems).toEqual([
            'keyless.workloads[stock-tracker].access[0].vault: vault "missing-vault" is not declared; expected one of app-secrets',
        ]);
    });

    it("rejects a container that the storage account does not declare", () => {
        const problems = problemsOf(withWorkloads((w) => (stockTracker(w).access![1].container = "nope")));
        expect(problems[0]).toMatch(/access\[1\]\.container: container "nope" is not declared on storage account "appdata"; expected one of stock, reports/);
    });

    it("rejects a role that does not fit its target", () => {
        const problems = problemsOf(withWorkloads((w) => (stockTracker(w).access![0].role = "Storage Blob Data Reader")));
        expect(problems[0]).toMatch(/access\[0\]\.role: Role "Storage Blob Data Reader" does not apply to secret "app-secrets\/stock-api-key"/);
    });

    it("rejects duplicate workload names", () => {
        const problems = problemsOf(withWorkloads((w) => w.push({ ...structuredClone(stockTracker(w)) })));
        expect(problems).toContainEqual(expect.stringMatching(/workloads\[6\]\.name: duplicate workload name "stock-tracker"/));
    });

    it("rejects a bad region, CIDR and SSH key with the key path and value", () => {
        const raw = withWorkloads((w) => (stockTracker(w).sshPublicKey = "ssh-ed25519 not-base64!"));
        raw.location = "westeuropa";
        raw.network = { ...(raw.network as object), addressSpace: "10.20.0.0/33" };
        const problems = problemsOf(raw);
        expect(problems).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^keyless\.location: expected an Azure region name .*\(got "westeuropa"\)/),
                expect.stringMatching(/^keyless\.network\.addressSpace: "10\.20\.0\.0\/33" is not an IPv4 CIDR block.*\(got "10\.20\.0\.0\/33"\)/),
                expect.stringMatching(/^keyless\.workloads\[stock-tracker\]\.sshPublicKey: /),
            ]),
        );
    });

    it("rejects a subnet outside the address space", () => {
        const raw = devRaw();
        raw.network = { ...(raw.network as object), subnets: { workloads: "10.99.1.0/24" } };
        expect(problemsOf(raw)).toContainEqual("keyless.network.subnets.workloads: 10.99.1.0/24 is outside the address space 10.20.0.0/16");
    });

    it("refuses a plaintext value where a secret is required, and masks it", () => {
        const raw = devRaw();
        const plaintext = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
        raw.vaults = { "app-secrets": { secrets: { "stock-api-key": { config: "stockApiKey" } } } };
        raw.stockApiKey = plaintext;
        const problems = problemsOf(raw);
        expect(problems).toEqual([
            expect.stringMatching(/^keyless\.vaults\.app-secrets\.secrets\.stock-api-key\.config: "keyless:stockApiKey" holds a plaintext value .* where a secret is required/),
        ]);
        expect(problems.join("\n")).not.toContain(plaintext.slice(2, 7));
        // The same value marked secure: is accepted.
        expect(parseStackConfig(raw, { project: "keyless", secretKeys: ["stockApiKey"] }).secretConfigKeys).toEqual(["stockApiKey"]);
    });

    const named = (name: string) => (workloads: Workload[]) => workloads.find((workload) => workload.name === name)!;
    const storefront = named("storefront");
    const ingest = named("ingest");

    it.each([
        ["a GitHub token", githubToken, "github-token"],
        ["a JSON Web Token", jsonWebToken, "jwt"],
        ["a SAS URL", () => sasUrl("appdata"), "sas-token"],
    ])("refuses %s as a plain web app setting or container variable, naming the key path and the kind", (_case, make, kind) => {
        const setting = make();
        const variable = make();
        const problems = problemsOf(
            withWorkloads((w) => {
                (storefront(w).settings as Record<string, unknown>).GREETING = setting.text;
                (ingest(w).env as Record<string, unknown>).GREETING = variable.text;
            }),
        );
        expect(problems).toEqual([
            expect.stringMatching(new RegExp(`^keyless\\.workloads\\[storefront\\]\\.settings\\.GREETING: the value holds a credential: ${kind} \\(.*\\)\\. Expected \\{ secret: VAULT/SECRET \\}`)),
            expect.stringMatching(new RegExp(`^keyless\\.workloads\\[ingest\\]\\.env\\.GREETING: the value holds a credential: ${kind} \\(.*\\)\\. Expected secureEnv`)),
        ]);
        expect(revealsMoreThan4(problems.join("\n"), setting.secret)).toBe(false);
        expect(revealsMoreThan4(problems.join("\n"), variable.secret)).toBe(false);
    });

    it("refuses any plain value under a secret-looking name, but not identity-based or Application Insights settings", () => {
        const problems = problemsOf(
            withWorkloads((w) => {
                Object.assign(storefront(w).settings as Record<string, unknown>, {
                    DB_PASSWORD: "x",
                    Storage__blobServiceUri: "https://stappdata.blob.core.windows.net",
                    Storage__clientId: "11111111-2222-4333-8444-555555555555",
                    APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
                });
                (ingest(w).env as Record<string, unknown>).SQL_CONNECTION_STRING = "Server=tcp:sql;Authentication=Active Directory Managed Identity";
            }),
        );
        expect(problems).toEqual([
            "keyless.workloads[storefront].settings.DB_PASSWORD: the name looks like a secret, and plain values are stored and shown in clear text. Expected { secret: VAULT/SECRET }, a Key Vault reference.",
            expect.stringMatching(/^keyless\.workloads\[ingest\]\.env\.SQL_CONNECTION_STRING: the name looks like a secret, .* Expected secureEnv with a secure: config key/),
        ]);
    });

    it("masks a credential in a value the schema refuses, whatever its key", () => {
        const token = githubToken();
        const problems = problemsOf(withWorkloads((w) => ((ingest(w).env as Record<string, unknown>).GREETING = { value: token.text })));
        expect(problems).toEqual([expect.stringMatching(/^keyless\.workloads\[ingest\]\.env\.GREETING: .*\(got \{"va…\(\d+ chars\)\)$/)]);
        expect(revealsMoreThan4(problems[0], token.secret)).toBe(false);
    });

    it("requires a workload to have an identity and its identities to exist", () => {
        const problems = problemsOf(
            withWorkloads((w) => {
                stockTracker(w).identity = { userAssigned: ["ghost"] };
            }),
        );
        expect(problems).toContainEqual(expect.stringMatching(/workloads\[stock-tracker\]\.identity\.userAssigned\[0\]: identity "ghost" is not declared/));
        expect(problems).toContainEqual(expect.stringMatching(/identities\.stock-tracker: identity "stock-tracker" is not used by any workload/));
    });

    it("requires a Key Vault grant for a workload that reads a vault secret", () => {
        const problems = problemsOf(withWorkloads((w) => stockTracker(w).access!.splice(0, 1)));
        expect(problems).toEqual([
            expect.stringMatching(/workloads\[stock-tracker\]\.app\.secret: workload "stock-tracker" reads app-secrets\/stock-api-key but has no Key Vault Secrets User grant/),
        ]);
    });

    it("reports unknown keys with a suggestion", () => {
        const raw = devRaw();
        raw.workload = [];
        expect(problemsOf(raw)).toEqual([expect.stringMatching(/^keyless:workload: unknown config key.*Did you mean "workloads"\?/)]);
    });

    it("rejects an unknown workload kind and lists the kinds", () => {
        const problems = problemsOf(withWorkloads((w) => (stockTracker(w).kind = "lambda")));
        expect(problems[0]).toMatch(/^keyless\.workloads\[stock-tracker\]/);
        expect(problems[0]).toMatch(/linuxVm/);
    });
});

describe("narrow messaging scopes", () => {
    function ingest(workloads: Workload[]): Workload {
        return workloads.find((workload) => workload.name === "ingest")!;
    }

    it("grants a Service Bus role on one queue", () => {
        const config = parseStackConfig(devRaw(), { project: "keyless" });
        expect(config.grants).toContainEqual({
            workload: "ingest",
            identity: "ingest",
            role: "Azure Service Bus Data Sender",
            target: { kind: "serviceBusQueue", service: "orders-bus", child: "ingest" },
            connection: "ORDERS_BUS",
        });
    });

    it("rejects a queue the namespace does not declare, and a container on a Service Bus target", () => {
        expect(problemsOf(withWorkloads((w) => (ingest(w).access![1].queue = "missing")))).toEqual([
            'keyless.workloads[ingest].access[1].queue: Service Bus queue "missing" is not declared on Service Bus namespace "orders-bus"; expected one of ingest',
        ]);
        expect(
            problemsOf(
                withWorkloads((w) => {
                    delete ingest(w).access![1].queue;
                    ingest(w).access![1].container = "stock";
                }),
            ),
        ).toEqual(["keyless.workloads[ingest].access[1].container: a serviceBus target takes only queue, topic"]);
    });
});
