import { spawn, SpawnOptions } from "child_process";

/** How a child process ended, with everything it wrote. */
export interface ProcessRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command to its end and collects its exit code and output; rejects only when it cannot start. */
export function runProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ProcessRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, options);
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (chunk) => (stdout += chunk));
        child.stderr?.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
