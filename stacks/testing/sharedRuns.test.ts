import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedRunsVariable, sharedStackRun } from "./sharedRuns";

const root = path.join(__dirname, "..", "..");

describe("stack runs shared across suites", () => {
    const previous = process.env[sharedRunsVariable];
    let dir: string;
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-shared-runs-test-"));
        process.env[sharedRunsVariable] = dir;
    });
    afterAll(() => {
        process.env[sharedRunsVariable] = previous;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("records the first run in the run's directory and gives every caller the same resources, each its own copy", async () => {
        const first = await sharedStackRun(root, "dev");
        expect(fs.readdirSync(dir).filter((file) => file.endsWith(".json"))).toHaveLength(1);
        expect(first.resources.length).toBeGreaterThan(50);
        expect(first.stackFile.stack).toBe("dev");
        first.resources.pop();
        const second = await sharedStackRun(root, "dev");
        expect(second.resources.length).toBe(first.resources.length + 1);
    });

    it("reads a record another worker wrote instead of running the stack again", async () => {
        const [file] = fs.readdirSync(dir).filter((name) => name.endsWith(".json"));
        const record = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { resources: { name: string }[] };
        record.resources = [{ ...record.resources[0], name: "written-by-another-worker" }];
        fs.writeFileSync(path.join(dir, file), JSON.stringify(record));
        jest.resetModules();
        const fresh = (await import("./sharedRuns")) as typeof import("./sharedRuns");
        const run = await fresh.sharedStackRun(root, "dev");
        expect(run.resources.map((resource) => resource.name)).toEqual(["written-by-another-worker"]);
    });
});
