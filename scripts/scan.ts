/**
 * Repository secret scanner: `npm run scan [--json] [paths...]`.
 *
 * Runs the shared detector (detect/, @keyless/detect) over the TypeScript sources, every Pulumi*.yaml (a
 * plaintext config value under a secret-looking key, or a value that is itself a credential, where it should
 * be `secure:`), and everything under .github/. Prints `file:line  kind  masked` per finding and exits 1 when
 * there are findings, 0 with a one-line summary when clean, 2 on bad arguments.
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
}

export interface ScanResult {
    files: string[];
    findings: ScanFinding[];
}

/** Directories never walked: dependencies, build output, VCS data. Other dot-directories are skipped too, except .github. */
const SKIP_DIRS = new Set(["node_modules", "bin", ".git"]);
const PULUMI_YAML = /^Pulumi[^/\\]*\.ya?ml$/i;
const MAX_FILE_BYTES = 20 * 1024 * 1024;

// Built from parts so that this file's own source holds no directive.
const MARKER = ["keyless", "scan"].join("-");
const ALLOW = new RegExp(`(?:\\/\\/|#|\\/\\*|<!--|^\\s*\\*)\\s*${MARKER}:\\s*allow\\b(.*)$`);

/** Whether `scanRepository` scans a file it meets while walking (explicit file arguments are always scanned). */
export function isScannedPath(relativePath: string): boolean {
    const parts = relativePath.split(/[\\/]/);
    const base = parts[parts.length - 1];
    if (parts.includes(".github")) return true;
    if (PULUMI_YAML.test(base)) return true;
    return base.endsWith(".ts");
}

/** Scans one file's text. `file` is only used to name the file in findings and to recognise Pulumi YAML. */
export function scanFile(file: string, text: string): ScanFinding[] {
    const lines = new LineIndex(text);
    const found: ScanFinding[] = [];
    const at = (offset: number, kind: ScanKind, masked: string, description: string) => {
        const { line, column } = lines.position(offset);
        found.push({ file, line, column, kind, masked, description });
    };

    let ignored: [number, number][] = [];
    if (PULUMI_YAML.test(path.basename(file))) {
        const config = scanPulumiYaml(text, path.basename(file).toLowerCase().replace(/\.yml$/, ".yaml") === "pulumi.yaml");
        ignored = config.ignored;
        for (const f of config.findings) at(f.offset, f.kind, f.masked, f.description);
    }
    for (const f of detectSecrets(text)) {
        if (ignored.some(([s, e]) => f.start >= s && f.start < e)) continue;
        at(f.start, f.kind, f.masked, f.description);
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
            });
            return;
        }
        for (const f of detectSecrets(s, { key })) findings.push({ offset, kind: f.kind, masked: f.masked, description: f.description });
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

/** Every file under `root` that the scanner covers, relative to `root`, sorted. Symlinks are not followed. */
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
            } else if (e.isFile() && isScannedPath(relPath)) {
                out.push(relPath);
            }
        }
    };
    walk(root, "");
    return out.sort();
}

function readText(file: string): string | undefined {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) throw new Error(`${file}: larger than ${MAX_FILE_BYTES} bytes, not scanned`);
    const bytes = fs.readFileSync(file);
    // Binary files (images under .github, say) hold no text to scan.
    if (bytes.subarray(0, 8192).includes(0)) return undefined;
    return bytes.toString("utf8");
}

/**
 * Scans the repository at `root`, or only `paths` (files are scanned whatever their type; directories are
 * walked like the root). Paths in findings are relative to `root`.
 */
export function scanRepository(root: string, paths: string[] = []): ScanResult {
    const targets: string[] = [];
    if (paths.length === 0) {
        targets.push(...listFiles(root));
    } else {
        for (const p of paths) {
            const abs = path.resolve(root, p);
            if (!fs.existsSync(abs)) throw new Error(`${p}: no such file or directory`);
            const rel = path.relative(root, abs) || ".";
            if (fs.statSync(abs).isDirectory()) {
                const prefix = rel === "." ? "" : `${rel.split(path.sep).join("/")}/`;
                targets.push(...listFiles(abs).map((f) => prefix + f));
            } else {
                targets.push(rel.split(path.sep).join("/"));
            }
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

export function formatFinding(f: ScanFinding): string {
    const masked = f.masked ? `  ${f.masked}` : "";
    return `${f.file}:${f.line}  ${f.kind}${masked}  (${f.description})`;
}

const USAGE = "usage: scan [--json] [path ...]\n  Scans the repository (or the given files and directories) for hard-coded secrets.";

/** The CLI: returns the exit code. Output goes through `out` and `err` so tests can capture it. */
export function main(
    argv: string[],
    cwd: string = process.cwd(),
    out: (s: string) => void = (s) => void process.stdout.write(s + "\n"),
    err: (s: string) => void = (s) => void process.stderr.write(s + "\n"),
): number {
    let json = false;
    const paths: string[] = [];
    for (const a of argv) {
        if (a === "--json") json = true;
        else if (a === "--help" || a === "-h") {
            out(USAGE);
            return 0;
        } else if (a.startsWith("-")) {
            err(`scan: unknown option ${a}\n${USAGE}`);
            return 2;
        } else paths.push(a);
    }
    let result: ScanResult;
    try {
        result = scanRepository(cwd, paths);
    } catch (e) {
        err(`scan: ${(e as Error).message}`);
        return 2;
    }
    const n = result.files.length;
    const m = result.findings.length;
    if (json) {
        out(JSON.stringify({ scanned: n, findings: result.findings }, null, 2));
    } else if (m === 0) {
        out(`scanned ${n} files, no findings`);
    } else {
        for (const f of result.findings) out(formatFinding(f));
        out(`scanned ${n} files, ${m} finding${m === 1 ? "" : "s"}`);
    }
    return m === 0 ? 0 : 1;
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
