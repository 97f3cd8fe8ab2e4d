/**
 * Repository secret scanner: `npm run scan -- [options] [paths...]` (see USAGE below and docs/secret-scanning.md).
 *
 * Runs the shared detector (detect/, @keyless/detect) over every file git tracks (binary files skipped), or the
 * given files and directories; `--untracked` adds files `.gitignore` does not exclude, `--history` reads every
 * commit's added lines instead. Pulumi*.yaml files also get the config check (a plaintext value under a
 * secret-looking key, where it should be `secure:`). Prints `file:line  kind  masked` per finding (or JSON, or
 * SARIF 2.1.0), and exits 1 when there are findings not in the baseline, 0 when clean, 2 on bad arguments.
 *
 * A finding is allowed by a comment on its line or the line above that gives a reason:
 *     const sample = "...";  // keyless-scan: allow public test vector from RFC 4231
 *     # keyless-scan: allow Azurite emulator key, public by design
 * An allow comment without a reason is itself a finding and allows nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isPair, isScalar, isSeq, parseDocument, Node as YamlNode } from "yaml";
import { detectSecrets, isGuid, isPlaceholder, isSecretKey, isWordLike, maskSecret, SecretKind } from "@keyless/detect";
import { fingerprint, readBaseline, writeBaseline } from "./scan-baseline";
import { addedBlocks, gitFiles, isGitWorkTree } from "./scan-git";
import { sarifLog } from "./sarif";

export type ScanKind = SecretKind | "plaintext-config" | "allow-without-reason";

export interface ScanFinding {
    /** Path as given to `scanFile` (relative to the scan root when found by `scanRepository`). */
    file: string;
    /** 1-based. */
    line: number;
    /** 1-based. */
    column: number;
    kind: ScanKind;
    /** Never more than 4 characters of the secret. */
    masked: string;
    description: string;
    /** Identifies the finding across runs and edits (kind, file and a hash of the secret); never the secret. */
    fingerprint: string;
    /** With `--history`: the commit that added the line. */
    commit?: string;
}

export interface ScanResult {
    files: string[];
    findings: ScanFinding[];
    /** Commits read, with `--history`. */
    commits?: number;
}

/** Directories never walked outside git: dependencies, build output, VCS data. Other dot-directories are skipped too, except .github. */
const SKIP_DIRS = new Set(["node_modules", "bin", ".git"]);
const PULUMI_YAML = /^Pulumi[^/\\]*\.ya?ml$/i;
const MAX_FILE_BYTES = 20 * 1024 * 1024;

// Built from parts so that this file's own source holds no directive.
const MARKER = ["keyless", "scan"].join("-");
const ALLOW = new RegExp(`(?:\\/\\/|#|\\/\\*|<!--|^\\s*\\*)\\s*${MARKER}:\\s*allow\\b(.*)$`);

/** Scans one file's text. `file` is only used to name the file in findings and to recognise Pulumi YAML. */
export function scanFile(file: string, text: string): ScanFinding[] {
    const lines = new LineIndex(text);
    const found: ScanFinding[] = [];
    const at = (offset: number, kind: ScanKind, masked: string, description: string, secret: string) => {
        const { line, column } = lines.position(offset);
        found.push({ file, line, column, kind, masked, description, fingerprint: fingerprint(kind, file, secret) });
    };

    let ignored: [number, number][] = [];
    if (PULUMI_YAML.test(path.basename(file))) {
        const config = scanPulumiYaml(text, path.basename(file).toLowerCase().replace(/\.yml$/, ".yaml") === "pulumi.yaml");
        ignored = config.ignored;
        for (const f of config.findings) at(f.offset, f.kind, f.masked, f.description, f.secret);
    }
    for (const f of detectSecrets(text)) {
        if (ignored.some(([s, e]) => f.start >= s && f.start < e)) continue;
        at(f.start, f.kind, f.masked, f.description, text.slice(f.start, f.end));
    }

    const allows = allowComments(text);
    const result: ScanFinding[] = [];
    const seen = new Set<string>();
    for (const f of found) {
        if (allows.get(f.line)?.reason || allows.get(f.line - 1)?.reason) continue;
        const id = `${f.line}\u0000${f.masked}`;
        if (seen.has(id)) continue;
        seen.add(id);
        result.push(f);
    }
    for (const [line, allow] of allows) {
        if (!allow.reason) {
            result.push({
                file,
                line,
                column: allow.column,
                kind: "allow-without-reason",
                masked: "",
                fingerprint: fingerprint("allow-without-reason", file, String(line)),
                description: `an allow comment must give a reason: "${MARKER}: allow <why this is not a secret>"`,
            });
        }
    }
    return result.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Allow comments by 1-based line; `reason` is empty when none was given. */
function allowComments(text: string): Map<number, { reason: string; column: number }> {
    const out = new Map<number, { reason: string; column: number }>();
    if (!text.includes(MARKER)) return out;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        if (!lines[i].includes(MARKER)) continue;
        const m = ALLOW.exec(lines[i]);
        if (!m) continue;
        const reason = m[1]
            .replace(/(?:\*\/|-->)\s*$/, "")
            .replace(/^[\s:\-–—]+/, "")
            .trim();
        out.set(i + 1, { reason: /[A-Za-z]{3,}/.test(reason) ? reason : "", column: m.index + 1 });
    }
    return out;
}

interface OffsetFinding {
    offset: number;
    kind: ScanKind;
    masked: string;
    description: string;
    /** Only for the fingerprint; never reported. */
    secret: string;
}

/**
 * Pulumi project and stack files. Under `config:`, every value that is not `secure:` is checked: under a
 * secret-looking key (or a project config key declared `secret: true`) any plaintext value is a finding; any
 * value that holds a credential is one too. Returns the ranges of `secure:` values and of Pulumi's own
 * encryption fields, where the raw detector must not look (ciphertext is base64 and may look like a key).
 */
export function scanPulumiYaml(text: string, projectFile: boolean): { findings: OffsetFinding[]; ignored: [number, number][] } {
    const findings: OffsetFinding[] = [];
    const ignored: [number, number][] = [];
    let doc;
    try {
        doc = parseDocument(text, { uniqueKeys: false });
    } catch {
        return { findings, ignored };
    }
    const root = doc.contents;
    if (!isMap(root)) return { findings, ignored };

    const range = (n: YamlNode | null | undefined): [number, number] | undefined => (n?.range ? [n.range[0], n.range[2]] : undefined);

    const checkScalar = (key: string, node: YamlNode, declaredSecret: boolean) => {
        if (!isScalar(node) || !node.range) return;
        const value = node.value;
        if (typeof value !== "string" && typeof value !== "number") return;
        const s = String(value).trim();
        if (s === "") return;
        const offset = node.range[0];
        if ((declaredSecret || isSecretKey(key)) && !isPlaceholder(s) && !isReference(s)) {
            findings.push({
                offset,
                kind: "plaintext-config",
                masked: maskSecret(s),
                description: `plaintext value for "${key}"; store it with \`pulumi config set --secret\` so it is kept as secure:`,
                secret: s,
            });
            return;
        }
        for (const f of detectSecrets(s, { key })) findings.push({ offset, kind: f.kind, masked: f.masked, description: f.description, secret: s.slice(f.start, f.end) });
    };

    const walk = (key: string, node: YamlNode | null | undefined, declaredSecret: boolean, depth: number) => {
        if (!node || depth > 32) return;
        if (isScalar(node)) return checkScalar(key, node, declaredSecret);
        if (isSeq(node)) {
            for (const item of node.items) walk(key, item as YamlNode, declaredSecret, depth + 1);
            return;
        }
        if (!isMap(node)) return;
        const keys = node.items.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ""));
        if (keys.includes("secure")) {
            const r = range(node);
            if (r) ignored.push(r);
            return;
        }
        // Project files describe config with a schema: `{ type, default | value, secret, description }`.
        if (projectFile && depth === 1 && keys.some((k) => ["type", "default", "value", "secret", "description", "items"].includes(k))) {
            const secretFlag = node.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === "secret" && isScalar(p.value) && p.value.value === true);
            for (const p of node.items) {
                if (isPair(p) && isScalar(p.key) && (p.key.value === "default" || p.key.value === "value")) walk(key, p.value as YamlNode, secretFlag, depth + 1);
            }
            return;
        }
        // A Keyless grant names one vault secret by its name: `{ role: ..., vault: app-secrets, secret: stock-api-key }`.
        const grantOnSecret = keys.includes("role") && keys.includes("vault");
        for (const p of node.items) {
            if (!isPair(p) || !isScalar(p.key)) continue;
            const name = String(p.key.value);
            if (grantOnSecret && name === "secret" && isScalar(p.value) && typeof p.value.value === "string" && isVaultObjectName(p.value.value)) continue;
            walk(name, p.value as YamlNode, declaredSecret, depth + 1);
        }
    };

    for (const p of root.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const top = String(p.key.value);
        if (/^(?:encryptionsalt|encryptedkey|secretsprovider)$/i.test(top)) {
            const r = range(p.value as YamlNode);
            if (r) ignored.push(r);
        } else if (top === "config" && isMap(p.value)) {
            for (const c of p.value.items) {
                if (!isPair(c) || !isScalar(c.key)) continue;
                walk(String(c.key.value), c.value as YamlNode, false, 1);
            }
        }
    }
    return { findings, ignored };
}

/**
 * Values that name a secret instead of holding one: Key Vault references, URLs, resource IDs, GUIDs, and
 * `vault/secret-name` paths made of words (this project's own config refers to Key Vault secrets that way).
 */
/** A Key Vault object name made of words (`stock-api-key`): a name to look a secret up by, not a secret. */
function isVaultObjectName(s: string): boolean {
    return /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(s) && s.length <= 127 && isWordLike(s);
}

function isReference(s: string): boolean {
    if (/^@Microsoft\.KeyVault\(/i.test(s) || /^(?:true|false)$/i.test(s) || isGuid(s)) return true;
    if (/^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s@]*$/.test(s) || /^\/(?:subscriptions|providers)\//i.test(s)) return true;
    return s.includes("/") && isWordLike(s);
}

/** Outside git: every file under `root`, relative to `root`, sorted. Symlinks are not followed. */
export function listFiles(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string, rel: string) => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) {
            const relPath = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) {
                if (SKIP_DIRS.has(e.name) || (e.name.startsWith(".") && e.name !== ".github")) continue;
                walk(path.join(dir, e.name), relPath);
            } else if (e.isFile()) {
                out.push(relPath);
            }
        }
    };
    walk(root, "");
    return out.sort();
}

/** The file's text, or undefined for a binary file, a symlink or a file that is gone (deleted but still tracked). */
function readText(file: string): string | undefined {
    let stat: fs.Stats;
    try {
        stat = fs.lstatSync(file);
    } catch {
        return undefined;
    }
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) throw new Error(`${file}: larger than ${MAX_FILE_BYTES} bytes, not scanned`);
    const bytes = fs.readFileSync(file);
    if (isBinary(bytes)) return undefined;
    return bytes.toString("utf8");
}

/** As git decides: a NUL byte in the first 8000 bytes. Images, archives and fonts hold no text to scan. */
function isBinary(bytes: Buffer): boolean {
    return bytes.subarray(0, 8000).includes(0);
}

export interface ScanOptions {
    /** Also scan files git does not track but `.gitignore` does not exclude. */
    untracked?: boolean;
}

/**
 * Scans the repository at `root`: every file git tracks there (with `untracked`, also the untracked files that
 * `.gitignore` does not exclude), or, outside a git work tree, every file under it but dependencies and dot
 * directories. With `paths`, only those: files are scanned whatever they are; directories contribute the files
 * of theirs that the rule above picks. Paths in findings are relative to `root`.
 */
export function scanRepository(root: string, paths: string[] = [], options: ScanOptions = {}): ScanResult {
    const inGit = isGitWorkTree(root);
    const candidates = (dir: string): string[] => {
        const prefix = dir === "." ? "" : `${dir}/`;
        if (inGit) return gitFiles(path.resolve(root, dir), options).map((f) => prefix + f);
        return listFiles(path.resolve(root, dir)).map((f) => prefix + f);
    };
    const targets: string[] = [];
    if (paths.length === 0) {
        targets.push(...candidates("."));
    } else {
        for (const p of paths) {
            const abs = path.resolve(root, p);
            if (!fs.existsSync(abs)) throw new Error(`${p}: no such file or directory`);
            const rel = (path.relative(root, abs) || ".").split(path.sep).join("/");
            if (fs.statSync(abs).isDirectory()) targets.push(...candidates(rel));
            else targets.push(rel);
        }
    }
    const files = [...new Set(targets)];
    const findings: ScanFinding[] = [];
    const scanned: string[] = [];
    for (const f of files) {
        const text = readText(path.resolve(root, f));
        if (text === undefined) continue;
        scanned.push(f);
        findings.push(...scanFile(f, text));
    }
    return { files: scanned, findings };
}

/**
 * Scans what every commit added (all refs, oldest first). A finding names the commit that added it and its line
 * there; the same secret carried by later commits is reported once, for the first.
 */
export function scanHistory(root: string): ScanResult {
    if (!isGitWorkTree(root)) throw new Error(`${root}: --history needs a git work tree`);
    const findings: ScanFinding[] = [];
    const files = new Set<string>();
    const commits = new Set<string>();
    const seen = new Set<string>();
    for (const block of addedBlocks(root)) {
        commits.add(block.commit);
        if (block.text.includes("\0")) continue;
        files.add(block.file);
        for (const f of scanFile(block.file, block.text)) {
            if (seen.has(f.fingerprint)) continue;
            seen.add(f.fingerprint);
            findings.push({ ...f, line: f.line + block.line - 1, commit: block.commit });
        }
    }
    return { files: [...files].sort(), findings, commits: commits.size };
}

export function formatFinding(f: ScanFinding): string {
    const masked = f.masked ? `  ${f.masked}` : "";
    const commit = f.commit ? `${f.commit.slice(0, 12)}:` : "";
    return `${commit}${f.file}:${f.line}  ${f.kind}${masked}  (${f.description})`;
}

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = [
    "usage: scan [--format text|json|sarif] [--untracked] [--history] [--baseline FILE [--update-baseline]] [path ...]",
    "  Scans every file git tracks (or the given files and directories) for hard-coded secrets.",
    "  --untracked        also files git does not track and .gitignore does not exclude",
    "  --history          every commit's added lines instead of the work tree; findings name the commit",
    "  --format FORMAT    text (default), json, or sarif (SARIF 2.1.0, for GitHub code scanning); --json = --format json",
    "  --baseline FILE    findings recorded in FILE (by fingerprint, never by value) do not fail the scan",
    "  --update-baseline  write every current finding to the --baseline FILE and exit 0",
].join("\n");

interface CliArgs {
    format: Format;
    untracked: boolean;
    history: boolean;
    baseline?: string;
    updateBaseline: boolean;
    paths: string[];
}

function parseArgs(argv: string[]): CliArgs | string {
    const args: CliArgs = { format: "text", untracked: false, history: false, updateBaseline: false, paths: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        const value = () => inline ?? argv[++i];
        if (flag === "--json") args.format = "json";
        else if (flag === "--format") {
            const f = value();
            if (!(FORMATS as readonly string[]).includes(f ?? "")) return `--format: expected one of ${FORMATS.join(", ")}, got ${f === undefined ? "nothing" : JSON.stringify(f)}`;
            args.format = f as Format;
        } else if (flag === "--untracked") args.untracked = true;
        else if (flag === "--history") args.history = true;
        else if (flag === "--baseline") {
            const f = value();
            if (!f) return "--baseline: expected a file name";
            args.baseline = f;
        } else if (flag === "--update-baseline") args.updateBaseline = true;
        else if (a.startsWith("-")) return `unknown option ${a}`;
        else args.paths.push(a);
    }
    if (args.updateBaseline && !args.baseline) return "--update-baseline needs --baseline FILE";
    if (args.history && (args.paths.length > 0 || args.untracked)) return "--history reads every commit; it takes no paths and no --untracked";
    return args;
}

/** The CLI: returns the exit code. Output goes through `out` and `err` so tests can capture it. */
export function main(
    argv: string[],
    cwd: string = process.cwd(),
    out: (s: string) => void = (s) => void process.stdout.write(s + "\n"),
    err: (s: string) => void = (s) => void process.stderr.write(s + "\n"),
): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        out(USAGE);
        return 0;
    }
    const args = parseArgs(argv);
    if (typeof args === "string") {
        err(`scan: ${args}\n${USAGE}`);
        return 2;
    }
    let result: ScanResult;
    let accepted = new Set<string>();
    try {
        result = args.history ? scanHistory(cwd) : scanRepository(cwd, args.paths, { untracked: args.untracked });
        if (args.baseline && args.updateBaseline) {
            writeBaseline(path.resolve(cwd, args.baseline), result.findings);
            out(`wrote ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} to ${args.baseline}`);
            return 0;
        }
        if (args.baseline) accepted = new Set(readBaseline(path.resolve(cwd, args.baseline)).findings.map((f) => f.fingerprint));
    } catch (e) {
        err(`scan: ${(e as Error).message}`);
        return 2;
    }
    const findings = result.findings.filter((f) => !accepted.has(f.fingerprint));
    const inBaseline = result.findings.length - findings.length;
    const what = args.history ? `${result.commits ?? 0} commits` : `${result.files.length} files`;
    const m = findings.length;
    if (args.format === "json") {
        out(JSON.stringify({ scanned: result.files.length, ...(args.history ? { commits: result.commits } : {}), inBaseline, findings }, null, 2));
    } else if (args.format === "sarif") {
        out(JSON.stringify(toSarif(findings), null, 2));
    } else {
        for (const f of findings) out(formatFinding(f));
        const baselined = inBaseline > 0 ? ` (${inBaseline} more in the baseline)` : "";
        out(`scanned ${what}, ${m === 0 ? "no findings" : `${m} finding${m === 1 ? "" : "s"}`}${baselined}`);
    }
    return m === 0 ? 0 : 1;
}

/** Findings as SARIF 2.1.0: one rule per kind, the fingerprint as a partial fingerprint, the commit as a property. */
export function toSarif(findings: readonly ScanFinding[]): object {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version = (require("../package.json") as { version: string }).version;
    const kinds = [...new Set(findings.map((f) => f.kind))].sort();
    return sarifLog(
        {
            name: "keyless-scan",
            version,
            rules: kinds.map((kind) => ({ id: kind, description: findings.find((f) => f.kind === kind)!.description })),
        },
        findings.map((f) => ({
            ruleId: f.kind,
            message: `${f.description}: ${f.masked || "see the line"}`,
            file: f.file,
            line: f.line,
            column: f.column,
            fingerprint: { name: "keylessSecret/v1", value: f.fingerprint },
            ...(f.commit ? { properties: { commit: f.commit } } : {}),
        })),
    );
}

/** Offsets to 1-based line and column. */
class LineIndex {
    private readonly starts: number[] = [0];

    constructor(text: string) {
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
    }

    position(offset: number): { line: number; column: number } {
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.starts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return { line: lo + 1, column: offset - this.starts[lo] + 1 };
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
