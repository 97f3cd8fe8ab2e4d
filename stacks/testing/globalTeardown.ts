import * as fs from "fs";
import { sharedRunsVariable } from "./sharedRuns";

/** jest globalTeardown: removes this run's shared stack records. */
export default function globalTeardown(): void {
    const dir = process.env[sharedRunsVariable];
    if (dir) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
