import * as fs from "fs";
import * as path from "path";
import type { OfflineRun } from "../../offline/stack";

/**
 * The dev and prod stacks run under mocks once per `jest` run, not once per suite: the first suite that asks for a
 * stack runs it and writes what it declared to the run's directory (made by globalSetup.ts, named by
 * `KEYLESS_SHARED_RUNS`); later suites, in any worker, read that record. The record comes from this run's code, so
 * it can never be stale. Outside jest's global setup (a single file run another way) every call runs the stack.
 *
 * Only the declared resources and the stack file are shared (plain data). A test that needs the program's outputs
 * or a second, independent run (names stable across runs) calls `runStackOffline` itself.
 */
export type SharedRun = Pick<OfflineRun, "resources" | "stackFile">;

export const sharedRunsVariable = "KEYLESS_SHARED_RUNS";

const inProcess = new Map<string, Promise<SharedRun>>();

function recordFile(dir: string, root: string, stack: string): string {
    const key = `${path.resolve(root)}::${stack}`.replace(/[^A-Za-z0-9_.-]+/g, "_");
    return path.join(dir, `${key}.json`);
}

async function runAndRecord(root: string, stack: string, file: string | undefined): Promise<SharedRun> {
    if (file && fs.existsSync(file)) {
        return JSON.parse(fs.readFileSync(file, "utf8")) as SharedRun;
    }
    // Loaded only on a miss: a suite that reads a record never loads the program and the SDK.
    const { runStackOffline } = await import("../../offline/stack");
    const { resources, stackFile } = await runStackOffline(root, stack);
    const shared: SharedRun = { resources, stackFile };
    if (file) {
        // Write then rename, so that a suite in another worker never reads half a record.
        const partial = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(partial, JSON.stringify(shared));
        fs.renameSync(partial, file);
    }
    return JSON.parse(JSON.stringify(shared)) as SharedRun;
}

/** The resources `stack` (a `Pulumi.<stack>.yaml` under `root`) declares, run once per jest run. */
export function sharedStackRun(root: string, stack: string): Promise<SharedRun> {
    const dir = process.env[sharedRunsVariable];
    const file = dir && fs.existsSync(dir) ? recordFile(dir, root, stack) : undefined;
    const key = file ?? `${root}::${stack}`;
    let run = inProcess.get(key);
    if (!run) {
        run = runAndRecord(root, stack, file);
        inProcess.set(key, run);
    }
    // Each caller gets its own copy, so that no suite sees another's edits.
    return run.then((shared) => JSON.parse(JSON.stringify(shared)) as SharedRun);
}
