/**
 * Installs the consumer example (examples/web-app) into a temporary folder the way a user would, from the packed
 * tarballs: its @keyless dependencies come from the tarballs, theirs from npm's cache where it holds them and the
 * registry otherwise (`npm ci` caches tarballs but not the metadata a range like `^2.9.1` is resolved against, so
 * `--offline` fails on a fresh machine); the peer dependencies (@pulumi/pulumi, the providers, the compiler's node
 * types) are linked to the copies this repository already installed instead of being downloaded again.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./stage";

export const exampleDir = path.join(repoRoot, "examples", "web-app");

/** Packages the example needs that are linked, not installed: the peers and the type definitions tsc reads. */
const linked = ["@pulumi/pulumi", "@pulumi/azure-native", "@pulumi/random", "@types/node"];

interface ExampleManifest {
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
    [field: string]: unknown;
}

/** Copies the example into `workDir` and installs it there from `tarballs` (package name to .tgz path). */
export function installExample(workDir: string, tarballs: Record<string, string>): void {
    for (const file of ["index.ts", "tsconfig.json", "Pulumi.yaml", "package.json"]) {
        fs.copyFileSync(path.join(exampleDir, file), path.join(workDir, file));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(workDir, "package.json"), "utf8")) as ExampleManifest;
    const dependencies = Object.fromEntries(Object.entries(manifest.dependencies).filter(([name]) => !linked.includes(name)));
    for (const [name, tarball] of Object.entries(tarballs)) {
        dependencies[name] = `file:${tarball}`;
    }
    fs.writeFileSync(path.join(workDir, "package.json"), `${JSON.stringify({ ...manifest, dependencies, devDependencies: {} }, null, 2)}\n`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["install", "--prefer-offline", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"], {
        cwd: workDir,
        encoding: "utf8",
        stdio: "pipe",
    });
    for (const name of linked) {
        const link = path.join(workDir, "node_modules", ...name.split("/"));
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.join(repoRoot, "node_modules", ...name.split("/")), link, "dir");
    }
}

/** Type-checks and compiles the installed example against the packages' declarations; returns its JavaScript entry. */
export function compileExample(workDir: string): string {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(workDir, "tsconfig.json")], { cwd: workDir, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
        throw new Error(`the example does not compile against the packed declarations:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
    return path.join(workDir, "bin", "index.js");
}
