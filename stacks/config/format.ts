import { z } from "zod";
import { maskSecret } from "@keyless/detect";
import { editDistance } from "../../infra/access/roles";
import { credentialsIn, isSecretLikeName } from "../../infra/shared/plainValues";

/**
 * Turns zod's issues into the stack config's one message shape: the key path (workloads by name), what was
 * wrong, what is expected and, where safe, the bad value. Values that could be secrets are masked.
 */

export const configNamespace = "keyless";

/** The closest candidate by edit distance, when it is close enough to be a typo. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (!best || distance < best.distance) {
            best = { candidate, distance };
        }
    }
    return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.candidate : undefined;
}

export function didYouMean(key: string, candidates: readonly string[]): string {
    const suggestion = closest(key, candidates);
    return suggestion ? `. Did you mean "${suggestion}"?` : "";
}

/** The one message for a reference to something the stack does not declare, with what it does declare. */
export function notDeclared(path: string, what: string, name: string, known: readonly string[], where?: string): string {
    return `${path}: ${what} "${name}" is not declared${where ? ` ${where}` : ""}; expected one of ${known.length ? known.join(", ") : "(none declared)"}`;
}

function configText(value: unknown): string {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}

/** `got <value>`, masked where the path or the value says it could be a secret. */
export function describeValue(path: string, value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    const segments = path.split(/[.[\]]+/).filter((segment) => segment.length > 0);
    const text = configText(value);
    if (segments.some(isSecretLikeName) || credentialsIn(segments[segments.length - 1] ?? "", text).length > 0) {
        return `got ${maskSecret(text)}`;
    }
    const shown = JSON.stringify(value);
    return `got ${shown && shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}`;
}

export function maskedValue(value: unknown): string {
    return maskSecret(configText(value));
}

/** Appends path parts: `[name]` or `[2]` for list items, `.key` for the rest. */
export function joinPath(base: string, parts: readonly PropertyKey[]): string {
    return parts.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${String(part)}`), base);
}

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
    let current = schema;
    for (let depth = 0; current && depth < 10; depth++) {
        const def = current._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
        if (def.innerType) {
            current = def.innerType;
        } else if (def.type === "pipe" && def.in) {
            current = def.in;
        } else {
            return current;
        }
    }
    return current;
}

/** The schema at `path` under `schema`, through objects, records and arrays; undefined past a union. */
function schemaAt(schema: AnySchema | undefined, path: readonly PropertyKey[]): AnySchema | undefined {
    let current = unwrap(schema);
    for (const part of path) {
        const def = current?._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; valueType?: AnySchema; element?: AnySchema } | undefined;
        if (!def) {
            return undefined;
        }
        if (def.type === "object" && def.shape) {
            current = unwrap(def.shape[String(part)]);
        } else if (def.type === "record") {
            current = unwrap(def.valueType);
        } else if (def.type === "array") {
            current = unwrap(def.element);
        } else {
            return undefined;
        }
    }
    return current;
}

/** The keys an object schema takes; for a union, those of the object option that takes the input's other keys. */
function objectKeys(schema: AnySchema | undefined, input: unknown, unknown: readonly string[]): string[] {
    const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown>; options?: AnySchema[] } | undefined;
    if (def?.type === "object" && def.shape) {
        return Object.keys(def.shape);
    }
    if (def?.type === "union" && def.options) {
        const known = Object.keys((input ?? {}) as object).filter((key) => !unknown.includes(key));
        const fits = def.options.map((option) => objectKeys(unwrap(option), undefined, [])).filter((keys) => keys.length > 0 && known.every((key) => keys.includes(key)));
        return fits.length === 1 ? fits[0] : [];
    }
    return [];
}

/** How far an option of a union is from the input: wrong type at the top is far, a bad field value is near. */
function distance(issues: readonly z.core.$ZodIssue[]): number {
    return issues.reduce((sum, issue) => {
        if (issue.code === "invalid_type" && issue.path.length === 0) {
            return sum + 100;
        }
        if (issue.code === "unrecognized_keys") {
            return sum + 10 * issue.keys.length;
        }
        if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) {
            return sum + 10;
        }
        return sum + 1;
    }, 0);
}

/**
 * One message per issue. `base` is the formatted path of `schema`'s value (`keyless.workloads[storefront]`);
 * issue paths are relative to it.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: AnySchema, base: string): string[] {
    return issues.flatMap((issue) => formatIssue(issue, schema, base));
}

function formatIssue(issue: z.core.$ZodIssue, schema: AnySchema, base: string): string[] {
    const path = joinPath(base, issue.path);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
        case "unrecognized_keys": {
            const valid = objectKeys(schemaAt(schema, issue.path), input, issue.keys);
            return issue.keys.map((key) =>
                valid.length > 0 ? `${joinPath(path, [key])}: unknown key; expected one of ${valid.join(", ")}${didYouMean(key, valid)}` : `${joinPath(path, [key])}: unknown key`,
            );
        }
        case "invalid_union": {
            const unionSchema = schemaAt(schema, issue.path);
            const options = ((unionSchema?._zod.def as unknown as { options?: AnySchema[] })?.options ?? []) as AnySchema[];
            const ranked = issue.errors.map((errors, index) => ({ errors, index, distance: distance(errors) })).sort((a, b) => a.distance - b.distance);
            const best = ranked[0];
            if (!best || best.distance >= 100 || !options[best.index]) {
                const expected = [...new Set(issue.errors.flatMap((errors) => errors.filter((e) => e.code === "invalid_type").map((e) => (e as { expected: string }).expected)))];
                return [`${path}: expected ${expected.length ? expected.join(" or ") : "another shape"} (${describeValue(path, input)})`];
            }
            return formatIssues(best.errors, options[best.index], path);
        }
        case "invalid_value": {
            const values = issue.values.map(String);
            const given = typeof input === "string" ? didYouMean(input, values) : "";
            return [`${path}: expected one of ${values.join(", ")} (${describeValue(path, input)})${given}`];
        }
        case "invalid_type":
            if (input === undefined) {
                return [`${path}: required; expected ${issue.expected}`];
            }
            return [`${path}: expected ${issue.expected} (${describeValue(path, input)})`];
        default:
            return [`${path}: ${issue.message} (${describeValue(path, input)})`];
    }
}
