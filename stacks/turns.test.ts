import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, runUnderMocks, valueOf } from "../offline/mocks";
import { parseStackConfig } from "./config";
import { stackRaw } from "./config/testing";
import { deployEnvironment, EnvironmentOutputs } from "./environment";
import { inTurns, nextTurn } from "./turns";

/** Declaring in batches, a turn of the event loop apart: same declarations, and the SDK moves on between them. */

const devConfig = () => parseStackConfig(stackRaw("dev"), { project: "keyless" });

describe("inTurns", () => {
    it("calls in order and gives the event loop a turn after every batch, not before the first", async () => {
        const events: string[] = [];
        setImmediate(() => events.push("turn"));
        await inTurns(["a", "b", "c", "d", "e"], (item, index) => events.push(`${item}${index}`), 2);
        expect(events).toEqual(["a0", "b1", "turn", "c2", "d3", "e4"]);
    });

    it("rejects on the first throw, declaring nothing after it, and refuses a batch that is not a positive integer", async () => {
        const seen: number[] = [];
        await expect(
            inTurns([1, 2, 3], (item) => {
                seen.push(item);
                if (item === 2) throw new Error("bad item");
            }, 1),
        ).rejects.toThrow("bad item");
        expect(seen).toEqual([1, 2]);
        await expect(inTurns([1], () => undefined, 0)).rejects.toThrow(/batch must be a positive integer; got 0/);
        await nextTurn();
    });
});

/** What a resource is, independent of when its registration completed. */
const shape = (resources: RecordedResource[]) =>
    [...resources].sort((a, b) => a.urn.localeCompare(b.urn)).map(({ urn, parentUrn, inputs, secretPaths, dependencies, protect, ignoreChanges }) => ({
        urn,
        parentUrn,
        inputs,
        secretPaths,
        dependencies: [...dependencies].sort(),
        protect,
        ignoreChanges,
    }));

async function outputValues(outputs: EnvironmentOutputs): Promise<unknown> {
    return valueOf(pulumi.output(outputs as unknown as Record<string, pulumi.Input<unknown>>));
}

describe("the environment declared in batches", () => {
    it("declares the same resources, inputs, dependencies and outputs whatever the batch size", async () => {
        const runs = [];
        for (const batch of [1, Number.MAX_SAFE_INTEGER]) {
            const run = await runUnderMocks(() => deployEnvironment(devConfig(), { batch }), { stack: "dev" });
            runs.push({ resources: shape(run.resources), outputs: await outputValues(run.outputs) });
        }
        expect(runs[0].resources.length).toBeGreaterThan(50);
        expect(runs[0]).toEqual(runs[1]);
    });

    it("lets the registrations of the first workloads complete before it declares the last", async () => {
        const config = devConfig();
        const last = config.workloads[config.workloads.length - 1].name;
        let completed = 0;
        let completedAtLast: number | undefined;
        await runUnderMocks(
            async () => {
                const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: unknown, callback: (...args: unknown[]) => void): unknown };
                const register = monitor.registerResource.bind(monitor);
                monitor.registerResource = (req, callback) =>
                    register(req, (...args: unknown[]) => {
                        completed++;
                        callback(...args);
                    });
                // Runs as each resource is constructed: the count of registrations done by the last workload's.
                pulumi.runtime.registerStackTransformation((args) => {
                    if (args.name.startsWith(last)) completedAtLast = completed;
                    return undefined;
                });
                await deployEnvironment(config, { batch: 1 });
            },
            { stack: "dev" },
        );
        // In one synchronous pass no registration completes before the pass ends.
        expect(completedAtLast).toBeGreaterThan(0);
    });
});
