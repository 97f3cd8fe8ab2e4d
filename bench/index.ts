import * as fs from "fs";
import * as path from "path";
import { coldStart, ColdStartResult } from "./coldStart";
import { fleetScale, FleetResult } from "./fleetScale";
import { detectorSpeed } from "./detectorSpeed";
import { describeMachine, machineInfo } from "./machine";
import { policyPack, PolicyResult } from "./policyPack";
import { progress, ProgramResult, repoRoot, runChild } from "./process";
import { quality, QualityResult } from "./quality";
import { readmeSection } from "./report";
import { formatMs } from "./stats";

/**
 * `npm run bench`: cold start, fleet scale, policy pack, detection quality. Each section prints its tables on
 * stdout as it finishes (progress goes to stderr); figures are ratios against baselines measured in the same run.
 * A full run writes bench/results.json and bench/README-section.md; a partial one (any option that changes what is
 * measured) writes bench/results/partial.json instead, so that it never overwrites the figures of a full run.
 */

export const usage = `Usage: npm run bench -- [options]

  --only <sections>      comma-separated, some of cold, fleet, policy, detect, quality (default: all but detect,
                         which is the detector's speed alone and also part of policy)
  --rounds <n>           fresh processes per cold-start variant (default 3)
  --sizes <list>         fleet sizes in workloads (default 10,100,1000)
  --replay-up-to <n>     largest fleet size that also gets the SDK-only replay (default 100)
  --no-replay            no SDK-only replay
  --no-write             print only; write no results file
  --help                 this text

A full run (no option but --no-write) writes bench/results.json and bench/README-section.md; any other run writes
bench/results/partial.json, leaving the full results alone.
`;

/** A mistake on the command line: reported as one line, with no stack trace. */
export class BenchUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BenchUsageError";
    }
}

const DEFAULT_REPLAY_UP_TO = 100;

const sectionNames = ["cold", "fleet", "policy", "detect", "quality"] as const;
type Section = (typeof sectionNames)[number];

export interface BenchArgs {
    only: Set<Section>;
    rounds: number;
    sizes: number[];
    /** Largest fleet size that also gets the SDK-only replay. */
    replayUpTo: number;
    write: boolean;
    /** Whether the options measure everything a full run does (only then are the committed results replaced). */
    full: boolean;
    help: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
    const args: BenchArgs = { only: new Set(sectionNames), rounds: 3, sizes: [10, 100, 1000], replayUpTo: DEFAULT_REPLAY_UP_TO, write: true, full: true, help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const next = argv[++i];
            if (next === undefined) {
                throw new BenchUsageError(`${arg} needs a value`);
            }
            return next;
        };
        switch (arg) {
            case "--only": {
                const names = value().split(",").map((name) => name.trim());
                const unknown = names.filter((name) => !(sectionNames as readonly string[]).includes(name));
                if (unknown.length > 0) {
                    throw new BenchUsageError(`--only: unknown section ${unknown.join(", ")}; expected some of ${sectionNames.join(", ")}`);
                }
                args.only = new Set(names as Section[]);
                break;
            }
            case "--rounds":
                args.rounds = Number(value());
                if (!Number.isInteger(args.rounds) || args.rounds < 1) {
                    throw new BenchUsageError("--rounds: expected a whole number of at least 1");
                }
                break;
            case "--sizes":
                args.sizes = value().split(",").map(Number);
                if (args.sizes.some((n) => !Number.isInteger(n) || n < 1)) {
                    throw new BenchUsageError("--sizes: expected comma-separated workload counts such as 10,100,1000");
                }
                break;
            case "--no-replay":
                args.replayUpTo = 0;
                break;
            case "--replay-up-to":
                args.replayUpTo = Number(value());
                if (!Number.isInteger(args.replayUpTo) || args.replayUpTo < 0) {
                    throw new BenchUsageError("--replay-up-to: expected a workload count such as 100");
                }
                break;
            case "--no-write":
                args.write = false;
                break;
            case "--help":
            case "-h":
                args.help = true;
                break;
            default:
                throw new BenchUsageError(`unknown option ${arg}; expected --only, --rounds, --sizes, --replay-up-to, --no-replay, --no-write or --help`);
        }
        if (arg !== "--no-write" && arg !== "--help" && arg !== "-h") {
            args.full = false;
        }
    }
    return args;
}

function print(title: string, tables: string[]): void {
    process.stdout.write(`\n## ${title}\n\n${tables.join("\n\n")}\n`);
}

async function main(): Promise<void> {
    const args = parseBenchArgs(process.argv.slice(2));
    if (args.help) {
        process.stdout.write(usage);
        return;
    }
    const started = Date.now();
    const machine = machineInfo();
    process.stdout.write(`# Keyless benchmarks\n\nMachine: ${describeMachine(machine)}\n`);
    const work = path.join(repoRoot, "bench", "results", "work");
    fs.mkdirSync(work, { recursive: true });
    const devRecord = path.join(work, "dev-record.json");

    let cold: ColdStartResult | undefined;
    let fleet: FleetResult | undefined;
    let policy: PolicyResult | undefined;
    let detection: QualityResult | undefined;

    if (args.only.has("cold")) {
        cold = await coldStart({ rounds: args.rounds, workDir: work, devRecord });
        print(`1. Cold start (dev stack, median of ${args.rounds} fresh processes per variant)`, [
            ...cold.tables,
            `Recommended runtime options (${cold.recommended}):\n\n\`\`\`yaml\n${cold.recommendedYaml}\`\`\`\n${cold.recommendedExtra}`,
        ]);
    } else if (args.only.has("policy")) {
        progress("recording the dev stack's resources for the policy section...");
        await runChild<ProgramResult>({
            script: path.join(__dirname, "child", "run-program.js"),
            env: { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TRANSPILE_ONLY: "true", BENCH_CHILD: JSON.stringify({ root: repoRoot, stack: "dev", entry: "index.ts", harness: ".", record: devRecord }) },
        });
    }
    if (args.only.has("policy")) {
        policy = await policyPack({ seed: 20251130, corpusBytes: 10 * 1024 * 1024, devRecord, passes: 3 });
        print("3. Policy pack", policy.tables);
    } else if (args.only.has("detect")) {
        print("3. Detector speed", detectorSpeed({ seed: 20251130, corpusBytes: 10 * 1024 * 1024, passes: 3 }).tables);
    }
    if (args.only.has("quality")) {
        detection = await quality({ seeds: [1, 2, 3, 4, 5] });
        print("4. Detection quality (labelled corpus, 5 seeds)", detection.tables);
    }
    if (args.only.has("fleet")) {
        fleet = await fleetScale({ sizes: args.sizes, replayUpTo: args.replayUpTo, profileAt: 100 });
        print("2. Fleet scale (program under mocks, one fresh process per size)", fleet.tables);
    }

    const totalMs = Date.now() - started;
    const results = { machine, totalMs, args: { ...args, only: [...args.only] }, coldStart: cold && { ...cold, tables: undefined }, fleet: fleet && { ...fleet, tables: undefined }, policy: policy && { ...policy, tables: undefined }, quality: detection && { ...detection, tables: undefined } };
    if (args.write && args.full) {
        fs.writeFileSync(path.join(repoRoot, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
        fs.writeFileSync(path.join(repoRoot, "bench", "README-section.md"), readmeSection(results));
        progress("wrote bench/results.json and bench/README-section.md");
    } else if (args.write) {
        const partial = path.join(repoRoot, "bench", "results", "partial.json");
        fs.writeFileSync(partial, `${JSON.stringify(results, null, 2)}\n`);
        progress(`partial run: wrote ${path.relative(repoRoot, partial)}; bench/results.json is left as the last full run wrote it`);
    }
    process.stdout.write(`\nTotal: ${formatMs(totalMs)}\n`);
}

if (require.main === module) {
    main().catch((error) => {
        if (error instanceof BenchUsageError) {
            process.stderr.write(`bench: ${error.message} (npm run bench -- --help)\n`);
            process.exitCode = 2;
            return;
        }
        process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        process.exitCode = 1;
    });
}
