import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { builtInRoles, BuiltInRoleName } from "../../infra/access/roles";
import { main as diffMain } from "../plan-diff";
import { diffPlans } from "./diff";
import { renderDiffMarkdown, renderDiffText } from "./diffRender";
import { compareRoles } from "./roleRank";
import { planProblems } from "./schema";
import { IdentityKind, PlanDocument, PlanGrant, PlanNetworkEdge, PlanResource, PlanScope } from "./types";

// Small hand-made plans: one storage account with a container, one vault, a web app on a user-assigned identity.
const group = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-app";
const accountId = `${group}/providers/Microsoft.Storage/storageAccounts/stappdata01`;
const scopes: Record<string, PlanScope> = {
    container: { id: `${accountId}/blobServices/default/containers/stock`, kind: "container", name: "appdata/stock", declared: true },
    account: { id: accountId, kind: "storageAccount", name: "appdata", declared: true },
    group: { id: group, kind: "resourceGroup", name: "rg-app", declared: false },
    vault: { id: `${group}/providers/Microsoft.KeyVault/vaults/kv-app`, kind: "vault", name: "app-secrets", declared: true },
};

function grant(identity: string, role: BuiltInRoleName, scope: PlanScope, identityKind: IdentityKind = "userAssigned"): PlanGrant {
    const entry: { id: string; privileged?: boolean; writes?: boolean } = builtInRoles[role];
    const broad = scope.kind === "resourceGroup" || (scope.kind === "storageAccount" && role.startsWith("Storage Blob"));
    return {
        urn: `urn:pulumi:dev::keyless::keyless:access:RoleAssignments$azure-native:authorization:RoleAssignment::${identity}-${entry.id}-${scope.name}`,
        identity,
        identityKind,
        workloads: [identity],
        role,
        roleId: entry.id,
        privileged: Boolean(entry.privileged),
        writes: Boolean(entry.writes),
        scope,
        broad,
        ...(broad ? { broadReason: "wider than needed" } : {}),
        origin: "config",
        network: { verdict: "service-endpoint", reason: "subnet rule" },
    };
}

function resource(type: string, name: string, hash = "0"): PlanResource {
    return {
        urn: `urn:pulumi:dev::keyless::${type}::${name}`,
        type,
        name,
        parent: null,
        component: null,
        custom: true,
        inputsHash: `sha256:${hash.repeat(64).slice(0, 64)}`,
    };
}

function plan(fields: Partial<PlanDocument> = {}): PlanDocument {
    const resources = fields.resources ?? [resource("azure-native:storage:StorageAccount", "appdata"), resource("azure-native:web:WebApp", "shop")];
    return {
        schemaVersion: 2,
        stack: "dev",
        resources,
        totals: { resources: resources.length, custom: resources.length, components: 0, byType: {} },
        workloads: [{ name: "shop", type: "WebApp", identityKinds: ["userAssigned"], identities: ["shop"] }],
        identities: [{ name: "shop", kind: "userAssigned", workloads: ["shop"] }],
        grants: [grant("shop", "Storage Blob Data Reader", scopes.container), grant("shop", "Key Vault Secrets User", scopes.vault)],
        databaseGrants: [],
        network: { counts: {}, edges: [] },
        policy: { config: null, violations: [] },
        notes: [],
        ...fields,
    };
}

const basePlan = plan();

describe("plan diff", () => {
    it("uses fixtures that are valid plans", () => {
        expect(planProblems(basePlan)).toEqual([]);
    });

    it("reports nothing between a plan and itself", () => {
        const diff = diffPlans(basePlan, basePlan);
        expect(diff.summary).toEqual({ escalations: 0, accessChanges: 0, resourceChanges: 0, newFindings: 0, newMandatoryFindings: 0, newlyUnreachable: 0 });
        expect(renderDiffMarkdown(diff)).toContain("No role assignment changes.");
    });

    it("detects a grant added and a grant removed", () => {
        const head = plan({ grants: [grant("shop", "Key Vault Secrets User", scopes.vault), grant("shop", "Storage Queue Data Reader", scopes.account)] });
        const diff = diffPlans(basePlan, head);
        expect(diff.access.grantsAdded.map((g) => [g.role, g.scope.name])).toEqual([["Storage Queue Data Reader", "appdata"]]);
        expect(diff.access.grantsRemoved.map((g) => [g.role, g.scope.name])).toEqual([["Storage Blob Data Reader", "appdata/stock"]]);
        expect(diff.access.roleEscalated).toEqual([]);
        expect(diff.summary.escalations).toBe(0);
    });

    it("detects a scope widened from a container to its account, and from an account to the resource group", () => {
        const toAccount = diffPlans(basePlan, plan({ grants: [grant("shop", "Storage Blob Data Reader", scopes.account), grant("shop", "Key Vault Secrets User", scopes.vault)] }));
        expect(toAccount.access.scopeWidened).toEqual([
            expect.objectContaining({ identity: "shop", role: "Storage Blob Data Reader", from: scopes.container, to: scopes.account }),
        ]);
        expect(toAccount.access.grantsAdded).toEqual([]);
        expect(toAccount.access.grantsRemoved).toEqual([]);
        expect(toAccount.summary.escalations).toBe(1);

        const accountBase = plan({ grants: [grant("shop", "Storage Blob Data Reader", scopes.account)] });
        const toGroup = diffPlans(accountBase, plan({ grants: [grant("shop", "Storage Blob Data Reader", scopes.group)] }));
        expect(toGroup.access.scopeWidened.map((change) => [change.from.kind, change.to.kind])).toEqual([["storageAccount", "resourceGroup"]]);

        // The way back is a narrowing, not an escalation.
        const back = diffPlans(plan({ grants: [grant("shop", "Storage Blob Data Reader", scopes.account)] }), basePlan);
        expect(back.access.scopeNarrowed).toHaveLength(1);
        expect(back.summary.escalations).toBe(0);
    });

    it("detects a role escalated on the same scope, and tells it from a reduction", () => {
        const head = plan({ grants: [grant("shop", "Storage Blob Data Owner", scopes.container), grant("shop", "Key Vault Administrator", scopes.vault)] });
        const diff = diffPlans(basePlan, head);
        expect(diff.access.roleEscalated.map((change) => [change.from, change.to, change.scope.name])).toEqual([
            ["Storage Blob Data Reader", "Storage Blob Data Owner", "appdata/stock"],
            ["Key Vault Secrets User", "Key Vault Administrator", "app-secrets"],
        ]);
        expect(diff.summary.escalations).toBe(2);
        const markdown = renderDiffMarkdown(diff);
        expect(markdown).toContain("> [!WARNING]");
        expect(markdown).toMatch(/\| ⚠️ \*\*Escalation\*\* \| `shop` \(user-assigned\).*\| Storage Blob Data Reader → \*\*Storage Blob Data Owner\*\* \| container `appdata\/stock` \|/);
        expect(markdown).not.toContain("<!-- keyless-plan -->");

        const reduced = diffPlans(head, basePlan);
        expect(reduced.access.roleEscalated).toEqual([]);
        expect(reduced.access.roleChanged.map((change) => change.direction)).toEqual(["reduced", "reduced"]);
    });

    it("ranks roles per service, and falls back to the catalog's flags across services", () => {
        expect(compareRoles("Key Vault Secrets User", "Key Vault Secrets Officer")).toBe(1);
        expect(compareRoles("Key Vault Secrets Officer", "Key Vault Administrator")).toBe(1);
        expect(compareRoles("Storage Blob Data Contributor", "Storage Blob Data Reader")).toBe(-1);
        expect(compareRoles("Azure Service Bus Data Receiver", "Azure Service Bus Data Sender")).toBe(0);
        expect(compareRoles("Reader", "Contributor")).toBe(1);
        expect(compareRoles("Storage Blob Data Reader", "Owner")).toBe(1);
        expect(compareRoles("AcrPush", "AcrPull")).toBe(-1);
    });

    it("counts a new privileged or broad grant as an escalation", () => {
        const head = plan({ grants: [...basePlan.grants, grant("shop", "Reader", scopes.group)] });
        const diff = diffPlans(basePlan, head);
        expect(diff.access.grantsAdded).toHaveLength(1);
        expect(diff.summary.escalations).toBe(1);
        expect(renderDiffText(diff)).toMatch(/! added\s+shop \(user-assigned\)\s+Reader\s+resource group rg-app/);
    });

    it("detects identities added and removed, and a workload that switched from user- to system-assigned", () => {
        const head = plan({
            workloads: [{ name: "shop", type: "WebApp", identityKinds: ["systemAssigned"], identities: ["shop"] }],
            identities: [{ name: "shop", kind: "systemAssigned", workloads: ["shop"] }],
            grants: [grant("shop", "Storage Blob Data Reader", scopes.container, "systemAssigned"), grant("shop", "Key Vault Secrets User", scopes.vault, "systemAssigned")],
        });
        const diff = diffPlans(basePlan, head);
        expect(diff.access.identitiesAdded.map((identity) => [identity.name, identity.kind])).toEqual([["shop", "systemAssigned"]]);
        expect(diff.access.identitiesRemoved.map((identity) => [identity.name, identity.kind])).toEqual([["shop", "userAssigned"]]);
        expect(diff.access.workloadsSwitched).toEqual([{ workload: "shop", from: ["userAssigned"], to: ["systemAssigned"] }]);
        // The grants moved from one identity to another: removed and added, never mistaken for a role change.
        expect(diff.access.grantsAdded).toHaveLength(2);
        expect(diff.access.grantsRemoved).toHaveLength(2);
        expect(renderDiffMarkdown(diff)).toContain("Workload `shop` switched identity: user-assigned → **system-assigned**");
    });

    it("detects resources added, removed and changed, and new policy findings", () => {
        const head = plan({
            resources: [resource("azure-native:storage:StorageAccount", "appdata", "1"), resource("azure-native:keyvault:Vault", "app-secrets")],
            policy: {
                config: null,
                violations: [{ rule: "no-hardcoded-secrets", level: "mandatory", resource: "shop", message: "GitHub token (ghp_…(40 chars)) at siteConfig.appSettings[0].value" }],
            },
        });
        const diff = diffPlans(basePlan, head);
        expect(diff.resources).toEqual({
            added: [{ urn: head.resources[1].urn, type: "azure-native:keyvault:Vault", name: "app-secrets" }],
            removed: [{ urn: basePlan.resources[1].urn, type: "azure-native:web:WebApp", name: "shop" }],
            changed: [{ urn: head.resources[0].urn, type: "azure-native:storage:StorageAccount", name: "appdata" }],
        });
        expect(diff.policy.added.map((finding) => finding.rule)).toEqual(["no-hardcoded-secrets"]);
        expect(diff.summary.newMandatoryFindings).toBe(1);
        // A finding already in the base is not new.
        expect(diffPlans(head, head).policy.added).toEqual([]);
        expect(renderDiffMarkdown(diff)).toContain("> [!CAUTION]");
    });

    it("detects database grants added", () => {
        const head = plan({ databaseGrants: [{ identity: "shop", server: "inventory-sql", database: "inventory", roles: ["db_datareader", "db_datawriter"], appliedBy: "T-SQL script" }] });
        const diff = diffPlans(basePlan, head);
        expect(diff.access.databaseGrantsAdded.map((change) => change.role)).toEqual(["db_datareader", "db_datawriter"]);
    });
});

describe("plan diff: network reachability", () => {
    const edge = (verdict: PlanNetworkEdge["verdict"], extra: Partial<PlanNetworkEdge> = {}): PlanNetworkEdge => ({
        kind: "role-assignment",
        declaredBy: "urn:pulumi:dev::keyless::azure-native:authorization:RoleAssignment::shop-queue",
        identity: "shop",
        source: "shop",
        target: "appdata",
        service: "queue",
        detail: "Storage Queue Data Message Processor",
        verdict,
        reason: verdict === "unreachable" ? "appdata denies by default; shop calls from App Service's shared outbound addresses" : "subnet rule",
        ...(verdict === "unreachable" ? { fix: "integrate the app with a subnet" } : {}),
        ...extra,
    });
    const withEdges = (edges: PlanNetworkEdge[]) => plan({ network: { counts: {}, edges } });

    it("reports an edge the change makes unreachable first, in the headline, the text and the Markdown", () => {
        const diff = diffPlans(withEdges([edge("service-endpoint")]), withEdges([edge("unreachable")]));
        expect(diff.network.newlyUnreachable).toHaveLength(1);
        expect(diff.summary.newlyUnreachable).toBe(1);
        const text = renderDiffText(diff);
        expect(text.split("\n")[1]).toMatch(/^Network: 1 edge made UNREACHABLE · Access: no change/);
        expect(text.indexOf("Made unreachable by this change")).toBeLessThan(text.indexOf("Access changes:"));
        expect(text).toContain("fix: integrate the app with a subnet");
        const markdown = renderDiffMarkdown(diff);
        expect(markdown.indexOf("made unreachable")).toBeLessThan(markdown.indexOf("#### Access changes"));
        expect(planProblems(withEdges([edge("unreachable")]))).toEqual([]);
    });

    it("does not report an edge that was already unreachable, and reports one the change makes reachable", () => {
        expect(diffPlans(withEdges([edge("unreachable")]), withEdges([edge("unreachable")])).network).toEqual({ newlyUnreachable: [], restored: [] });
        const fixed = diffPlans(withEdges([edge("unreachable")]), withEdges([edge("private-endpoint")]));
        expect(fixed.network.restored.map((e) => e.verdict)).toEqual(["private-endpoint"]);
        expect(renderDiffText(fixed)).toContain("Network: 1 edge made reachable");
    });

    it("counts a new grant that is unreachable from the start", () => {
        expect(diffPlans(withEdges([]), withEdges([edge("unreachable")])).summary.newlyUnreachable).toBe(1);
    });

    it("refuses an unreachable edge without a fix in the JSON", () => {
        const broken = withEdges([{ ...edge("unreachable"), fix: undefined } as unknown as PlanNetworkEdge]);
        expect(planProblems(JSON.parse(JSON.stringify(broken))).join()).toMatch(/fix/);
    });
});

describe("plan:diff command", () => {
    let dir: string;
    let errors: string;
    let spy: jest.SpyInstance;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
        errors = "";
        spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
            errors += String(chunk);
            return true;
        });
    });
    afterEach(() => {
        spy.mockRestore();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const write = (name: string, value: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, JSON.stringify(value));
        return file;
    };

    it("exits 0 on an escalation by default, 1 with --fail-on-escalation", () => {
        const base = write("base.json", basePlan);
        const head = write("head.json", plan({ grants: [grant("shop", "Storage Blob Data Owner", scopes.container)] }));
        const out = path.join(dir, "diff.md");
        expect(diffMain([base, head, "--format", "markdown", "--output", out])).toBe(0);
        expect(fs.readFileSync(out, "utf8")).toContain("**Escalation**");
        expect(diffMain([base, head, "--output", out, "--fail-on-escalation"])).toBe(1);
        expect(diffMain([base, base, "--output", out, "--fail-on-escalation"])).toBe(0);
    });

    it("refuses a file that is not a plan, or of another schema version, with exit 2", () => {
        const base = write("base.json", basePlan);
        expect(diffMain([write("other.json", { ...basePlan, schemaVersion: 3 }), base])).toBe(2);
        expect(errors).toContain("schemaVersion 3 is not supported; this tool reads schemaVersion 2");
        errors = "";
        expect(diffMain([write("broken.json", { ...basePlan, grants: [{ identity: "shop" }] }), base])).toBe(2);
        expect(errors).toMatch(/not a valid Keyless plan:\n {2}- \/grants\/0 must have required property/);
        expect(diffMain([base])).toBe(2);
        expect(diffMain([base, base, "--format", "yaml"])).toBe(2);
        expect(errors).not.toMatch(/\n\s+at /);
    });
});
