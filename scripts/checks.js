"use strict";
/**
 * `npm test`'s static checks, run at the same time: the two type checks, eslint and the secret scan are independent
 * and mostly single-threaded, so on two cores they finish in about the time of the longest (eslint) instead of the
 * sum. Each one's output is printed whole, in this order, once it ends; the exit code is 1 if any failed.
 *
 * Plain JavaScript, so that it starts without a TypeScript loader.
 */
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const checks = [
    { name: "typecheck (tsconfig.json)", command: bin("tsc"), args: ["-p", "tsconfig.json", "--noEmit"] },
    { name: "typecheck (policies/tsconfig.test.json)", command: bin("tsc"), args: ["-p", "policies/tsconfig.test.json", "--noEmit"] },
    { name: "lint", command: bin("eslint"), args: ["."] },
    { name: "scan", command: bin("ts-node"), args: ["--transpile-only", "scripts/scan.ts"] },
];

function run(check) {
    return new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(check.command, check.args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", (error) => resolve({ check, code: 1, output: `${output}${error.message}\n`, ms: Date.now() - started }));
        child.on("close", (code) => resolve({ check, code, output, ms: Date.now() - started }));
    });
}

Promise.all(checks.map(run)).then((results) => {
    for (const { check, code, output, ms } of results) {
        process.stdout.write(`> ${check.name}: ${code === 0 ? "ok" : `failed (exit ${code})`} in ${(ms / 1000).toFixed(1)} s\n${output}`);
    }
    process.exitCode = results.every((result) => result.code === 0) ? 0 : 1;
});
