"use strict";
/**
 * One measured run of the stack program in a fresh process, started the way Pulumi's Node language host starts
 * a program (@pulumi/pulumi/cmd/run: `source-map-support/register`, then ts-node registered from the project's
 * tsconfig when PULUMI_NODEJS_TYPESCRIPT=true, type checking unless PULUMI_NODEJS_TRANSPILE_ONLY=true or the
 * tsconfig sets noCheck), but with the SDK's mock monitor instead of an engine.
 *
 * Plain JavaScript on purpose: the harness must not register a TypeScript loader of its own.
 *
 * Input (env BENCH_CHILD, JSON):
 *   root       directory of Pulumi.<stack>.yaml
 *   stack      stack name
 *   entry      program module to require inside the mock run (index.ts, bin/index.js, a generated baseline); an
 *              exported function is called and awaited, as the language host does
 *   harness    directory holding offline/mocks and offline/stackFile (the repo, or the prebuilt bin/)
 *   record     optional path: write the recorded resources there (for the replay baseline)
 *   replay     optional path: instead of `entry`, declare the resources listed in this file (see replay.js)
 *   bare       optional count: instead of `entry`, declare that many bare custom resources (see replay.js)
 * Output: one line `BENCH_RESULT {json}` on stdout.
 */
const path = require("path");
const fs = require("fs");

const started = process.hrtime.bigint();
// Garbage collection time, from V8's own GC events (delivered when the event loop turns; read after a turn).
let gcMs = 0;
new (require("perf_hooks").PerformanceObserver)((list) => {
    for (const entry of list.getEntries()) {
        gcMs += entry.duration;
    }
}).observe({ entryTypes: ["gc"] });
const turn = () => new Promise((resolve) => setImmediate(resolve));
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;
const input = JSON.parse(process.env.BENCH_CHILD || "{}");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));

// As cmd/run/index.js does before anything else.
require(require.resolve("source-map-support/register", { paths: [pulumiDir] }));

let typeScript = false;
let transpileOnly;
if (process.env.PULUMI_NODEJS_TYPESCRIPT === "true") {
    // The same steps as cmd/run/run.js (CommonJS project, no custom loader): read compilerOptions from the tsconfig
    // named by PULUMI_NODEJS_TSCONFIG_PATH (default tsconfig.json), decide transpileOnly, register ts-node.
    typeScript = true;
    const tsutils = require(path.join(pulumiDir, "tsutils"));
    const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH || "tsconfig.json";
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    transpileOnly = env ? env === "true" : compilerOptions.noCheck;
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const ts = require(require.resolve(typescriptRequire, { paths: [pulumiDir] }));
    const [major, minor] = ts.version.split(".").map(Number);
    const useNodeNext = major > 4 || (major === 4 && minor >= 7);
    const tsn = require(require.resolve(tsnodeRequire, { paths: [pulumiDir] }));
    tsn.register({
        compiler: typescriptRequire,
        transpileOnly,
        project: tsConfigPath,
        skipProject: !fs.existsSync(tsConfigPath),
        compilerOptions: {
            target: "ES2020",
            module: useNodeNext ? "nodenext" : "commonjs",
            moduleResolution: useNodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
}
const registerMs = ms(started);

const harnessStart = process.hrtime.bigint();
const mocks = require(path.resolve(input.harness, "offline", "mocks"));
const stackFiles = require(path.resolve(input.harness, "offline", "stackFile"));
const harnessMs = ms(harnessStart);

/**
 * The offline plan's pure parts on the recorded run (what `npm run plan` does after the mock run, without its CLI
 * process start): config check, policy evaluation, plan document. Undefined when the plan modules are absent.
 */
function planPureParts(file, resources) {
    const dir = path.resolve("scripts", "plan");
    if (!fs.existsSync(path.join(dir, "build.ts")) && !fs.existsSync(path.join(dir, "build.js"))) {
        return undefined;
    }
    const loadStart = process.hrtime.bigint();
    const planRun = require(path.join(dir, "run"));
    const planPolicy = require(path.join(dir, "policy"));
    const planBuild = require(path.join(dir, "build"));
    const loadMs = ms(loadStart);
    const start = process.hrtime.bigint();
    const config = planRun.checkStackConfig(file);
    const configMs = ms(start);
    const policyStart = process.hrtime.bigint();
    const findings = planPolicy.evaluatePolicy(resources, {});
    const policyMs = ms(policyStart);
    const buildStart = process.hrtime.bigint();
    const document = planBuild.buildPlan({ stack: input.stack, resources, outputs: {}, expectedGrants: planRun.expectedGrants(config), findings, policyConfig: null });
    const buildMs = ms(buildStart);
    const jsonStart = process.hrtime.bigint();
    const json = JSON.stringify(document, null, 2);
    const jsonMs = ms(jsonStart);
    // The reachability stack rule alone (also part of the policy evaluation above), on the same cloud resources.
    const { evaluateResources } = require(path.resolve("policies", "lib", "evaluate"));
    const { evaluatedResources } = require(path.resolve(input.harness, "offline", "evaluate"));
    const { grantsReachable } = require(path.resolve("policies", "rules", "stack", "grants-reachable"));
    const cloud = evaluatedResources(resources.filter((r) => r.custom));
    // Median of five passes: the policy evaluation above already warmed the code, and one pass alone at the small
    // sizes is a few milliseconds, where a single collection skews the growth figures.
    let reachabilityFindings = 0;
    const passes = [];
    for (let pass = 0; pass < 5; pass++) {
        const reachabilityStart = process.hrtime.bigint();
        reachabilityFindings = evaluateResources(cloud, {}, [grantsReachable]).length;
        passes.push(ms(reachabilityStart));
    }
    const reachabilityMs = passes.sort((a, b) => a - b)[2];
    return {
        loadMs,
        configMs,
        policyMs,
        buildMs,
        jsonMs,
        totalMs: configMs + policyMs + buildMs + jsonMs,
        resources: document.resources.length,
        grants: document.grants.length,
        findings: findings.length,
        bytes: json.length,
        reachability: { ms: reachabilityMs, resources: cloud.length, findings: reachabilityFindings },
    };
}

async function main() {
    const file = stackFiles.loadStackFile(input.root, input.stack);
    await turn();
    const gcBefore = gcMs;
    const cpuBefore = process.cpuUsage();
    const programStart = process.hrtime.bigint();
    const program = input.replay
        ? () => require("./replay").replay(JSON.parse(fs.readFileSync(input.replay, "utf8")))
        : input.bare
          ? () => require("./replay").bare(input.bare)
          : () => {
                // As @pulumi/pulumi/cmd/run/run.js does: an exported function is the program; call it and await it.
                const exported = require(path.resolve(input.entry));
                return exported instanceof Function ? exported() : exported;
            };
    const run = await mocks.runUnderMocks(program, { project: "keyless", stack: input.stack, config: file.config, secretKeys: file.secretKeys });
    const programMs = ms(programStart);
    const cpu = process.cpuUsage(cpuBefore);
    const programCpuMs = (cpu.user + cpu.system) / 1000;
    await turn();
    const programGcMs = gcMs - gcBefore;
    if (input.record) {
        const recorded = run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, parentUrn: r.parentUrn, custom: r.custom, inputs: r.inputs, secretPaths: r.secretPaths, state: r.state, dependencies: r.dependencies }));
        fs.writeFileSync(input.record, JSON.stringify(recorded));
    }
    const custom = run.resources.filter((r) => r.custom).length;
    const plan = input.plan ? planPureParts(file, run.resources) : undefined;
    let liveHeapMb;
    if (typeof global.gc === "function") {
        global.gc();
        liveHeapMb = process.memoryUsage().heapUsed / 1e6;
    }
    const result = {
        typeScript,
        transpileOnly: transpileOnly === true,
        registerMs,
        harnessMs,
        programMs,
        programCpuMs,
        programGcMs,
        totalMs: ms(started),
        resources: run.resources.length,
        custom,
        maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
        liveHeapMb,
        plan,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().then(
    () => process.exit(0),
    (error) => {
        process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    },
);
