import * as path from "path";
import { workloadKindNames, workloadKinds } from "./registry";
import { loadStackFile, runStackOffline, StackFile } from "../../offline";

/**
 * Every kind that takes a system-assigned identity declares the grants made to it: one in config, one role
 * assignment, on the workload's own principal. Checked on the dev stack, kind by kind.
 */
const root = path.join(__dirname, "..", "..");

function withSystemGrant(file: StackFile, workloadName: string): StackFile {
    const workloads = JSON.parse(file.config["keyless:workloads"]) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const target = workloads.find((item) => item.name === workloadName)!;
    target.identity = { ...target.identity, systemAssigned: true };
    target.access = [...(target.access ?? []), { role: "Storage Table Data Reader", storage: "appdata", table: "inventory", identity: "system" }];
    return { ...file, config: { ...file.config, "keyless:workloads": JSON.stringify(workloads) } };
}

describe("workload kinds", () => {
    it("are registered once each, with a schema, an identity rule and a declaration", () => {
        expect(new Set(workloadKindNames()).size).toBe(workloadKinds.length);
        for (const kind of workloadKinds) {
            expect(typeof kind.deploy).toBe("function");
            expect(kind.identity.userAssigned.min).toBeLessThanOrEqual(kind.identity.userAssigned.max);
        }
    });

    const dev = loadStackFile(root, "dev");
    const devWorkloads = JSON.parse(dev.config["keyless:workloads"]) as { name: string; kind: string }[];
    const systemCapable = workloadKinds.filter((kind) => !kind.identity.noSystemAssigned).map((kind) => kind.kind);
    const cases = devWorkloads.filter((item) => systemCapable.includes(item.kind)).map((item) => [item.kind, item.name]);

    it("cover every kind that takes a system-assigned identity in the dev stack", () => {
        expect(new Set(cases.map(([kind]) => kind))).toEqual(new Set(systemCapable.filter((kind) => devWorkloads.some((item) => item.kind === kind))));
        expect(cases.length).toBeGreaterThanOrEqual(4);
    });

    it.each(cases)("%s %s declares a grant to its system-assigned identity", async (_kind, name) => {
        const run = await runStackOffline(root, "dev", (file) => withSystemGrant(file, name));
        const assignments = run.resources.filter(
            (resource) => resource.type === "azure-native:authorization:RoleAssignment" && String(resource.inputs.scope).endsWith("/tableServices/default/tables/inventory"),
        );
        const readers = assignments.filter((resource) => String(resource.inputs.roleDefinitionId).endsWith("76199698-9eea-4c19-bc75-cec21354c6b6"));
        expect(readers).toHaveLength(1);
        const owner = run.resources.find((resource) => resource.custom && resource.name === name && resource.state.identity);
        const principal = (owner?.state.identity as { principalId?: string } | undefined)?.principalId;
        expect(principal).toBeDefined();
        expect(readers[0].inputs.principalId).toBe(principal);
    });
});
