import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { StackConfig } from "../../stacks/config";
import { loadStackFile } from "../../offline/stackFile";
import { render } from "../plan";
import { checkFlowchart } from "./flowchartCheck";
import planSchema from "./plan.schema.json";
import { checkStackConfig, expectedGrants, runPlan } from "./run";
import { PlanDocument } from "./types";

// The offline plan of the real dev stack, as `npm run plan` makes it.
const repoRoot = path.join(__dirname, "..", "..");
const stackRoot = repoRoot;
const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let config: StackConfig;
let plan: PlanDocument;

beforeAll(async () => {
    config = checkStackConfig(loadStackFile(stackRoot, "dev"));
    plan = await runPlan({ root: stackRoot, repoRoot, stack: "dev" });
});

const key = (kind: string, identity: string, role: string, target: string) => `${kind} ${identity} | ${role} | ${target}`;

/**
 * Grants that components add on their own, as their docs say: a function app's host identity (first user-assigned,
 * else system-assigned) gets three data roles on its host storage account; an AKS cluster's kubelet identity gets
 * AcrPull on the registry and its control-plane identity Managed Identity Operator on the kubelet identity.
 */
function componentGrants(stack: StackConfig): string[] {
    return stack.workloads.flatMap((workload) => {
        if (workload.kind === "functionApp") {
            const user = workload.identity.userAssigned[0];
            const [kind, identity] = user ? ["userAssigned", user] : ["systemAssigned", workload.name];
            return ["Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor"].map((role) => key(kind, identity, role, workload.hostStorage));
        }
        if (workload.kind === "aksCluster") {
            // Operator groups: their AKS role at the cluster or in a namespace, and the Cluster User Role once.
            const operators = workload.operators.flatMap((operator) => [
                key("external", operator.group, operator.role, operator.namespace ? `${workload.name}/${operator.namespace}` : workload.name),
            ]);
            const users = [...new Set(workload.operators.map((operator) => operator.group))].map((group) => key("external", group, "Azure Kubernetes Service Cluster User Role", workload.name));
            return [
                ...operators,
                ...users,
                key("userAssigned", `${workload.name}-kubelet`, "AcrPull", workload.registry),
                key("userAssigned", `${workload.name}-control-plane`, "Managed Identity Operator", `${workload.name}-kubelet`),
                // Network Contributor on its node subnet only, named after the network component (`network`).
                ...(workload.subnet ? [key("userAssigned", `${workload.name}-control-plane`, "Network Contributor", `network/${workload.subnet}`)] : []),
            ];
        }
        return [];
    });
}

describe("offline plan of the dev stack", () => {
    it("lists exactly the grants the config declares, by human name, plus the documented component grants", () => {
        const declared = expectedGrants(config).map((grant) => key(grant.identityKind, grant.identity, grant.role, grant.target));
        expect(declared.length).toBeGreaterThan(0);
        const actual = plan.grants.map((grant) => key(grant.identityKind, grant.identity, grant.role, grant.scope.name));
        expect([...actual].sort()).toEqual([...declared, ...componentGrants(config)].sort());
        const fromConfig = plan.grants.filter((grant) => grant.origin === "config").map((grant) => key(grant.identityKind, grant.identity, grant.role, grant.scope.name));
        expect(fromConfig.sort()).toEqual([...declared].sort());
        // Every scope is a resource the stack declares, named without GUIDs.
        for (const grant of plan.grants) {
            expect(grant.scope.declared).toBe(true);
            expect(grant.scope.name).not.toMatch(guid);
            expect(grant.role).not.toMatch(guid);
        }
    });

    it("ties each identity to the workloads that use it", () => {
        for (const workload of config.workloads) {
            for (const name of workload.identity.userAssigned) {
                const identity = plan.identities.find((entry) => entry.kind === "userAssigned" && entry.name === name);
                expect(identity?.workloads.some((user) => user === workload.name || user.startsWith(`${workload.name} `))).toBe(true);
            }
            if (workload.identity.systemAssigned) {
                expect(plan.identities).toContainEqual(expect.objectContaining({ name: workload.name, kind: "systemAssigned", workloads: [workload.name] }));
            }
        }
    });

    it("includes the database grants as T-SQL applied by script", () => {
        const expected = config.sqlGrants.flatMap((grant) => grant.roles.map((role) => `${grant.identity} ${grant.server}/${grant.database} ${role}`));
        const actual = plan.databaseGrants.flatMap((grant) => grant.roles.map((role) => `${grant.identity} ${grant.server}/${grant.database} ${role}`));
        expect(actual.sort()).toEqual(expected.sort());
        expect(plan.databaseGrants.every((grant) => grant.appliedBy === "T-SQL script")).toBe(true);
    });

    it("prints the access section with human names and no raw GUIDs", () => {
        const text = render(plan, "text");
        const access = text.slice(text.indexOf("Access matrix:"), text.indexOf("\nPolicy:"));
        expect(access.length).toBeGreaterThan(0);
        // Operator groups are shown by the object ID their config gives: the plan has no directory to look names up.
        const groups = config.workloads.flatMap((workload) => (workload.kind === "aksCluster" ? workload.operators.map((operator) => operator.group) : []));
        expect(groups.length).toBeGreaterThan(0);
        expect(groups.reduce((rest, group) => rest.split(group).join("<group>"), access)).not.toMatch(guid);
        for (const grant of expectedGrants(config)) {
            expect(access).toMatch(new RegExp(`${grant.identity} \\(${grant.identityKind === "userAssigned" ? "user" : "system"}-assigned\\).*${grant.role}.* ${grant.target.replace(/[/]/g, "\\/")}`));
        }
        if (config.sqlGrants.length > 0) {
            expect(access).toContain("T-SQL, applied by script");
        }
        // Resources, access, then policy, then the notes on what offline means.
        const order = ["Resources:", "Access matrix:", "Policy:", "Notes:"].map((heading) => text.indexOf(heading));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(text).toMatch(/stand-ins/);
        expect(text).toMatch(/pulumi preview/);
    });

    it("writes JSON that validates against its schema, and the same bytes on every run", async () => {
        const validate = new Ajv2020({ allErrors: true, strict: true }).compile(planSchema);
        const json = render(plan, "json");
        const valid = validate(JSON.parse(json));
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
        expect(JSON.parse(json)).not.toHaveProperty("generatedAt");
        const again = await runPlan({ root: stackRoot, repoRoot, stack: "dev" });
        expect(render(again, "json")).toBe(json);
    });

    it("writes Markdown whose Mermaid graph is well-formed and shows every grant", () => {
        const markdown = render(plan, "markdown");
        const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]);
        expect(blocks).toHaveLength(1);
        const chart = checkFlowchart(blocks[0]);
        expect(chart.problems).toEqual([]);
        const targets = new Set(chart.edges.map((edge) => chart.nodes.get(edge.to)));
        for (const grant of plan.grants) {
            expect([...targets].some((label) => label?.endsWith(` ${grant.scope.name}`))).toBe(true);
        }
        expect(markdown).not.toContain("<!-- keyless-plan -->");
    });

    it("finds no mandatory policy violation in the dev stack", () => {
        expect(plan.policy.violations.filter((finding) => finding.level === "mandatory")).toEqual([]);
    });
});

describe("the network column of the dev stack's plan", () => {
    it("gives every grant the verdict of its edges, and counts every edge once", () => {
        const edges = plan.network.edges;
        expect(edges.length).toBeGreaterThanOrEqual(plan.grants.length);
        expect(Object.values(plan.network.counts).reduce((a, b) => a + b, 0)).toBe(edges.length);
        for (const grant of plan.grants) {
            const own = edges.filter((edge) => edge.kind === "role-assignment" && edge.declaredBy === grant.urn);
            expect(own.length).toBeGreaterThan(0);
            // Role names, never GUIDs, as in the access matrix.
            expect(own.every((edge) => edge.detail === grant.role)).toBe(true);
            const anyUnreachable = own.some((edge) => edge.verdict === "unreachable");
            expect(grant.network.verdict === "unreachable").toBe(anyUnreachable);
            if (anyUnreachable) {
                expect(grant.network.fix).toBeTruthy();
            }
        }
        // The Key Vault reference and identity-based settings of the apps are edges too.
        expect(edges.some((edge) => edge.kind === "keyvault-reference" && edge.target === "app-secrets")).toBe(true);
        expect(edges.some((edge) => edge.kind === "identity-connection" && edge.detail.includes("AzureWebJobsStorage__accountName"))).toBe(true);
        expect(edges.some((edge) => edge.kind === "database-grant")).toBe(plan.databaseGrants.some((grant) => grant.workload && grant.server));
    });

    it("shows the column in the text matrix and lists each unreachable edge with why and fix", () => {
        const text = render(plan, "text");
        expect(text).toMatch(/IDENTITY\s+USED BY\s+ROLE\s+SCOPE\s+NETWORK\s+NOTES/);
        expect(text).toContain(`Network reachability: ${plan.network.edges.length} access edges`);
        for (const edge of plan.network.edges.filter((e) => e.verdict === "unreachable")) {
            expect(text).toContain(`why: ${edge.reason}`);
            expect(text).toContain(`fix: ${edge.fix}`);
        }
        const markdown = render(plan, "markdown");
        expect(markdown).toContain("| Identity | Used by | Role | Scope | Network | Notes |");
        expect(checkFlowchart(/```mermaid\n([\s\S]*?)\n```/.exec(markdown)![1]).problems).toEqual([]);
    });
});
