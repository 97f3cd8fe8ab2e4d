import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { baselineEntrySource, rootMember } from "./baseline/entry";
import { parseTscDiagnostics, pulumiTsconfig } from "./coldStart";
import { parsePath, wrapSecretsAt } from "./grpc";
import { BenchUsageError, parseBenchArgs, usage } from "./index";
import { parseGnuTime, pulumiNodeArgs } from "./process";
import { bucketOf, profileBreakdown } from "./profile";
import { secretlintKind } from "./quality";
import { growth, median, percentile, ratio, renderTable, round } from "./stats";

describe("bench statistics", () => {
    it("takes medians and percentiles of unsorted samples", () => {
        expect(median([5, 1, 3])).toBe(3);
        expect(median([4, 1, 3, 2])).toBe(2.5);
        expect(median([])).toBeNaN();
        expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
        expect(percentile([7], 50)).toBe(7);
        expect(() => percentile([1], 101)).toThrow(/0-100/);
    });

    it("compares growth with linear", () => {
        expect(growth({ size: 100, value: 2 }, { size: 1000, value: 20 })).toEqual({ growth: 10, linear: 10, vsLinear: 1 });
        expect(growth({ size: 100, value: 1 }, { size: 1000, value: 40 }).vsLinear).toBe(4);
        expect(ratio(1, 0)).toBeNaN();
        expect(round(123456, 3)).toBe(123000);
        expect(round(0.0012345, 2)).toBe(0.0012);
    });

    it("renders aligned tables and refuses ragged rows", () => {
        const table = renderTable(["name", "ms"], [["a", "1.5"], ["bbbb", "10"]]);
        expect(table.split("\n")).toEqual(["| name |  ms |", "|------|----:|", "| a    | 1.5 |", "| bbbb |  10 |"]);
        expect(() => renderTable(["a", "b"], [["1"]])).toThrow(/1 cells; the header has 2/);
    });

    it("reads GNU time output, ignoring the child's own lines before it", () => {
        expect(parseGnuTime("noise\n1.50 1.20 0.30 204800\n")).toEqual({ wallMs: 1500, cpuMs: 1500, maxRssMb: 209.7152 });
        expect(parseGnuTime("Command exited with non-zero status 1")).toBeUndefined();
    });
});

describe("bench plumbing", () => {
    it("starts program children with Pulumi.yaml's nodeargs, one argument per word, and none when the option is absent", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-bench-nodeargs-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --max-semi-space-size=64  --trace-warnings\n");
            expect(pulumiNodeArgs(dir)).toEqual(["--max-semi-space-size=64", "--trace-warnings"]);
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
            expect(pulumiNodeArgs(dir)).toEqual([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names root-import members only for azure-native classes and refuses an empty baseline", () => {
        expect(rootMember("azure-native:web:WebApp")).toBe("web.WebApp");
        expect(rootMember("keyless:web:WebApp")).toBeUndefined();
        expect(rootMember("random:index/randomString:RandomString")).toBeUndefined();
        const source = baselineEntrySource("/repo", ["azure-native:web:WebApp", "azure-native:web:WebApp", "keyless:web:WebApp"]);
        expect(source).toContain('import * as azure from "/repo/node_modules/@pulumi/azure-native";');
        expect(source.match(/azure\.web\.WebApp,/g)).toHaveLength(1);
        expect(source).toContain('import program = require("/repo/index");');
        expect(source).toContain("export = program;");
        expect(() => baselineEntrySource("/repo", ["keyless:web:WebApp"])).toThrow(/no azure-native resource types/);
    });

    it("reads tsc's extended diagnostics and writes a transpile-only tsconfig that restates module settings", () => {
        const output = "Files:                        5935\nLines of TypeScript:     1\nMemory used:               670952K\nTotal time:                  8.12s\n";
        const parsed = parseTscDiagnostics(output);
        expect(parsed.files).toBe(5935);
        expect(parsed.memoryMb).toBeCloseTo(687.05, 2);
        expect(parsed.totalMs).toBeCloseTo(8120, 6);
        expect(parseTscDiagnostics("error TS2307").files).toBeNaN();
        expect(pulumiTsconfig("./tsconfig.json")).toEqual({
            extends: "./tsconfig.json",
            compilerOptions: { noCheck: true, target: "ES2022", module: "commonjs", moduleResolution: "node" },
        });
    });

    it("wraps the recorded secret paths as the engine sends secrets, without touching the original", () => {
        expect(parsePath("a.b[2].c")).toEqual(["a", "b", 2, "c"]);
        const inputs = { properties: { value: "x" }, env: [{ name: "A", secureValue: "y" }] };
        const wrapped = wrapSecretsAt(inputs, ["properties.value", "env[0].secureValue", "missing.path"]);
        expect(wrapped.properties).toEqual({ value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" } });
        expect((wrapped.env as { secureValue: unknown }[])[0].secureValue).toMatchObject({ value: "y" });
        expect(inputs.properties.value).toBe("x");
    });

    it("maps secretlint rules to detector kinds where they mean the same credential", () => {
        expect(secretlintKind("@secretlint/secretlint-rule-aws", "AWSSecretAccessKey")).toBe("aws-secret-key");
        expect(secretlintKind("@secretlint/secretlint-rule-github", "GITHUB_TOKEN")).toBe("github-token");
        expect(secretlintKind("@secretlint/secretlint-rule-openai", "OPENAI_TOKEN")).toBe("secretlint:openai");
    });

    it("parses the bench's options and rejects unknown ones", () => {
        const args = parseBenchArgs(["--only", "cold,quality", "--rounds", "5", "--sizes", "10,20", "--no-replay"]);
        expect([...args.only]).toEqual(["cold", "quality"]);
        expect(args).toMatchObject({ rounds: 5, sizes: [10, 20], replayUpTo: 0, write: true });
        expect(parseBenchArgs(["--replay-up-to", "100"]).replayUpTo).toBe(100);
        expect(() => parseBenchArgs(["--only", "speed"])).toThrow(/unknown section speed/);
        expect(() => parseBenchArgs(["--rounds", "0"])).toThrow(/at least 1/);
        expect(() => parseBenchArgs(["--fast"])).toThrow(/unknown option --fast/);
    });

    it("reports a command-line mistake as a usage error (one line, no stack trace) and knows --help", () => {
        expect(() => parseBenchArgs(["--fast"])).toThrow(BenchUsageError);
        expect(() => parseBenchArgs(["--sizes"])).toThrow(BenchUsageError);
        expect(parseBenchArgs(["--help"]).help).toBe(true);
        expect(parseBenchArgs([]).help).toBe(false);
        for (const option of ["--only", "--rounds", "--sizes", "--replay-up-to", "--no-replay", "--no-write", "--help"]) {
            expect(usage).toContain(option);
        }
    });

    it("counts a run as full (the one that replaces bench/results.json) only with the default measurements", () => {
        expect(parseBenchArgs([]).full).toBe(true);
        expect(parseBenchArgs(["--no-write"]).full).toBe(true);
        for (const partial of [["--only", "fleet"], ["--sizes", "100"], ["--rounds", "1"], ["--no-replay"], ["--replay-up-to", "10"]]) {
            expect(parseBenchArgs(partial).full).toBe(false);
        }
    });
});

describe("CPU profile buckets", () => {
    const root = "/repo";
    it("puts each frame in the bucket of the code it ran", () => {
        expect(bucketOf("(garbage collector)", "", root)).toBe("garbage collection");
        expect(bucketOf("wrapCallSite", "file:///repo/node_modules/@cspotcode/source-map-support/source-map-support.js", root)).toBe("stack traces mapped through source maps");
        expect(bucketOf("debuggablePromise", "file:///repo/node_modules/@pulumi/pulumi/runtime/debuggable.js", root)).toBe("Pulumi SDK");
        expect(bucketOf("WebApp", "file:///repo/node_modules/@pulumi/azure-native/web/webApp.js", root)).toBe("provider classes (azure-native, random)");
        expect(bucketOf("newResource", "file:///repo/offline/mocks.ts", root)).toBe("mock harness");
        expect(bucketOf("deployEnvironment", "file:///repo/stacks/environment.ts", root)).toBe("project code");
        expect(bucketOf("runMicrotasks", "", root)).toBe("Node and V8 runtime");
        expect(bucketOf("(idle)", "", root)).toBeUndefined();
    });

    it("sums self time per bucket, idle left out", () => {
        const profile = {
            nodes: [
                { id: 1, callFrame: { functionName: "(root)", url: "" } },
                { id: 2, callFrame: { functionName: "(garbage collector)", url: "" } },
                { id: 3, callFrame: { functionName: "deployEnvironment", url: "/repo/stacks/environment.ts" } },
                { id: 4, callFrame: { functionName: "(idle)", url: "" } },
            ],
            samples: [2, 3, 3, 4],
            timeDeltas: [1000, 2000, 3000, 50000],
        };
        const { totalMs, buckets } = profileBreakdown(profile, root);
        expect(totalMs).toBe(6);
        expect(buckets["garbage collection"]).toBe(1);
        expect(buckets["project code"]).toBe(5);
    });
});
