import * as path from "path";
import { RecordedResource } from "../offline/mocks";
import { runStackOffline, OfflineRun } from "../offline/stack";
import { buildPlan } from "../scripts/plan/build";

/** What the first real `pulumi up` of a committed stack needs to succeed and its apps to run, checked offline. */

const root = path.join(__dirname, "..");

function only(run: OfflineRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((resource) => resource.type === type && (name === undefined || resource.name === name));
    expect(found.map((resource) => resource.name)).toHaveLength(1);
    return found[0];
}

describe.each(["dev", "prod"])("the first deploy of the %s stack", (stack) => {
    let run: OfflineRun;
    beforeAll(async () => {
        run = await runStackOffline(root, stack);
    });

    it("pulls the ingest image from the stack's registry by its login server, never from Docker Hub", () => {
        const registry = only(run, "azure-native:containerregistry:Registry");
        const group = only(run, "azure-native:containerinstance:ContainerGroup");
        const [container] = group.inputs.containers as { image: string }[];
        expect(container.image).toBe(`${registry.state.loginServer}/ingest:1.4.2`);
        expect(group.inputs.imageRegistryCredentials).toEqual([expect.objectContaining({ server: registry.state.loginServer })]);
    });

    it("lists in the plan the images to push, by registry", () => {
        const plan = buildPlan({ stack, resources: run.resources, findings: [] });
        expect(plan.images).toEqual([{ workload: "ingest", registry: "images", image: "ingest:1.4.2" }]);
        expect(plan.notes.join("\n")).toContain("push each listed image before `pulumi up`");
    });
});
