import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "crypto";
import { roleDefinitionId } from "../../infra/access/roles";
import { roleAssignmentName } from "../../infra/shared/naming";
import { activityRow, daysAgo, Row, signInRow, storageRow, storageTable, vaultRow } from "../../infra/testing/reviewLogs";
import { valueOf } from "../../offline/mocks";
import { runStackOffline } from "../../offline/stack";
import { checkStackConfig, runPlan } from "../plan/run";
import { loadStackFile } from "../../offline/stackFile";
import type { PlanDocument, PlanGrant } from "../plan/types";
import { main } from "../review";
import { review } from "./analyze";
import { rightSizingPatch } from "./patch";
import { parse } from "yaml";
import { readLogDirectory } from "./logs";
import { StackOutputs } from "./outputs";
import { loadTableSchemas } from "./schema";
import { ReviewDocument } from "./types";

const repoRoot = path.join(__dirname, "..", "..");
const schemas = loadTableSchemas();
const now = new Date();
const deployPrincipal = randomUUID();
const knownCredential = `/subscriptions/s/resourceGroups/rg-keyless-bootstrap/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy/federatedIdentityCredentials/github-dev`;
const bootstrap = { principalId: deployPrincipal, previewPrincipalId: randomUUID(), federatedCredentialIds: [knownCredential], federatedSubjects: ["repo:contoso/keyless:environment:dev"] };

let plan: PlanDocument;
let outputs: StackOutputs & { resourceGroupName: string };

async function resolved(value: unknown): Promise<Record<string, string>> {
    const entries = await Promise.all(Object.entries(value as Record<string, pulumi.Output<string>>).map(async ([key, output]) => [key, await valueOf(output)] as const));
    return Object.fromEntries(entries) as Record<string, string>;
}

beforeAll(async () => {
    plan = await runPlan({ root: repoRoot, repoRoot, stack: "dev" });
    const run = await runStackOffline(repoRoot, "dev");
    const raw = run.outputs as unknown as Record<string, unknown>;
    outputs = {
        resourceGroupName: await valueOf(raw.resourceGroupName as pulumi.Output<string>),
        identityPrincipalIds: await resolved(raw.identityPrincipalIds),
        roleAssignmentIds: await resolved(raw.roleAssignmentIds),
    };
});

/** What a grant looks like in the logs: its principal, the real scope, the account or vault, the service. */
function grantContext(grant: PlanGrant) {
    const resource = grant.urn.split("::").pop()!;
    const id = outputs.roleAssignmentIds[resource];
    const principal = outputs.identityPrincipalIds[grant.identity];
    if (!id || !principal) {
        return undefined;
    }
    const scope = id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/.*$/, "");
    const service: "blob" | "queue" | "table" | "vault" | undefined = grant.role.startsWith("Storage Blob")
        ? "blob"
        : grant.role.startsWith("Storage Queue")
          ? "queue"
          : grant.role.startsWith("Storage Table")
            ? "table"
            : grant.role.startsWith("Key Vault")
              ? "vault"
              : undefined;
    const parent = /^.*\/(storageAccounts|vaults)\/[^/]+/i.exec(scope)?.[0];
    const child = scope === parent ? undefined : scope.split("/").pop()!;
    return service && parent ? { principal, scope, parent, child, service } : undefined;
}

const readOps = { blob: "GetBlob", queue: "PeekMessages", table: "QueryEntities", vault: "SecretGet" } as const;
const writeOps = { blob: "PutBlob", queue: "GetMessages", table: "InsertEntity", vault: "SecretSet" } as const;

function add(tables: Record<string, Row[]>, table: string, ...rows: Row[]): void {
    tables[table] = [...(tables[table] ?? []), ...rows];
}

/** A month in which every identity uses each grant as declared: reads, and writes where the role writes, on every child an account-wide role needs. */
function cleanMonth(): Record<string, Row[]> {
    const tables: Record<string, Row[]> = { AzureActivity: [], AADManagedIdentitySignInLogs: [], AADServicePrincipalSignInLogs: [] };
    plan.grants.forEach((grant, index) => {
        const context = grantContext(grant);
        if (!context) {
            return;
        }
        const children = context.child ? [context.child] : ["one", "two"];
        for (const child of children) {
            for (const operation of grant.writes ? [readOps[context.service], writeOps[context.service]] : [readOps[context.service]]) {
                const time = daysAgo(now, 1 + (index % 20), 2);
                add(
                    tables,
                    context.service === "vault" ? "AZKVAuditLogs" : storageTable(context.service),
                    context.service === "vault" ? vaultRow(time, context.principal, context.parent, child, operation) : storageRow(context.service, time, context.principal, context.parent, child, operation),
                );
            }
        }
    });
    for (const [name, principal] of Object.entries(outputs.identityPrincipalIds)) {
        add(tables, "AADManagedIdentitySignInLogs", signInRow(daysAgo(now, 2), principal, `id-${name}`, "Azure Storage"));
    }
    add(tables, "AADManagedIdentitySignInLogs", signInRow(daysAgo(now, 3), deployPrincipal, "id-keyless-deploy", "Windows Azure Service Management API", knownCredential));
    add(tables, "AzureActivity", activityRow(daysAgo(now, 3), deployPrincipal, "Microsoft.Storage/storageAccounts/write", outputs.resourceGroupName, `/subscriptions/s/resourceGroups/${outputs.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/stappdata`));
    return tables;
}

function grantOf(identity: string, role: string, scopeName?: string): PlanGrant {
    const grant = plan.grants.find((candidate) => candidate.identity === identity && candidate.role === role && (!scopeName || candidate.scope.name === scopeName));
    if (!grant) {
        throw new Error(`no grant ${role} for ${identity} in the dev plan`);
    }
    return grant;
}

/** The clean month with one of each finding the review reports. */
function findingsMonth(): Record<string, Row[]> {
    const tables = cleanMonth();
    const storageOf = (principal: string) => (row: Row) => String(row.RequesterObjectId) !== principal && !JSON.stringify(row.Identity ?? "").includes(principal);
    // storefront stops reading its container: an unused grant.
    const storefront = grantContext(grantOf("storefront", "Storage Blob Data Reader"))!;
    tables.StorageBlobLogs = tables.StorageBlobLogs.filter(storageOf(storefront.principal));
    // order-processor only queries its table: Table Data Contributor used only to read.
    const inventory = grantContext(grantOf("order-processor", "Storage Table Data Contributor", "appdata/inventory"))!;
    tables.StorageTableLogs = tables.StorageTableLogs.filter((row) => !(row.RequesterObjectId === inventory.principal && row.OperationName === "InsertEntity" && String(row.ObjectKey).includes("/inventory(")));
    // The host's account-wide Blob Data Owner is used on one container only.
    const host = grantContext(grantOf("order-processor", "Storage Blob Data Owner"))!;
    tables.StorageBlobLogs = tables.StorageBlobLogs.filter((row) => !(row.RequesterObjectId === host.principal && String(row.ObjectKey).includes("/two/")));
    // orders-logic is refused on a container it holds nothing on; inventory-api is refused on the secret it holds.
    const logic = grantContext(grantOf("orders-logic", "Storage Blob Data Reader"))!;
    add(tables, "StorageBlobLogs", storageRow("blob", daysAgo(now, 4), logic.principal, logic.parent, "stock", "GetBlob", 403), storageRow("blob", daysAgo(now, 5), logic.principal, logic.parent, "stock", "GetBlob", 403));
    const api = grantContext(grantOf("inventory-api", "Key Vault Secrets User"))!;
    add(tables, "AZKVAuditLogs", vaultRow(daysAgo(now, 6), api.principal, api.parent, "stock-api-key", "SecretGet", 403));
    // A managed identity nobody declares, a portal change, and a deploy sign-in through a credential nobody created.
    add(tables, "AADManagedIdentitySignInLogs", signInRow(daysAgo(now, 7), randomUUID(), "id-legacy-export", "Azure Storage"));
    add(tables, "AzureActivity", activityRow(daysAgo(now, 8), "ops@contoso.com", "Microsoft.Storage/storageAccounts/write", outputs.resourceGroupName, `/subscriptions/s/resourceGroups/${outputs.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/stappdata`));
    add(tables, "AADManagedIdentitySignInLogs", signInRow(daysAgo(now, 9), deployPrincipal, "id-keyless-deploy", "Windows Azure Service Management API", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy/federatedIdentityCredentials/forked-repo"));
    return tables;
}

function writeFixtures(tables: Record<string, Row[]>): { dir: string; logs: string; outputsFile: string; bootstrapFile: string; planFile: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-review-"));
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    for (const [table, rows] of Object.entries(tables)) {
        fs.writeFileSync(path.join(logs, `${table}.json`), JSON.stringify(rows));
    }
    const outputsFile = path.join(dir, "outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify({ ...outputs, workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" }));
    const bootstrapFile = path.join(dir, "bootstrap.json");
    fs.writeFileSync(bootstrapFile, JSON.stringify(bootstrap));
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(planFile, JSON.stringify(plan));
    return { dir, logs, outputsFile, bootstrapFile, planFile };
}

function reviewOf(tables: Record<string, Row[]>, withBootstrap = true): ReviewDocument {
    const fixtures = writeFixtures(tables);
    return review({
        stack: "dev",
        mode: "offline",
        days: 30,
        now,
        plan,
        outputs,
        bootstrap: withBootstrap ? { deployPrincipalIds: [bootstrap.principalId, bootstrap.previewPrincipalId], federatedCredentialIds: bootstrap.federatedCredentialIds, federatedSubjects: bootstrap.federatedSubjects } : undefined,
        tables: readLogDirectory(fixtures.logs, schemas),
    });
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const lines: string[] = [];
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
        written.push(String(chunk));
        return true;
    }) as typeof process.stdout.write;
    try {
        const code = await main(args, (line) => lines.push(line));
        return { code, stdout: written.join(""), stderr: lines.join("\n") };
    } finally {
        process.stdout.write = write;
    }
}

describe("the stack's outputs for the review", () => {
    it("export a principal ID for every identity the config declares and a resource ID for each of their role assignments", () => {
        // External principals (the AKS operators' Entra group) are not the stack's identities.
        const declared = plan.identities.filter((identity) => !identity.name.startsWith("inventory-aks-") && identity.kind !== "external");
        expect(Object.keys(outputs.identityPrincipalIds).sort()).toEqual(declared.map((identity) => identity.name).sort());
        const grants = plan.grants.filter((grant) => grant.identity in outputs.identityPrincipalIds);
        expect(Object.keys(outputs.roleAssignmentIds).sort()).toEqual(grants.map((grant) => grant.urn.split("::").pop()).sort());
    });

    it("give role assignment IDs whose name is the UUID v5 of scope, principal and role, so a grant is matched by name", () => {
        for (const grant of plan.grants.filter((candidate) => candidate.identity in outputs.identityPrincipalIds)) {
            const id = outputs.roleAssignmentIds[grant.urn.split("::").pop()!];
            const [scope, name] = id.split("/providers/Microsoft.Authorization/roleAssignments/");
            const subscription = scope.split("/")[2];
            expect(name).toBe(roleAssignmentName(scope, outputs.identityPrincipalIds[grant.identity], roleDefinitionId(subscription, grant.roleId)));
        }
    });
});

describe("npm run review on generated logs of the dev stack", () => {
    it("a clean month: every reviewable grant used, with count, last use and operations; no finding", () => {
        const document = reviewOf(cleanMonth());
        expect(document.findings).toEqual([]);
        const stockTracker = document.identities.find((identity) => identity.name === "stock-tracker")!;
        expect(stockTracker.signIns).toBe(1);
        expect(stockTracker.grants.map((use) => [use.role, use.status, use.count, use.operations])).toEqual([
            ["Key Vault Secrets User", "used", 1, ["SecretGet"]],
            ["Storage Blob Data Reader", "used", 1, ["GetBlob"]],
        ]);
        expect(stockTracker.grants.every((use) => use.lastUse !== null && use.assignment !== null)).toBe(true);
        const ingest = document.identities.find((identity) => identity.name === "ingest")!;
        expect(ingest.grants.map((use) => use.status)).toEqual(["not-reviewed", "not-reviewed"]);
    });

    it("a month with one of each finding reports each, with the suggested right-sizing", () => {
        const document = reviewOf(findingsMonth());
        const byKind = (kind: string) => document.findings.filter((finding) => finding.kind === kind);
        expect(byKind("unused-grant")).toEqual([expect.objectContaining({ identity: "storefront", suggestion: { remove: true } })]);
        expect(byKind("read-only-use")).toEqual([expect.objectContaining({ identity: "order-processor", suggestion: { role: "Storage Table Data Reader" } })]);
        expect(byKind("narrower-scope")).toEqual([expect.objectContaining({ identity: "order-processor", suggestion: { scope: "container one" } })]);
        const denied = byKind("denied-request");
        expect(denied.map((finding) => [finding.identity, finding.count])).toEqual([
            ["orders-logic", 2],
            ["inventory-api", 1],
        ]);
        expect(denied[0].message).toMatch(/no grant covers it/);
        expect(denied[1].message).toMatch(/holds Key Vault Secrets User .* unreachable/);
        expect(byKind("undeclared-identity")).toEqual([expect.objectContaining({ message: expect.stringContaining("id-legacy-export") })]);
        expect(byKind("outside-change")).toEqual([expect.objectContaining({ principalId: "ops@contoso.com", message: expect.stringContaining("Microsoft.Storage/storageAccounts/write") })]);
        expect(byKind("unknown-federated-credential")).toEqual([expect.objectContaining({ message: expect.stringContaining("forked-repo") })]);
    });

    it("ignores rows older than the window", () => {
        const tables = cleanMonth();
        const storefront = grantContext(grantOf("storefront", "Storage Blob Data Reader"))!;
        tables.StorageBlobLogs = tables.StorageBlobLogs.map((row) => (row.RequesterObjectId === storefront.principal ? { ...row, TimeGenerated: daysAgo(now, 40) } : row));
        expect(reviewOf(tables).findings.map((finding) => [finding.kind, finding.identity])).toEqual([["unused-grant", "storefront"]]);
    });

    it("without the bootstrap outputs, says that control-plane writes and deploy sign-ins were not checked", () => {
        const document = reviewOf(findingsMonth(), false);
        expect(document.findings.some((finding) => finding.kind === "outside-change")).toBe(false);
        expect(document.notes.join(" ")).toMatch(/--bootstrap-outputs/);
    });
});

describe("the review command line", () => {
    it("exits 0 on a clean month and 1 with findings, in text, JSON and Markdown", async () => {
        const clean = writeFixtures(cleanMonth());
        const base = ["--stack", "dev", "--plan", clean.planFile, "--outputs", clean.outputsFile, "--bootstrap-outputs", clean.bootstrapFile];
        expect((await cli([...base, "--logs", clean.logs])).code).toBe(0);
        const found = writeFixtures(findingsMonth());
        const foundBase = ["--stack", "dev", "--plan", found.planFile, "--outputs", found.outputsFile, "--bootstrap-outputs", found.bootstrapFile, "--logs", found.logs];
        const text = await cli(foundBase);
        expect(text.code).toBe(1);
        expect(text.stdout).toMatch(/\[read-only-use\] order-processor: Storage Table Data Contributor on table appdata\/inventory was used only to read/);
        const json = await cli([...foundBase, "--format", "json"]);
        expect(JSON.parse(json.stdout).findings).toHaveLength(8);
        const markdown = await cli([...foundBase, "--format", "markdown"]);
        expect(markdown.stdout).toMatch(/^## Access review: stack `dev`/);
        expect(markdown.stdout).toMatch(/\| unused-grant \| storefront \|/);
    });

    it("exits 2 on a malformed export, naming the file, row and column", async () => {
        const tables = cleanMonth();
        tables.StorageQueueLogs[1] = { ...tables.StorageQueueLogs[1], TimeGenerated: "yesterday" };
        const fixtures = writeFixtures(tables);
        const run = await cli(["--plan", fixtures.planFile, "--outputs", fixtures.outputsFile, "--logs", fixtures.logs]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^StorageQueueLogs\.json: row 2, column TimeGenerated: expected an ISO 8601 date and time .* got "yesterday"\.$/);
        fs.writeFileSync(path.join(fixtures.logs, "AzureActivity.json"), "[{]");
        fs.writeFileSync(path.join(fixtures.logs, "StorageQueueLogs.json"), "[]");
        expect((await cli(["--plan", fixtures.planFile, "--outputs", fixtures.outputsFile, "--logs", fixtures.logs])).stderr).toMatch(/^AzureActivity\.json: not valid JSON/);
    });

    it("exits 2 on outputs without the review's exports, and on bad usage", async () => {
        const fixtures = writeFixtures(cleanMonth());
        fs.writeFileSync(fixtures.outputsFile, JSON.stringify({ resourceGroupName: "rg-keyless-dev", identityPrincipalIds: {} }));
        const run = await cli(["--plan", fixtures.planFile, "--outputs", fixtures.outputsFile, "--logs", fixtures.logs]);
        expect(run).toEqual(expect.objectContaining({ code: 2, stderr: expect.stringContaining('no "roleAssignmentIds" output') }));
        expect((await cli(["--logs", fixtures.logs])).stderr).toMatch(/--outputs <file> is required/);
        expect((await cli(["--outputs", fixtures.outputsFile, "--logs", fixtures.logs, "--days", "0"])).code).toBe(2);
    });

    it("reports a table without an export as missing and its grants as not reviewed", async () => {
        const tables = cleanMonth();
        delete tables.StorageTableLogs;
        const document = reviewOf(tables);
        expect(document.tables.find((table) => table.name === "StorageTableLogs")).toEqual(expect.objectContaining({ status: "missing", rows: 0 }));
        const processor = document.identities.find((identity) => identity.name === "order-processor")!;
        expect(processor.grants.filter((use) => use.role.startsWith("Storage Table")).map((use) => use.status)).toEqual(["not-reviewed", "not-reviewed"]);
        expect(document.findings).toEqual([]);
    });
});

describe("the right-sizing patch of Pulumi.dev.yaml", () => {
    it("swaps in the read role, keeps an entry whose removal would break the config, and lists what a component adds", () => {
        const document = reviewOf(findingsMonth());
        const source = fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");
        const validate = (text: string) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-patch-test-"));
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
            try {
                checkStackConfig(loadStackFile(dir, "dev"));
                return undefined;
            } catch (error) {
                return (error as Error).message;
            }
        };
        const patch = rightSizingPatch("Pulumi.dev.yaml", source, plan, document, validate);
        expect(patch.diff).toMatch(/^--- a\/Pulumi\.dev\.yaml\n\+\+\+ b\/Pulumi\.dev\.yaml\n@@ /);
        expect(patch.diff.split("\n").filter((line) => /^[-+] /.test(line))).toEqual(["-        - role: Storage Table Data Contributor", "+        - role: Storage Table Data Reader"]);
        const access = (text: string, name: string) => (parse(text).config["keyless:workloads"] as { name: string; access: { role?: string }[] }[]).find((workload) => workload.name === name)!.access;
        // Its queue roles come from its trigger, not from written access: only the table grant is written.
        expect(access(patch.patched, "order-processor").map((entry) => entry.role)).toEqual(["Storage Table Data Reader"]);
        // storefront's STOCK_STORAGE setting connects through the unused grant: removing it would fail the config check.
        expect(access(patch.patched, "storefront")).toEqual(access(source, "storefront"));
        expect(patch.notPatched).toEqual([
            expect.stringMatching(/Storage Blob Data Owner on storageAccount fnhost .*not in the stack config/),
            expect.stringMatching(/^storefront: Storage Blob Data Reader .*the config would not validate: .*STOCK_STORAGE/),
        ]);
        // Without the check, the unused entry goes.
        expect(access(rightSizingPatch("Pulumi.dev.yaml", source, plan, document).patched, "storefront").map((entry) => entry.role)).toEqual(["Key Vault Secrets User", undefined]);
    });

    it("is empty on a clean month", () => {
        const source = fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");
        expect(rightSizingPatch("Pulumi.dev.yaml", source, plan, reviewOf(cleanMonth()))).toEqual({ diff: "", patched: source, notPatched: [] });
    });
});

