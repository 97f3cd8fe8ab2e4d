/**
 * Stages a workspace package for publishing: compiles it with its tsconfig.build.json to <package>/dist (JavaScript
 * and declarations, the same folder layout as the sources, so `<name>/web` resolves with or without an exports map)
 * and writes there the manifest npm packs and publishes. In the repository the source manifest points at the
 * TypeScript sources, which the program, ts-node and jest load directly; only the staged one points at JavaScript.
 *
 *   npm run stage -- detect infra        # then: npm pack ./infra/dist
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** Files every staged package carries when the package folder has them. */
const documents = ["README.md", "CHANGELOG.md", "LICENSE"];

type Exports = Record<string, string | Record<string, string>>;

export interface SourceManifest {
    name: string;
    version: string;
    main?: string;
    exports?: Exports;
    scripts?: Record<string, string>;
    devDependencies?: Record<string, string>;
    /** Non-TypeScript files the compiled code reads at run time, relative to the package folder. */
    keylessBuild?: { assets?: string[] };
    [field: string]: unknown;
}

function compiled(entry: string, extension: ".js" | ".d.ts"): string {
    if (!entry.endsWith(".ts")) {
        return entry;
    }
    return entry.slice(0, -".ts".length) + extension;
}

/** The manifest npm publishes: entries on the compiled files, development-only fields dropped. */
export function publishManifest(source: SourceManifest, assets: string[], presentDocuments: string[]): Record<string, unknown> {
    const { keylessBuild: _build, scripts: _scripts, devDependencies: _dev, main, exports, ...rest } = source;
    const manifest: Record<string, unknown> = { ...rest };
    if (main) {
        manifest.main = compiled(main, ".js");
        manifest.types = compiled(main, ".d.ts");
    }
    if (exports) {
        manifest.exports = Object.fromEntries(
            Object.entries(exports).map(([subpath, target]) => {
                if (typeof target !== "string" || !target.endsWith(".ts")) {
                    return [subpath, target];
                }
                return [subpath, { types: compiled(target, ".d.ts"), default: compiled(target, ".js") }];
            }),
        );
    }
    manifest.files = ["**/*.js", "**/*.d.ts", ...assets, ...presentDocuments];
    return manifest;
}

function readManifest(packageDir: string): SourceManifest {
    return JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as SourceManifest;
}

/** Compiles and stages one package into `dist` (default `<folder>/dist`); returns the folder to `npm pack` or `npm publish`. */
export function stagePackage(folder: string, dist = path.join(path.resolve(folder), "dist")): string {
    const packageDir = path.resolve(folder);
    const source = readManifest(packageDir);
    fs.rmSync(dist, { recursive: true, force: true });
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(packageDir, "tsconfig.build.json"), "--outDir", dist], { cwd: packageDir, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
        const output = (error as { stdout?: string }).stdout ?? String(error);
        throw new Error(`${source.name}: tsc -p tsconfig.build.json failed:\n${output.slice(-4000)}`);
    }
    const assets = source.keylessBuild?.assets ?? [];
    for (const asset of assets) {
        const from = path.join(packageDir, asset);
        if (!fs.existsSync(from)) {
            throw new Error(`${source.name}: keylessBuild.assets names "${asset}", which does not exist in ${packageDir}`);
        }
        fs.mkdirSync(path.dirname(path.join(dist, asset)), { recursive: true });
        fs.copyFileSync(from, path.join(dist, asset));
    }
    const presentDocuments = documents.filter((file) => fs.existsSync(path.join(packageDir, file)));
    for (const file of presentDocuments) {
        fs.copyFileSync(path.join(packageDir, file), path.join(dist, file));
    }
    fs.writeFileSync(path.join(dist, "package.json"), `${JSON.stringify(publishManifest(source, assets, presentDocuments), null, 2)}\n`);
    return dist;
}

export interface PackedFile {
    path: string;
    size: number;
}

export interface Packed {
    filename: string;
    size: number;
    unpackedSize: number;
    files: PackedFile[];
}

/** `npm pack` of a staged folder into `destination`; the tarball's name, sizes and file list. */
export function packStaged(dist: string, destination: string): Packed {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = execFileSync(npm, ["pack", dist, "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: destination, encoding: "utf8" });
    const [packed] = JSON.parse(out) as Packed[];
    return packed;
}

if (require.main === module) {
    const dirs = process.argv.slice(2);
    if (dirs.length === 0) {
        throw new Error("usage: npm run stage -- <package folder>... (for example: detect infra)");
    }
    for (const dir of dirs) {
        console.log(stagePackage(path.resolve(repoRoot, dir)));
    }
}
