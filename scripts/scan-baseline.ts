import { createHash } from "crypto";
import * as fs from "fs";

/**
 * The scanner's baseline: findings a repository already has and has accepted, so that adopting the scanner fails
 * only on new secrets. Each is recorded by fingerprint (a hash of the finding's kind, file and secret, never the
 * secret itself) plus its file, line and kind for a reader; the line is informative only, so that moving the code
 * does not turn an accepted finding into a new one.
 */

export interface BaselineEntry {
    fingerprint: string;
    file: string;
    line: number;
    kind: string;
}

export interface Baseline {
    version: 1;
    findings: BaselineEntry[];
}

/** The fingerprint of a finding. Salted with its kind and file, so equal values elsewhere are separate findings. */
export function fingerprint(kind: string, file: string, secret: string): string {
    return createHash("sha256").update(`keyless-scan/v1\u0000${kind}\u0000${file}\u0000${secret}`).digest("hex").slice(0, 32);
}

export function readBaseline(file: string): Baseline {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: not a readable baseline (${(e as Error).message}); create one with --update-baseline`);
    }
    const b = parsed as Partial<Baseline>;
    if (b?.version !== 1 || !Array.isArray(b.findings) || !b.findings.every((f) => typeof f?.fingerprint === "string" && /^[0-9a-f]{32}$/.test(f.fingerprint))) {
        throw new Error(`${file}: expected {"version": 1, "findings": [{"fingerprint": "<32 hex digits>", ...}]}`);
    }
    return b as Baseline;
}

export function writeBaseline(file: string, findings: readonly BaselineEntry[]): void {
    const unique = new Map<string, BaselineEntry>();
    for (const f of findings) if (!unique.has(f.fingerprint)) unique.set(f.fingerprint, { fingerprint: f.fingerprint, file: f.file, line: f.line, kind: f.kind });
    const sorted = [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.fingerprint.localeCompare(b.fingerprint));
    fs.writeFileSync(file, `${JSON.stringify({ version: 1, findings: sorted } satisfies Baseline, null, 2)}\n`);
}
