import type { ColdStartResult } from "./coldStart";
import type { FleetResult } from "./fleetScale";
import type { MachineInfo } from "./machine";
import type { PolicyResult } from "./policyPack";
import type { QualityResult } from "./quality";
import { formatMb, formatMs, formatPercent, formatRate, formatRatio, ratio, renderTable } from "./stats";

/** What bench/index.ts writes to results.json (tables left out). */
export interface BenchResults {
    machine: MachineInfo;
    totalMs: number;
    coldStart?: Omit<ColdStartResult, "tables">;
    fleet?: Omit<FleetResult, "tables">;
    policy?: Omit<PolicyResult, "tables">;
    quality?: Omit<QualityResult, "tables">;
}

/** The README's benchmark section, from one run's results. Pure. */
export function readmeSection(results: BenchResults): string {
    const m = results.machine;
    const out: string[] = [
        "## Benchmarks",
        "",
        `\`npm run bench\` (about ${Math.round(results.totalMs / 60000)} minutes here, most of it the 1,000-workload fleet) measures four things and prints each as a ratio against a baseline measured in the same run; ` +
            "`bench/results.json` holds the figures of the last run. Latest run: " +
            `${m.date.slice(0, 10)}, ${m.cpuModel}, ${m.cores} cores (shared with other work: absolute times are noisy, ratios hold), ${m.memoryGb} GB, Node ${m.node}.`,
        "",
    ];

    const cold = results.coldStart;
    if (cold) {
        const byId = new Map(cold.variants.map((variant) => [variant.id, variant]));
        const current = byId.get("typecheck")!;
        out.push(
            "### Cold start",
            "",
            `The dev stack's program started as \`pulumi up\` starts it (language host, ts-node, \`index.ts\`), under the mock monitor, median of ${cold.rounds} fresh processes:`,
            "",
            renderTable(
                ["how the program starts", "wall", "peak RSS", "vs current"],
                cold.variants.map((variant) => [variant.label, formatMs(variant.wallMs), formatMb(variant.maxRssMb), formatRatio(ratio(variant.wallMs, current.wallMs))]),
            ),
            "",
            `Importing the root \`@pulumi/azure-native\` instead of submodules costs ${formatRatio(cold.rootImport[0].wallRatio)} the time and ${formatRatio(
                cold.rootImport[0].rssRatio,
            )} the memory with type checking (${formatRatio(cold.rootImport[1].wallRatio)} and ${formatRatio(cold.rootImport[1].rssRatio)} without), for the same ${current.resources} resources` +
                (cold.typeCheckOnly.length === 2
                    ? `; type-checked alone, it makes tsc read ${formatRatio(ratio(cold.typeCheckOnly[1].files, cold.typeCheckOnly[0].files))} the files with ${formatRatio(
                          ratio(cold.typeCheckOnly[1].memoryMb, cold.typeCheckOnly[0].memoryMb),
                      )} the memory and ${formatRatio(ratio(cold.typeCheckOnly[1].totalMs, cold.typeCheckOnly[0].totalMs))} the time. `
                    : ". ") +
                `Counting the build step each needs on a fresh checkout, ${cold.endToEnd
                    .map((entry) => `${entry.label} takes ${formatMs(entry.ms)}`)
                    .join(", ")}. A transpile-only start skips a type check that \`npm run typecheck\` (${formatMs(cold.build.typecheckMs)} for the whole project) still runs in every pull request.`,
            "",
        );
    }

    const fleet = results.fleet;
    if (fleet) {
        out.push(
            "### Fleet scale",
            "",
            "Generated stacks of mixed Linux VMs, web apps and function apps, each with its own identity and two grants; one fresh process per size " +
                `(the program on Node's default heap and Pulumi.yaml's nodeargs, as \`pulumi up\` starts it; the SDK-only baselines with a heap limit of ${fleet.heapLimitMb} MB). ` +
                "The SDK-only replay declares the same resources through the same provider classes with no project code, so the difference is the project's own cost; " +
                "the bare registrations are as many plain custom resources, the SDK's own scaling. Both declare ten resources a turn of the event loop, as the program declares one identity or workload a turn.",
            "",
            renderTable(
                ["workloads", "resources", "program", "peak RSS", "resources/s", "SDK-only replay", "bare registrations", "program / bare", "plan (pure)"],
                fleet.sizes.map((size) => [
                    String(size.workloads),
                    String(size.resources),
                    formatMs(size.programMs),
                    formatMb(size.maxRssMb),
                    formatRate(size.resourcesPerSecond, "/s"),
                    size.replay ? formatMs(size.replay.programMs) : "-",
                    size.bare ? formatMs(size.bare.programMs) : "-",
                    size.bare ? formatRatio(size.programMs / size.bare.programMs) : "-",
                    size.plan ? formatMs(size.plan.totalMs) : "-",
                ]),
            ),
            "",
            ...fleet.growth.map(
                (step) =>
                    `- ${step.from} → ${step.to} workloads: resources ×${step.resourcesFactor.toFixed(1)}, program time ×${step.timeFactor.toFixed(1)} ` +
                    `(${step.vsLinear.toFixed(2)}× linear in resources)` +
                    (step.replayTimeFactor !== undefined ? `, SDK-only replay ×${step.replayTimeFactor.toFixed(1)}` : "") +
                    (step.bareTimeFactor !== undefined ? `, bare registrations ×${step.bareTimeFactor.toFixed(1)}` : "") +
                    `, peak RSS ×${step.rssFactor.toFixed(1)}; garbage collection ×${step.gcFactor.toFixed(1)}, time outside it ×${step.outsideGcFactor.toFixed(1)}.`,
            ),
            "",
            `Garbage collection takes ${fleet.sizes.map((size) => `${formatPercent(size.gcMs / size.programMs)} at ${size.workloads}`).join(", ")} workloads: ` +
                "the program declares one identity or workload a turn of the event loop (`stacks/turns.ts`), so registrations complete as it goes instead of all staying pending, with their promises and outputs, until one synchronous pass ends." +
                fleet.sizes
                    .filter((size) => size.projectShare !== undefined && size.workloads >= 100)
                    .map((size) => ` At ${size.workloads} workloads the program takes ${formatRatio(size.programMs / size.replay!.programMs)} the time of the SDK-only replay of its resources.`)
                    .join("") +
                (fleet.profile
                    ? ` A CPU profile at ${fleet.profile.workloads} workloads puts ${formatPercent(fleet.profile.buckets["project code"] / fleet.profile.totalMs)} in the project's code, ` +
                      `${formatPercent(fleet.profile.buckets["stack traces mapped through source maps"] / fleet.profile.totalMs)} in stack traces the SDK takes per resource and promise (mapped through source maps) ` +
                      `and ${formatPercent(fleet.profile.buckets["garbage collection"] / fleet.profile.totalMs)} in garbage collection ` +
                      "(the SDK's per-promise traces, which it reads only for `PULUMI_DEBUG_PROMISE_LEAKS`, skip the source maps: `stacks/promiseTraces.ts`)."
                    : ""),
            ...reachabilityLine(fleet),
            "",
        );
    }

    const policy = results.policy;
    if (policy) {
        const detect = policy.throughput.find((row) => row.name.startsWith("detectSecrets"));
        const scan = policy.throughput.find((row) => row.name.startsWith("scanValue"));
        const linear = policy.adversarial.every((row) => row.linear);
        out.push(
            "### Policy pack",
            "",
            `- Detector on ${(policy.corpus.bytes / 1024 / 1024).toFixed(0)} MB of cloud-init, app settings and ARM templates: ${formatRate(detect?.mbPerSecond ?? Number.NaN, "MB/s")} ` +
                `(${formatRatio(detect?.vsRegex ?? Number.NaN)} the time of a single fixed regex over the same bytes); the pack's value walk ${formatRate(scan?.mbPerSecond ?? Number.NaN, "MB/s")}. ` +
                `${policy.corpus.plantedFound} of ${policy.corpus.planted} planted credentials found, ${policy.corpus.extraFindings} other findings. ` +
                `By kind, the value walk reads ${policy.byDocumentKind.map((row) => `${row.kind} at ${formatRate(row.scanValueMbPerSecond, "MB/s")}`).join(", ")} ` +
                "(cloud-init arrives as base64 `customData`: decoded and parsed as YAML before it is scanned).",
            `- Adversarial 1 MB inputs: ${linear ? "all grow linearly" : "NOT all linear"} (0.25 → 0.5 → 1 MB); worst case ${policy.worstCase.name} at ${formatRate(policy.worstCase.mbPerSecond, "MB/s")}.`,
        );
        if (policy.grpc) {
            const g = policy.grpc;
            out.push(
                `- Over the engine's gRPC protocol: Analyze takes ${formatMs(g.perResourceMedianMs)} per resource (median; p95 ${formatMs(g.perResourceP95Ms)}; a bare round trip is ${formatMs(g.rttMs)}); ` +
                    `the whole dev stack (${g.resources} resources, then AnalyzeStack) ${formatMs(g.wholeStackMs)}. Loading the pack (ts-node type check) takes ${formatMs(g.packLoadMs)}.`,
            );
        }
        out.push("");
    }

    const q = results.quality;
    if (q) {
        const d = q.detector.anySecret;
        out.push(
            "### Detection quality",
            "",
            `On the labelled corpus (\`detect/corpus.ts\`, ${q.samples} samples from ${q.seeds.length} seeds, ${q.positives} credentials): ` +
                `precision ${formatPercent(d.precision)}, recall ${formatPercent(d.recall)} for "is this a secret".` +
                (q.secretlint
                    ? ` secretlint ${q.secretlint.version} with its recommended preset, on the same samples: precision ${formatPercent(q.secretlint.anySecret.precision)}, recall ${formatPercent(
                          q.secretlint.anySecret.recall,
                      )} (it has no Azure rules).`
                    : "") +
                " The corpus is the one the detector's own tests use, so these figures guard against regressions; they are not an independent estimate.",
            "",
        );
    }
    return `${out.join("\n").trimEnd()}\n`;
}

/** The reachability stack rule on the fleets' resources, and how its time grew against linear. */
function reachabilityLine(fleet: Omit<FleetResult, "tables">): string[] {
    const sizes = fleet.sizes.filter((size) => size.plan?.reachability);
    if (sizes.length === 0) {
        return [];
    }
    const steps = fleet.growth.filter((step) => step.reachabilityVsLinear !== undefined);
    return [
        "",
        `The reachability stack rule (grants-reachable) alone takes ${sizes.map((size) => `${formatMs(size.plan!.reachability!.ms)} on ${size.plan!.reachability!.resources} cloud resources`).join(", ")}` +
            (steps.length > 0 ? `; against linear in the resources it reads, ${steps.map((step) => `${formatRatio(step.reachabilityVsLinear!)} from ${step.from} to ${step.to} workloads`).join(", ")}.` : "."),
    ];
}
