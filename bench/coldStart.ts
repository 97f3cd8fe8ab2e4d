import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { baselineEntrySource } from "./baseline/entry";
import { ChildRun, progress, ProgramResult, pulumiNodeArgs, repoRoot, runChild, timeCommand } from "./process";
import { formatMb, formatMs, formatRatio, median, ratio, renderTable, round } from "./stats";

/**
 * Section 1: the dev stack's program started as Pulumi starts it (language host → ts-node → index.ts), under the
 * mock monitor, in a fresh process each time, for each way the Node runtime can be configured; and a baseline
 * that differs only by the root `@pulumi/azure-native` import.
 */

export type VariantId = "typecheck" | "transpile-env" | "transpile-tsconfig" | "swc" | "prebuilt-js" | "root-import-typecheck" | "root-import-transpile";

export type OptionId = "typecheck" | "transpile-only" | "swc" | "prebuilt-js";

export interface Variant {
    id: VariantId;
    label: string;
    /** The Pulumi.yaml runtime options (and environment) this variant stands for. */
    setting: string;
    env: Record<string, string | undefined>;
    entry: string;
    harness: string;
}

export interface VariantSummary {
    id: VariantId;
    label: string;
    setting: string;
    runs: number;
    wallMs: number;
    cpuMs: number;
    maxRssMb: number;
    registerMs: number;
    harnessMs: number;
    programMs: number;
    resources: number;
    samplesWallMs: number[];
}

export interface ColdStartResult {
    rounds: number;
    variants: VariantSummary[];
    rootImport: { mode: string; current: VariantId; baseline: VariantId; wallRatio: number; cpuRatio: number; rssRatio: number; sameResources: boolean }[];
    build: { typecheckMs: number; typecheckExit: number | null; emitMs: number };
    /** `tsc --noEmit --extendedDiagnostics` of the entry alone: files, memory and time of the type check itself. */
    typeCheckOnly: { label: string; files: number; memoryMb: number; totalMs: number; wallMs: number; exit: number | null }[];
    /**
     * Per runtime option, the median cold start plus the build step it needs on a fresh checkout (CI's
     * `tsc --noEmit` runs whatever the option). Transpile-only pools both ways of setting it: same mechanism.
     */
    endToEnd: { id: OptionId; label: string; ms: number }[];
    recommended: OptionId;
    recommendedYaml: string;
    recommendedExtra: string;
    tables: string[];
}

/** The tsconfig the transpile-only proposal adds. Pulumi reads its compilerOptions without following `extends`,
 * and its own defaults (module nodenext, target ES2020) override what is not restated, so module settings are
 * restated here. */
export function pulumiTsconfig(extendsPath: string): Record<string, unknown> {
    return {
        extends: extendsPath,
        compilerOptions: { noCheck: true, target: "ES2022", module: "commonjs", moduleResolution: "node" },
    };
}

/** Files, memory and total time from `tsc --extendedDiagnostics` output. */
export function parseTscDiagnostics(output: string): { files: number; memoryMb: number; totalMs: number } {
    const number = (label: string) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(output)?.[1] ?? Number.NaN);
    return { files: number("Files"), memoryMb: (number("Memory used") * 1024) / 1e6, totalMs: number("Total time") * 1000 };
}

function programEnv(typeScript: boolean, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    // Start from a clean slate: a developer's shell may carry these.
    return {
        PULUMI_NODEJS_TYPESCRIPT: typeScript ? "true" : undefined,
        PULUMI_NODEJS_TRANSPILE_ONLY: undefined,
        PULUMI_NODEJS_TSCONFIG_PATH: undefined,
        ...extra,
    };
}

/** Non-TypeScript files next to the program's sources that it reads at run time (cloud-init scripts). */
function assetFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            out.push(...assetFiles(full));
        } else if (!/\.(ts|js|json|md|snap)$/.test(entry.name)) {
            out.push(full);
        }
    }
    return out;
}

async function summarize(variant: Variant, runs: ChildRun<ProgramResult>[]): Promise<VariantSummary> {
    return {
        id: variant.id,
        label: variant.label,
        setting: variant.setting,
        runs: runs.length,
        wallMs: median(runs.map((run) => run.wallMs)),
        cpuMs: median(runs.map((run) => run.cpuMs)),
        maxRssMb: median(runs.map((run) => run.maxRssMb)),
        registerMs: median(runs.map((run) => run.result.registerMs)),
        harnessMs: median(runs.map((run) => run.result.harnessMs)),
        programMs: median(runs.map((run) => run.result.programMs)),
        resources: median(runs.map((run) => run.result.resources)),
        samplesWallMs: runs.map((run) => round(run.wallMs, 4)),
    };
}

/** Workspace packages the program itself imports. */
const workspacePackages = [{ name: "@keyless/detect", dir: "detect" }];

export async function coldStart(options: { rounds: number; workDir: string; devRecord: string }): Promise<ColdStartResult> {
    const work = options.workDir;
    fs.mkdirSync(work, { recursive: true });
    const rel = (file: string) => path.relative(repoRoot, file).split(path.sep).join("/");

    // The transpile-only tsconfig, as the proposal would add it at the root (here under the work directory).
    const tsconfigPulumi = path.join(work, "tsconfig.pulumi.json");
    fs.writeFileSync(tsconfigPulumi, `${JSON.stringify(pulumiTsconfig(path.relative(work, path.join(repoRoot, "tsconfig.json"))), null, 2)}\n`);

    // Prebuilt JavaScript: emit the program's closure (plus the mock harness) and copy the assets it reads.
    const binDir = path.join(work, "bin");
    fs.rmSync(binDir, { recursive: true, force: true });
    const emitConfig = path.join(work, "tsconfig.emit.json");
    fs.writeFileSync(
        emitConfig,
        `${JSON.stringify(
            {
                extends: path.relative(work, path.join(repoRoot, "tsconfig.json")),
                compilerOptions: { outDir: "bin", rootDir: path.relative(work, repoRoot) || ".", noEmit: false },
                // The workspace packages the program imports (@keyless/detect) resolve through node_modules, which tsc
                // type-checks but does not emit: list them so that bin/ holds their JavaScript too.
                files: ["index.ts", "offline/mocks.ts", "offline/stackFile.ts", ...workspacePackages.map((pkg) => `${pkg.dir}/index.ts`)].map((file) =>
                    path.relative(work, path.join(repoRoot, file)),
                ),
                include: [],
            },
            null,
            2,
        )}\n`,
    );
    progress("cold start: building the prebuilt JavaScript variant (tsc emit of the program)...");
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    const emit = await timeCommand(process.execPath, [tsc, "-p", emitConfig]);
    if (!fs.existsSync(path.join(binDir, "index.js"))) {
        throw new Error(`tsc emitted no bin/index.js:\n${emit.output.slice(-2000)}`);
    }
    // bin/node_modules/<package> points each workspace package at its emitted JavaScript, as an installed build would.
    for (const pkg of workspacePackages) {
        const link = path.join(binDir, "node_modules", ...pkg.name.split("/"));
        fs.mkdirSync(link, { recursive: true });
        fs.writeFileSync(path.join(link, "package.json"), `${JSON.stringify({ name: pkg.name, main: path.relative(link, path.join(binDir, pkg.dir, "index.js")) })}\n`);
    }
    // The saved searches read review/queries/*.kql (infra/monitoring/savedSearches.ts).
    for (const asset of [...assetFiles(path.join(repoRoot, "infra")), ...assetFiles(path.join(repoRoot, "stacks")), ...assetFiles(path.join(repoRoot, "review", "queries"))]) {
        const target = path.join(binDir, path.relative(repoRoot, asset));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(asset, target);
    }

    const baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-bench-baseline-"));
    const baselineEntry = path.join(baselineDir, "index.ts");

    const variants: Variant[] = [
        { id: "typecheck", label: "ts-node, type check (current)", setting: "typescript: true", env: programEnv(true), entry: "index.ts", harness: "." },
        {
            id: "transpile-env",
            label: "ts-node, transpile only (env)",
            setting: "typescript: true + PULUMI_NODEJS_TRANSPILE_ONLY=true",
            env: programEnv(true, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
            entry: "index.ts",
            harness: ".",
        },
        {
            id: "transpile-tsconfig",
            label: "ts-node, transpile only (tsconfig noCheck)",
            setting: "typescript: true + tsconfig: tsconfig.pulumi.json",
            env: programEnv(true, { PULUMI_NODEJS_TSCONFIG_PATH: rel(tsconfigPulumi) }),
            entry: "index.ts",
            harness: ".",
        },
        {
            // The project's own tsconfig.pulumi.json, as Pulumi.yaml names it: noCheck, and ts-node's swc option.
            id: "swc",
            label: "ts-node, SWC transpile (Pulumi.yaml as committed)",
            setting: "typescript: true + tsconfig: tsconfig.pulumi.json (ts-node swc)",
            env: programEnv(true, { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" }),
            entry: "index.ts",
            harness: ".",
        },
        { id: "prebuilt-js", label: "prebuilt JavaScript", setting: "typescript: false, main: bin/index.js", env: programEnv(false), entry: rel(path.join(binDir, "index.js")), harness: rel(binDir) },
        { id: "root-import-typecheck", label: "baseline: root import, type check", setting: "typescript: true", env: programEnv(true), entry: baselineEntry, harness: "." },
        {
            id: "root-import-transpile",
            label: "baseline: root import, transpile only",
            setting: "typescript: true + PULUMI_NODEJS_TRANSPILE_ONLY=true",
            env: programEnv(true, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
            entry: baselineEntry,
            harness: ".",
        },
    ];

    const runs = new Map<VariantId, ChildRun<ProgramResult>[]>(variants.map((variant) => [variant.id, []]));
    const typeCheckOnly: ColdStartResult["typeCheckOnly"] = [];
    try {
        // Rounds interleave the variants, so that a burst of load from elsewhere hits them all alike.
        for (let round = 1; round <= options.rounds; round++) {
            for (const variant of variants) {
                const first = round === 1 && variant.id === "typecheck";
                const input = { root: repoRoot, stack: "dev", entry: variant.entry, harness: variant.harness, ...(first ? { record: options.devRecord } : {}) };
                const run = await runChild<ProgramResult>({
                    script: path.join(__dirname, "child", "run-program.js"),
                    nodeArgs: pulumiNodeArgs(),
                    env: { ...variant.env, BENCH_CHILD: JSON.stringify(input) },
                    timeoutMs: 600_000,
                });
                runs.get(variant.id)!.push(run);
                progress(
                    `cold start round ${round}/${options.rounds}: ${variant.label}: ${formatMs(run.wallMs)} wall, ${formatMs(run.cpuMs)} CPU, ${formatMb(run.maxRssMb)}, ${run.result.resources} resources`,
                );
                if (first) {
                    // The baseline names every azure-native class the stack declared in this run.
                    const types = (JSON.parse(fs.readFileSync(options.devRecord, "utf8")) as { type: string }[]).map((resource) => resource.type);
                    fs.writeFileSync(baselineEntry, baselineEntrySource(repoRoot, types));
                }
            }
        }
        // The type check alone, as tsc reports it: the program's entry, then the baseline's.
        progress("cold start: type check alone (tsc --noEmit --extendedDiagnostics) of index.ts and of the baseline...");
        for (const [label, entry, dir] of [
            ["index.ts (submodule imports)", path.join(repoRoot, "index.ts"), work],
            ["baseline (root import)", baselineEntry, baselineDir],
        ] as const) {
            const config = path.join(dir, "tsconfig.check.json");
            // typeRoots restated: they resolve from the config's folder, and the baseline's is a temporary one.
            const compilerOptions = { noEmit: true, typeRoots: [path.join(repoRoot, "node_modules", "@types")] };
            fs.writeFileSync(config, JSON.stringify({ extends: path.join(repoRoot, "tsconfig.json"), compilerOptions, files: [entry], include: [] }));
            const run = await timeCommand(process.execPath, [tsc, "-p", config, "--extendedDiagnostics"]);
            typeCheckOnly.push({ label, ...parseTscDiagnostics(run.output), wallMs: run.wallMs, exit: run.code });
        }
    } finally {
        fs.rmSync(baselineDir, { recursive: true, force: true });
    }

    progress("cold start: timing the CI type check (tsc -p tsconfig.json --noEmit)...");
    const typecheck = await timeCommand(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"]);

    const summaries = await Promise.all(variants.map((variant) => summarize(variant, runs.get(variant.id)!)));
    const byId = new Map(summaries.map((summary) => [summary.id, summary]));
    const current = byId.get("typecheck")!;

    const rootImport = (
        [
            ["type check", "typecheck", "root-import-typecheck"],
            ["transpile only", "transpile-env", "root-import-transpile"],
        ] as const
    ).map(([mode, currentId, baselineId]) => {
        const a = byId.get(currentId)!;
        const b = byId.get(baselineId)!;
        return {
            mode,
            current: currentId,
            baseline: baselineId,
            wallRatio: ratio(b.wallMs, a.wallMs),
            cpuRatio: ratio(b.cpuMs, a.cpuMs),
            rssRatio: ratio(b.maxRssMb, a.maxRssMb),
            sameResources: a.resources === b.resources,
        };
    });

    const runtimeOptions: { id: OptionId; label: string; variants: VariantId[]; buildMs: number }[] = [
        { id: "typecheck", label: "ts-node, type check (current)", variants: ["typecheck"], buildMs: 0 },
        { id: "transpile-only", label: "ts-node, transpile only", variants: ["transpile-env", "transpile-tsconfig"], buildMs: 0 },
        { id: "swc", label: "ts-node, SWC transpile", variants: ["swc"], buildMs: 0 },
        { id: "prebuilt-js", label: "prebuilt JavaScript (tsc emit first)", variants: ["prebuilt-js"], buildMs: emit.wallMs },
    ];
    const endToEnd = runtimeOptions.map((option) => ({
        id: option.id,
        label: option.label,
        ms: median(option.variants.flatMap((id) => runs.get(id)!.map((run) => run.wallMs))) + option.buildMs,
    }));
    const recommended = [...endToEnd].sort((a, b) => a.ms - b.ms)[0].id;
    const yaml: Record<OptionId, string> = {
        typecheck: "runtime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
        "transpile-only": "runtime:\n  name: nodejs\n  options:\n    typescript: true\n    tsconfig: tsconfig.pulumi.json\nmain: index.ts\n",
        swc: "runtime:\n  name: nodejs\n  options:\n    typescript: true\n    tsconfig: tsconfig.pulumi.json\nmain: index.ts\n",
        "prebuilt-js": "runtime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/index.js\n",
    };
    const extra: Record<OptionId, string> = {
        typecheck: "",
        "transpile-only":
            `tsconfig.pulumi.json (new, at the root):\n${JSON.stringify(pulumiTsconfig("./tsconfig.json"), null, 2)}\n` +
            "Pulumi reads this file's own compilerOptions (it does not follow `extends`) and puts its defaults (module nodenext, target ES2020) under them, " +
            "so module settings are restated; `noCheck` makes it transpile only. Setting PULUMI_NODEJS_TRANSPILE_ONLY=true in the environment does the same " +
            "(measured above) but only where it is set. Type errors stay blocked by `npm run typecheck`, which `npm test` and the PR workflow run.",
        swc:
            'tsconfig.pulumi.json as committed: noCheck plus `"ts-node": { "swc": true }`, which ts-node reads from the tsconfig Pulumi names (Pulumi registers ts-node with `project` set to it), so SWC (@swc/core, a dev dependency like ts-node) transpiles instead of TypeScript. ' +
            "ts-node refuses swc with an explicit PULUMI_NODEJS_TRANSPILE_ONLY=false; type errors stay blocked by `npm run typecheck`.",
        "prebuilt-js": "Needs `tsc` (emit to bin/) and a copy of infra/compute/app/ into bin/ before every pulumi command.",
    };

    const tables: string[] = [];
    tables.push(
        renderTable(
            ["variant", "Pulumi.yaml", "wall", "CPU", "peak RSS", "ts-node setup", "harness load", "program", "resources", "wall vs current", "RSS vs current"],
            summaries.map((s) => [
                s.label,
                s.setting,
                formatMs(s.wallMs),
                formatMs(s.cpuMs),
                formatMb(s.maxRssMb),
                formatMs(s.registerMs),
                formatMs(s.harnessMs),
                formatMs(s.programMs),
                String(s.resources),
                formatRatio(ratio(s.wallMs, current.wallMs)),
                formatRatio(ratio(s.maxRssMb, current.maxRssMb)),
            ]),
        ),
    );
    tables.push(
        renderTable(
            ["root import vs submodule imports", "wall ratio", "CPU ratio", "peak RSS ratio", "same resources"],
            rootImport.map((entry) => [entry.mode, formatRatio(entry.wallRatio), formatRatio(entry.cpuRatio), formatRatio(entry.rssRatio), entry.sameResources ? "yes" : "NO"]),
        ),
    );
    if (typeCheckOnly.length === 2) {
        const [a, b] = typeCheckOnly;
        tables.push(
            renderTable(
                ["type check alone (tsc --extendedDiagnostics)", "files", "memory", "tsc total time", "wall"],
                [
                    ...typeCheckOnly.map((entry) => [entry.label, String(entry.files), formatMb(entry.memoryMb), formatMs(entry.totalMs), formatMs(entry.wallMs)]),
                    ["root import ÷ submodules", formatRatio(ratio(b.files, a.files)), formatRatio(ratio(b.memoryMb, a.memoryMb)), formatRatio(ratio(b.totalMs, a.totalMs)), formatRatio(ratio(b.wallMs, a.wallMs))],
                ],
            ),
        );
    }
    tables.push(
        renderTable(
            ["build step", "wall", "note"],
            [
                ["tsc -p tsconfig.json --noEmit", formatMs(typecheck.wallMs), `CI type check, already in npm test (exit ${typecheck.code})`],
                ["tsc emit of the program to bin/", formatMs(emit.wallMs), "needed only by prebuilt JavaScript"],
            ],
        ),
    );
    tables.push(
        renderTable(
            ["option", "cold start + its build step", "vs current"],
            endToEnd.map((entry) => [
                `${entry.label}${entry.id === recommended ? " (recommended)" : ""}`,
                formatMs(entry.ms),
                formatRatio(ratio(entry.ms, endToEnd.find((e) => e.id === "typecheck")!.ms)),
            ]),
        ),
    );

    return {
        rounds: options.rounds,
        variants: summaries,
        rootImport,
        build: { typecheckMs: typecheck.wallMs, typecheckExit: typecheck.code, emitMs: emit.wallMs },
        typeCheckOnly,
        endToEnd,
        recommended,
        recommendedYaml: yaml[recommended],
        recommendedExtra: extra[recommended] ?? "",
        tables,
    };
}
