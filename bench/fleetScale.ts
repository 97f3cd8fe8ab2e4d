import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { namespacedConfig, parseStackConfig } from "../stacks/config";
import { fleetConfig, fleetStackFile, fleetStackName } from "./fleet";
import { ChildRun, progress, ProgramResult, pulumiNodeArgs, repoRoot, runChild } from "./process";
import { CpuProfile, profileBreakdown, ProfileBucket, profileBuckets } from "./profile";
import { formatMb, formatMs, formatPercent, formatRate, formatRatio, growth, ratio, renderTable } from "./stats";

/**
 * Section 2: the stack program over fleets of 10, 100 and 1,000 workloads, each size in a fresh process (so that
 * peak RSS is per size), started as Pulumi.yaml starts the program (ts-node through tsconfig.pulumi.json: transpile
 * only, with SWC; the type check costs the same at every size and is measured in section 1). Then the offline plan's
 * pure parts on the same run, and the SDK-only replay of the same resources, which separates the SDK's cost from the
 * project's.
 */

interface PlanFigures {
    loadMs: number;
    configMs: number;
    policyMs: number;
    buildMs: number;
    jsonMs: number;
    totalMs: number;
    resources: number;
    grants: number;
    findings: number;
    bytes: number;
    /** The reachability stack rule (grants-reachable) alone, on the run's cloud resources: median of five passes. */
    reachability?: { ms: number; resources: number; findings: number };
}

export interface FleetSize {
    workloads: number;
    resources: number;
    custom: number;
    programMs: number;
    /** Garbage collection pauses during the program (V8 GC events). */
    gcMs: number;
    wallMs: number;
    cpuMs: number;
    maxRssMb: number;
    liveHeapMb?: number;
    resourcesPerSecond: number;
    plan?: PlanFigures;
    replay?: { programMs: number; gcMs: number; wallMs: number; maxRssMb: number; resources: number };
    /** The same number of bare custom resources (no provider class, no parent, four inputs). */
    bare?: { programMs: number; gcMs: number; maxRssMb: number; resources: number };
    /** Share of the program's time above the SDK-only replay: the project's own cost. */
    projectShare?: number;
}

export interface FleetResult {
    sizes: FleetSize[];
    /** Where the CPU time of one profiled run went (self time per bucket). */
    profile?: { workloads: number; totalMs: number; buckets: Record<ProfileBucket, number> };
    /**
     * V8 heap limit given to the SDK-only baselines (MB). The program runs on Node's default heap (about 4 GB on
     * 64-bit), which it ran out of at 1,000 workloads while it declared everything in one synchronous pass.
     */
    heapLimitMb: number;
    growth: {
        from: number;
        to: number;
        workloadsFactor: number;
        resourcesFactor: number;
        timeFactor: number;
        vsLinear: number;
        gcFactor: number;
        /** Growth of the program's time outside garbage collection. */
        outsideGcFactor: number;
        replayTimeFactor?: number;
        bareTimeFactor?: number;
        rssFactor: number;
        planFactor?: number;
        /** Growth of the reachability rule's time, and that against linear in the resources it reads. */
        reachabilityFactor?: number;
        reachabilityVsLinear?: number;
    }[];
    tables: string[];
}

/** As Pulumi.yaml starts the program: TypeScript, through tsconfig.pulumi.json (noCheck, ts-node's SWC transpiler). */
const transpileOnly = { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TRANSPILE_ONLY: undefined, PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" };

/** 8 GB, or half the machine's memory when that is less. */
export function fleetHeapLimitMb(totalMemoryBytes: number = os.totalmem()): number {
    return Math.min(8192, Math.floor(totalMemoryBytes / 1024 / 1024 / 2));
}

export async function fleetScale(options: { sizes: number[]; replayUpTo: number; profileAt?: number }): Promise<FleetResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-bench-fleet-"));
    const heapLimitMb = fleetHeapLimitMb();
    let profile: FleetResult["profile"];
    // The program runs as `pulumi up` starts it: Pulumi.yaml's nodeargs and Node's default heap, so that running out
    // of memory fails the bench. The SDK-only baselines keep a larger heap limit: they measure the SDK, not a limit.
    const programArgs = ["--expose-gc", ...pulumiNodeArgs()];
    const baselineArgs = [...programArgs, `--max-old-space-size=${heapLimitMb}`];
    const sizes: FleetSize[] = [];
    try {
        for (const n of options.sizes) {
            // The generated config must pass the project's own validation before anything runs.
            validateFleet(n);
            const text = fleetStackFile(n);
            fs.writeFileSync(path.join(dir, `Pulumi.${fleetStackName(n)}.yaml`), text);
            const record = path.join(dir, `record-${n}.json`);
            progress(`fleet ${n}: running the program (${(text.length / 1024).toFixed(0)} KB stack file)...`);
            const run: ChildRun<ProgramResult> = await runChild<ProgramResult>({
                script: path.join(__dirname, "child", "run-program.js"),
                nodeArgs: programArgs,
                env: { ...transpileOnly, BENCH_CHILD: JSON.stringify({ root: dir, stack: fleetStackName(n), entry: "index.ts", harness: ".", record, plan: true }) },
                timeoutMs: 1_800_000,
            });
            const plan = run.result.plan as PlanFigures | undefined;
            progress(
                `fleet ${n}: ${run.result.resources} resources in ${formatMs(run.result.programMs)} (${formatMs(run.cpuMs)} CPU, ${formatMb(run.maxRssMb)} peak RSS)` +
                    (plan ? `; plan ${formatMs(plan.totalMs)}` : ""),
            );
            const size: FleetSize = {
                workloads: n,
                resources: run.result.resources,
                custom: run.result.custom,
                programMs: run.result.programMs,
                gcMs: Number(run.result.programGcMs),
                wallMs: run.wallMs,
                cpuMs: run.cpuMs,
                maxRssMb: run.maxRssMb,
                liveHeapMb: run.result.liveHeapMb,
                resourcesPerSecond: run.result.resources / (run.result.programMs / 1000),
                plan,
            };
            progress(`fleet ${n}: ${run.result.resources} bare registrations...`);
            const bare = await runChild<ProgramResult>({
                script: path.join(__dirname, "child", "run-program.js"),
                nodeArgs: baselineArgs,
                env: { ...transpileOnly, BENCH_CHILD: JSON.stringify({ root: dir, stack: fleetStackName(n), entry: "index.ts", harness: ".", bare: run.result.resources }) },
                timeoutMs: 1_800_000,
            });
            size.bare = { programMs: bare.result.programMs, gcMs: Number(bare.result.programGcMs), maxRssMb: bare.maxRssMb, resources: bare.result.resources };
            progress(`fleet ${n}: bare registrations ${formatMs(bare.result.programMs)} (${formatMb(bare.maxRssMb)})`);
            if (n <= options.replayUpTo) {
                progress(`fleet ${n}: SDK-only replay of the same ${run.result.resources} resources...`);
                const replay = await runChild<ProgramResult>({
                    script: path.join(__dirname, "child", "run-program.js"),
                    nodeArgs: baselineArgs,
                    env: { ...transpileOnly, BENCH_CHILD: JSON.stringify({ root: dir, stack: fleetStackName(n), entry: "index.ts", harness: ".", replay: record }) },
                    timeoutMs: 1_800_000,
                });
                size.replay = { programMs: replay.result.programMs, gcMs: Number(replay.result.programGcMs), wallMs: replay.wallMs, maxRssMb: replay.maxRssMb, resources: replay.result.resources };
                size.projectShare = 1 - replay.result.programMs / run.result.programMs;
                progress(`fleet ${n}: replay ${formatMs(replay.result.programMs)} (${formatMb(replay.maxRssMb)})`);
            }
            fs.rmSync(record, { force: true });
            sizes.push(size);
            if (n === options.profileAt) {
                progress(`fleet ${n}: CPU profile of the program...`);
                const profileDir = path.join(dir, `profile-${n}`);
                await runChild<ProgramResult>({
                    script: path.join(__dirname, "child", "run-program.js"),
                    nodeArgs: [...programArgs, "--cpu-prof", `--cpu-prof-dir=${profileDir}`],
                    env: { ...transpileOnly, BENCH_CHILD: JSON.stringify({ root: dir, stack: fleetStackName(n), entry: "index.ts", harness: "." }) },
                    timeoutMs: 1_800_000,
                });
                const file = fs.readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
                if (file) {
                    const { totalMs, buckets } = profileBreakdown(JSON.parse(fs.readFileSync(path.join(profileDir, file), "utf8")) as CpuProfile, repoRoot);
                    profile = { workloads: n, totalMs, buckets };
                }
                fs.rmSync(profileDir, { recursive: true, force: true });
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }

    const steps: FleetResult["growth"] = [];
    for (let i = 1; i < sizes.length; i++) {
        const a = sizes[i - 1];
        const b = sizes[i];
        const time = growth({ size: a.workloads, value: a.programMs }, { size: b.workloads, value: b.programMs });
        steps.push({
            from: a.workloads,
            to: b.workloads,
            workloadsFactor: time.linear,
            resourcesFactor: ratio(b.resources, a.resources),
            timeFactor: time.growth,
            vsLinear: ratio(time.growth, ratio(b.resources, a.resources)),
            gcFactor: ratio(b.gcMs, a.gcMs),
            outsideGcFactor: ratio(b.programMs - b.gcMs, a.programMs - a.gcMs),
            replayTimeFactor: a.replay && b.replay ? ratio(b.replay.programMs, a.replay.programMs) : undefined,
            bareTimeFactor: a.bare && b.bare ? ratio(b.bare.programMs, a.bare.programMs) : undefined,
            rssFactor: ratio(b.maxRssMb, a.maxRssMb),
            planFactor: a.plan && b.plan ? ratio(b.plan.totalMs, a.plan.totalMs) : undefined,
            ...reachabilityGrowth(a.plan?.reachability, b.plan?.reachability),
        });
    }

    const tables = [
        renderTable(
            ["workloads", "resources", "program", "of which GC", "CPU (process)", "peak RSS", "live heap after", "resources/s", "SDK-only replay", "project share", "bare registrations", "plan (pure)"],
            sizes.map((s) => [
                String(s.workloads),
                String(s.resources),
                formatMs(s.programMs),
                `${formatMs(s.gcMs)} (${formatPercent(s.gcMs / s.programMs)})`,
                formatMs(s.cpuMs),
                formatMb(s.maxRssMb),
                s.liveHeapMb === undefined ? "-" : formatMb(s.liveHeapMb),
                formatRate(s.resourcesPerSecond, "/s"),
                s.replay ? `${formatMs(s.replay.programMs)} (GC ${formatPercent(s.replay.gcMs / s.replay.programMs)})` : "-",
                s.projectShare === undefined ? "-" : formatPercent(s.projectShare),
                s.bare ? `${formatMs(s.bare.programMs)} (GC ${formatPercent(s.bare.gcMs / s.bare.programMs)})` : "-",
                s.plan ? formatMs(s.plan.totalMs) : "-",
            ]),
        ),
        renderTable(
            ["step", "workloads ×", "resources ×", "program time ×", "vs linear in resources", "GC time ×", "time outside GC ×", "replay time ×", "bare time ×", "peak RSS ×", "plan time ×", "reachability rule vs linear"],
            steps.map((step) => [
                `${step.from} → ${step.to}`,
                formatRatio(step.workloadsFactor),
                formatRatio(step.resourcesFactor),
                formatRatio(step.timeFactor),
                formatRatio(step.vsLinear),
                formatRatio(step.gcFactor),
                formatRatio(step.outsideGcFactor),
                step.replayTimeFactor === undefined ? "-" : formatRatio(step.replayTimeFactor),
                step.bareTimeFactor === undefined ? "-" : formatRatio(step.bareTimeFactor),
                formatRatio(step.rssFactor),
                step.planFactor === undefined ? "-" : formatRatio(step.planFactor),
                step.reachabilityVsLinear === undefined ? "-" : formatRatio(step.reachabilityVsLinear),
            ]),
        ),
    ];
    if (sizes.some((s) => s.plan)) {
        tables.push(
            renderTable(
                ["workloads", "plan: config check", "policy evaluation", "build document", "JSON", "grants", "findings", "document size", "reachability rule alone"],
                sizes
                    .filter((s) => s.plan)
                    .map((s) => [
                        String(s.workloads),
                        formatMs(s.plan!.configMs),
                        formatMs(s.plan!.policyMs),
                        formatMs(s.plan!.buildMs),
                        formatMs(s.plan!.jsonMs),
                        String(s.plan!.grants),
                        String(s.plan!.findings),
                        `${(s.plan!.bytes / 1e6).toFixed(1)} MB`,
                        s.plan!.reachability ? `${formatMs(s.plan!.reachability.ms)} (${s.plan!.reachability.resources} resources)` : "-",
                    ]),
            ),
        );
    }
    if (profile) {
        const p = profile;
        tables.push(
            renderTable(
                [`where the CPU goes, ${p.workloads} workloads (self time)`, "time", "share"],
                profileBuckets.map((bucket) => [bucket, formatMs(p.buckets[bucket]), formatPercent(p.buckets[bucket] / p.totalMs)]),
            ),
        );
    }
    return { sizes, heapLimitMb, profile, growth: steps, tables };
}

/** How the reachability rule's time grew between two sizes, and that against linear in the resources it read. */
export function reachabilityGrowth(a: PlanFigures["reachability"], b: PlanFigures["reachability"]): { reachabilityFactor?: number; reachabilityVsLinear?: number } {
    if (!a || !b) {
        return {};
    }
    const factor = ratio(b.ms, a.ms);
    return { reachabilityFactor: factor, reachabilityVsLinear: ratio(factor, ratio(b.resources, a.resources)) };
}

/** Validates a generated fleet config the way the program does (namespace stripped), for the smoke test. */
export function validateFleet(n: number): ReturnType<typeof parseStackConfig> {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(fleetConfig(n))) {
        raw[`keyless:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return parseStackConfig(namespacedConfig(raw), { project: "keyless" });
}

export { repoRoot };
