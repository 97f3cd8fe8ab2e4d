import { gunzipSync } from "zlib";
import { parse as parseYaml } from "yaml";
import { detectSecrets } from "./detect";
import { PathFinding, ScanValueOptions } from "./types";

/** Limits that keep one resource's check bounded whatever its inputs hold. */
const LIMITS = {
    maxFindings: 200,
    maxNodes: 100_000,
    maxDepth: 64,
    /** JSON-in-JSON-in-base64...: how many times a string is decoded and walked again. */
    maxDecodeDepth: 4,
    /** Longest string handed to the detector; beyond this only the prefix is scanned. */
    maxScanLength: 16 * 1024 * 1024,
    maxJsonLength: 2 * 1024 * 1024,
    maxYamlLength: 256 * 1024,
    maxBase64Length: 4 * 1024 * 1024,
    maxGunzipOutput: 4 * 1024 * 1024,
};

/** Keys whose string value is base64 that VMs and scale sets decode at boot (cloud-init, scripts). */
const BASE64_KEYS = /^(?:customdata|userdata)$/i;

interface Walk {
    readonly out: PathFinding[];
    readonly seen: Set<object>;
    nodes: number;
    readonly isUnknown?: (v: unknown) => boolean;
    readonly skipPaths?: (path: string) => boolean;
}

/**
 * Walks every string in `value` (nested objects and arrays; JSON and YAML held in strings; base64 `customData`
 * and `userData`, decoded, and other base64 strings that decode to text) and reports each credential with the
 * path of the string that holds it. Object keys give the keyword context; in `{ name, value }` pairs (app
 * settings, environment variables) the `name` does. Unknown values (`isUnknown`, `undefined`) are skipped, and
 * nothing thrown by a getter or a predicate aborts the walk. Cycles and shared objects are visited once.
 */
export function scanValue(value: unknown, options: ScanValueOptions = {}): PathFinding[] {
    const walk: Walk = {
        out: [],
        seen: new Set(),
        nodes: 0,
        isUnknown: options.isUnknown,
        skipPaths: options.skipPaths,
    };
    try {
        visit(walk, value, options.rootPath ?? "", undefined, 0, 0);
    } catch {
        // Never let one odd value abort a policy check; what was found so far is still reported.
    }
    return walk.out;
}

function full(w: Walk): boolean {
    return w.out.length >= LIMITS.maxFindings || w.nodes > LIMITS.maxNodes;
}

function unknown(w: Walk, v: unknown): boolean {
    if (v === undefined) return true;
    if (!w.isUnknown) return false;
    try {
        return w.isUnknown(v) === true;
    } catch {
        return true;
    }
}

function skipped(w: Walk, path: string): boolean {
    if (!w.skipPaths || path === "") return false;
    try {
        return w.skipPaths(path) === true;
    } catch {
        return false;
    }
}

function visit(w: Walk, v: unknown, path: string, key: string | undefined, depth: number, decodeDepth: number): void {
    if (full(w) || depth > LIMITS.maxDepth) return;
    w.nodes++;
    if (v === null || unknown(w, v) || skipped(w, path)) return;
    if (typeof v === "string") {
        scanString(w, v, path, key, depth, decodeDepth);
        return;
    }
    if (typeof v !== "object") return;
    if (w.seen.has(v)) return;
    w.seen.add(v);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp) return;
    if (Array.isArray(v)) {
        const n = safeLength(v);
        for (let i = 0; i < n && !full(w); i++) visit(w, safeGet(v, i), `${path}[${i}]`, key, depth + 1, decodeDepth);
        return;
    }
    if (v instanceof Map) {
        for (const [k, child] of safeEntries(v)) {
            if (full(w)) return;
            if (typeof k === "string") visit(w, child, joinPath(path, k), k, depth + 1, decodeDepth);
        }
        return;
    }
    const keys = safeKeys(v);
    const pairName = nameOfPair(v as Record<string, unknown>);
    for (const k of keys) {
        if (full(w)) return;
        const child = safeGet(v, k);
        const context = pairName !== undefined && /^(?:value|secureValue|secretValue)$/.test(k) ? pairName : k;
        visit(w, child, joinPath(path, k), context, depth + 1, decodeDepth);
    }
}

/** `{ name: "DB_PASSWORD", value: "..." }` (app settings, container env) names its value through a sibling. */
function nameOfPair(o: Record<string, unknown>): string | undefined {
    const name = safeGet(o, "name") ?? safeGet(o, "key");
    return typeof name === "string" && name.length <= 200 ? name : undefined;
}

function scanString(w: Walk, s: string, path: string, key: string | undefined, depth: number, decodeDepth: number): void {
    if (decodeDepth < LIMITS.maxDecodeDepth) {
        const trimmed = s.length <= LIMITS.maxJsonLength ? s.trim() : "";
        // JSON documents: the parsed structure gives every value its own key and path; JSON has no comments,
        // so the raw text adds nothing.
        if (trimmed.length >= 2 && /^[[{]/.test(trimmed) && /[\]}]$/.test(trimmed)) {
            const parsed = tryJson(trimmed);
            if (parsed !== undefined && typeof parsed === "object" && parsed !== null) {
                visit(w, parsed, `${path}<json>`, key, depth + 1, decodeDepth + 1);
                return;
            }
        }
        // YAML documents: walk the structure, then scan the raw text too (comments), dropping what was already found.
        if (s.length <= LIMITS.maxYamlLength && s.includes("\n") && looksLikeYaml(s)) {
            const parsed = tryYaml(s);
            if (parsed !== undefined && typeof parsed === "object" && parsed !== null) {
                const before = w.out.length;
                visit(w, parsed, `${path}<yaml>`, key, depth + 1, decodeDepth + 1);
                detectInto(w, s, path, key, collected(w, before));
                return;
            }
        }
        // Base64: customData/userData always; other strings when they decode to text.
        const decoded = decodeBase64Text(s, key !== undefined && BASE64_KEYS.test(key));
        if (decoded !== undefined) {
            scanString(w, decoded, `${path}<base64>`, key, depth + 1, decodeDepth + 1);
            return;
        }
    }
    detectInto(w, s, path, key, []);
}

/** Secret texts of the findings recorded since `from` (kept internally, never reported). */
const secretTexts = new WeakMap<PathFinding, string>();

function collected(w: Walk, from: number): string[] {
    const texts: string[] = [];
    for (let i = from; i < w.out.length; i++) {
        const t = secretTexts.get(w.out[i]);
        if (t !== undefined) texts.push(t);
    }
    return texts;
}

function detectInto(w: Walk, s: string, path: string, key: string | undefined, alreadyFound: readonly string[]): void {
    const text = s.length > LIMITS.maxScanLength ? s.slice(0, LIMITS.maxScanLength) : s;
    for (const f of detectSecrets(text, { key })) {
        if (w.out.length >= LIMITS.maxFindings) return;
        const secret = text.slice(f.start, f.end);
        if (alreadyFound.some((t) => t === secret || t.includes(secret) || secret.includes(t))) continue;
        const finding: PathFinding = { ...f, path };
        secretTexts.set(finding, secret);
        w.out.push(finding);
    }
}

function joinPath(path: string, key: string): string {
    const segment = /^[A-Za-z_$][A-Za-z0-9_$-]{0,200}$/.test(key) ? key : JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key);
    if (segment.startsWith('"')) return `${path}[${segment}]`;
    return path === "" ? segment : `${path}.${segment}`;
}

function looksLikeYaml(s: string): boolean {
    // A mapping key or a sequence item at the start of a line, or a document marker / cloud-init header.
    return /^(?:---|%YAML|#cloud-config)|^[ \t]{0,40}(?:- |[A-Za-z0-9_"'.$-]{1,100}:(?:[ \t]|$))/m.test(s.slice(0, 4096));
}

function tryJson(s: string): unknown {
    try {
        return JSON.parse(s) as unknown;
    } catch {
        return undefined;
    }
}

function tryYaml(s: string): unknown {
    try {
        return parseYaml(s, { maxAliasCount: 100, uniqueKeys: false, logLevel: "silent", prettyErrors: false }) as unknown;
    } catch {
        return undefined;
    }
}

/**
 * Decodes base64 to text: gzip is unpacked (cloud-init accepts gzipped user data), and the result must be
 * mostly printable UTF-8, so random key material (which is also valid base64) is left to the raw rules.
 * `expected` (customData/userData) tolerates line breaks and a short length.
 */
function decodeBase64Text(s: string, expected: boolean): string | undefined {
    if (s.length > LIMITS.maxBase64Length) return undefined;
    let b64 = s;
    if (expected) b64 = s.replace(/\s+/g, "");
    else if (s.length < 24) return undefined;
    if (b64.length < 8 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
    let bytes: Buffer = Buffer.from(b64, "base64");
    if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
            bytes = gunzipSync(bytes, { maxOutputLength: LIMITS.maxGunzipOutput });
        } catch {
            return undefined;
        }
    }
    const text = bytes.toString("utf8");
    if (!isMostlyPrintable(text)) return undefined;
    // Short non-customData strings that decode to a single word are identifiers, not documents.
    if (!expected && !/[\s=:]/.test(text)) return undefined;
    return text;
}

function isMostlyPrintable(text: string): boolean {
    if (text.length === 0) return false;
    let bad = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) bad++;
    }
    return bad <= text.length * 0.01;
}

function safeLength(a: unknown[]): number {
    try {
        return Math.min(a.length, LIMITS.maxNodes);
    } catch {
        return 0;
    }
}

function safeKeys(o: object): string[] {
    try {
        return Object.keys(o);
    } catch {
        return [];
    }
}

function safeEntries(m: Map<unknown, unknown>): [unknown, unknown][] {
    try {
        return [...m.entries()].slice(0, LIMITS.maxNodes);
    } catch {
        return [];
    }
}

function safeGet(o: object, k: string | number): unknown {
    try {
        return (o as Record<string | number, unknown>)[k];
    } catch {
        return undefined;
    }
}
