import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedRunsVariable } from "./sharedRuns";

/** jest globalSetup: a fresh directory for this run's shared stack records (see sharedRuns.ts); workers inherit it. */
export default function globalSetup(): void {
    process.env[sharedRunsVariable] = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-shared-runs-"));
}
