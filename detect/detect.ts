import { Candidate, ScanContext } from "./context";
import { maskSecret } from "./mask";
import { rules } from "./rules";
import { DetectOptions, SecretFinding } from "./types";

/** At most this many findings per text: enough to fail a check, bounded on pathological input. */
export const MAX_FINDINGS = 500;

/**
 * Finds credentials in `text`. `options.key` is the name of the field or setting that holds the text; a
 * secret-looking name (password, token, apiKey, clientSecret, ...) enables the keyword-plus-entropy rule on
 * the whole value. Runs in linear time; never throws.
 */
export function detectSecrets(text: string, options: DetectOptions = {}): SecretFinding[] {
    if (typeof text !== "string" || text.length === 0) return [];
    const key = typeof options?.key === "string" ? options.key : undefined;
    const ctx = new ScanContext(text, key);
    for (const rule of rules) {
        if (ctx.full) break;
        try {
            rule(ctx);
        } catch {
            // A rule failing on odd input must not hide what the other rules find.
        }
    }
    return resolve(ctx.candidates).map((c) => ({
        kind: c.kind,
        description: c.description,
        masked: maskSecret(text.slice(c.start, c.end)),
        start: c.start,
        end: c.end,
    }));
}

/** Keeps, in rule priority order, each candidate that does not overlap one already kept; returns them by position. */
function resolve(candidates: readonly Candidate[]): Candidate[] {
    const kept: Candidate[] = [];
    for (const c of candidates) {
        if (kept.length >= MAX_FINDINGS) break;
        if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
        kept.push(c);
    }
    return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
