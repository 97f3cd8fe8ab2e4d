import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/**
 * Runs one measured child process: wall time from here, CPU time and peak RSS from GNU time (`/usr/bin/time`)
 * when the machine has it, else from the child's own `process.resourceUsage()`.
 */

export const repoRoot = path.resolve(__dirname, "..");
const gnuTime = "/usr/bin/time";

/**
 * `runtime.options.nodeargs` of a Pulumi.yaml, as separate arguments: what the Node language host puts before the
 * program when it starts node (https://www.pulumi.com/docs/iac/concepts/projects/project-file/#runtime-options).
 * Every program child gets them, so that the bench measures the program as `pulumi up` runs it.
 */
export function pulumiNodeArgs(root: string = repoRoot): string[] {
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: unknown } } } | null;
    const args = project?.runtime?.options?.nodeargs;
    return typeof args === "string" ? args.split(/\s+/).filter((arg) => arg.length > 0) : [];
}

export function hasGnuTime(): boolean {
    return fs.existsSync(gnuTime);
}

/** What bench/child/run-program.js reports. */
export interface ProgramResult {
    typeScript: boolean;
    transpileOnly: boolean;
    registerMs: number;
    harnessMs: number;
    programMs: number;
    totalMs: number;
    resources: number;
    custom: number;
    maxRssMb: number;
    liveHeapMb?: number;
    [extra: string]: unknown;
}

export interface ChildRun<R> {
    wallMs: number;
    /** User + system CPU time of the child: less disturbed than wall time by other work on a shared machine. */
    cpuMs: number;
    maxRssMb: number;
    /** Where the memory figure came from. */
    rssSource: "gnu-time" | "resourceUsage";
    result: R;
}

export interface ChildOptions {
    script: string;
    args?: string[];
    nodeArgs?: string[];
    env?: Record<string, string | undefined>;
    cwd?: string;
    /** Marker of the result line on stdout. */
    marker?: string;
    timeoutMs?: number;
}

/** Parses GNU time's `-f "%e %U %S %M"` output (the last line; earlier lines can be the child's own). */
export function parseGnuTime(text: string): { wallMs: number; cpuMs: number; maxRssMb: number } | undefined {
    const lines = text.trim().split("\n");
    const match = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(lines[lines.length - 1]?.trim() ?? "");
    if (!match) {
        return undefined;
    }
    return { wallMs: Number(match[1]) * 1000, cpuMs: (Number(match[2]) + Number(match[3])) * 1000, maxRssMb: (Number(match[4]) * 1024) / 1e6 };
}

/** Process groups of the measured children still running. */
const running = new Set<number>();

function killGroup(group: number | undefined): void {
    if (group === undefined) {
        return;
    }
    try {
        process.kill(-group, "SIGKILL");
    } catch {
        // Already gone.
    }
    running.delete(group);
}

let interruptHandled = false;

/** An interrupted bench ends the children it started (they run in their own process groups). */
function endChildrenOnInterrupt(): void {
    if (interruptHandled) {
        return;
    }
    interruptHandled = true;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            [...running].forEach(killGroup);
            process.exit(130);
        });
    }
}

export async function runChild<R extends { maxRssMb?: number }>(options: ChildOptions): Promise<ChildRun<R>> {
    endChildrenOnInterrupt();
    const marker = options.marker ?? "BENCH_RESULT";
    const timeFile = path.join(os.tmpdir(), `keyless-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])];
    const useTime = hasGnuTime();
    const [command, ...args] = useTime ? [gnuTime, "-o", timeFile, "-f", "%e %U %S %M", ...nodeCommand] : nodeCommand;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, ...(options.env ?? {}) })) {
        if (value !== undefined) {
            env[key] = value;
        }
    }
    const started = process.hrtime.bigint();
    let finished: { code: number | null; stdout: string; stderr: string };
    let timeText: string | undefined;
    try {
        finished = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
            // Its own process group, so that a timeout or an interrupt ends `time` and the node process under it.
            const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
            const group = child.pid;
            if (group !== undefined) {
                running.add(group);
            }
            let out = "";
            let err = "";
            child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
            const timer = options.timeoutMs
                ? setTimeout(() => {
                      killGroup(group);
                      reject(new Error(`${path.basename(options.script)} did not finish within ${options.timeoutMs} ms`));
                  }, options.timeoutMs)
                : undefined;
            child.on("error", reject);
            child.on("close", (exit) => {
                if (timer) {
                    clearTimeout(timer);
                }
                if (group !== undefined) {
                    running.delete(group);
                }
                resolve({ code: exit, stdout: out, stderr: err });
            });
        });
    } finally {
        timeText = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, "utf8") : undefined;
        fs.rmSync(timeFile, { force: true });
    }
    const { code, stdout, stderr } = finished;
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = stdout.split("\n").find((candidate) => candidate.startsWith(`${marker} `));
    if (code !== 0 || !line) {
        const tail = stderr.trim().split("\n").slice(-15).join("\n");
        throw new Error(`${path.basename(options.script)} failed (exit ${code}):\n${tail}`);
    }
    const result = JSON.parse(line.slice(marker.length + 1)) as R;
    const timed = useTime && timeText !== undefined ? parseGnuTime(timeText) : undefined;
    return {
        wallMs,
        cpuMs: timed?.cpuMs ?? Number.NaN,
        maxRssMb: timed?.maxRssMb ?? result.maxRssMb ?? Number.NaN,
        rssSource: timed ? "gnu-time" : "resourceUsage",
        result,
    };
}

/** Runs a command to completion (a build step), timing it. Throws with its output when it fails and `check` is set. */
export async function timeCommand(command: string, args: string[], options: { cwd?: string; check?: boolean } = {}): Promise<{ wallMs: number; code: number | null; output: string }> {
    const started = process.hrtime.bigint();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, stdio: ["ignore", "pipe", "pipe"] });
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.on("error", reject);
        child.on("close", (exit) => resolve({ code: exit, output: text }));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (options.check && code !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${output.slice(-2000)}`);
    }
    return { wallMs, code, output };
}

/** Progress on stderr, so that stdout holds only the tables. */
export function progress(line: string): void {
    process.stderr.write(`[bench] ${line}\n`);
}
