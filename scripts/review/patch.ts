import { isMap, isSeq, parseDocument, YAMLMap } from "yaml";
import type { PlanDocument, PlanGrant } from "../plan/types";
import { ReviewDocument, ReviewFinding } from "./types";

/**
 * The review's right-sizing as a unified diff of `Pulumi.<stack>.yaml`: an unused grant's access entry removed, a
 * write role used only to read replaced by the read role, an account- or vault-wide entry narrowed to the one child
 * it was used on. Only grants the stack config names (origin `config`) are patched; the rest are listed.
 */
const serviceFields = ["vault", "storage", "registry", "serviceBus", "eventHubs"];
const childFieldOf: Record<string, string> = { container: "container", queue: "queue", table: "table", secret: "secret" };

function entryLabel(entry: YAMLMap): string | undefined {
    const service = serviceFields.map((field) => entry.get(field)).find((value): value is string => typeof value === "string");
    if (!service) {
        return undefined;
    }
    const child = entry.items
        .map((pair) => [String((pair.key as { value?: unknown })?.value ?? pair.key), entry.get(String((pair.key as { value?: unknown })?.value ?? pair.key))] as const)
        .find(([key, value]) => !["role", "identity", ...serviceFields].includes(key) && typeof value === "string");
    return child ? `${service}/${child[1]}` : service;
}

/** A line diff with three lines of context (LCS; stack files are small). */
export function unifiedDiff(file: string, before: string, after: string): string {
    const a = before.split("\n");
    const b = after.split("\n");
    const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
        for (let j = b.length - 1; j >= 0; j--) {
            lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    const ops: { kind: " " | "-" | "+"; line: string; ai: number; bi: number }[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        if (i < a.length && j < b.length && a[i] === b[j]) {
            ops.push({ kind: " ", line: a[i], ai: i++, bi: j++ });
        } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
            ops.push({ kind: "-", line: a[i], ai: i++, bi: j });
        } else {
            ops.push({ kind: "+", line: b[j], ai: i, bi: j++ });
        }
    }
    const changed = ops.map((op, index) => (op.kind !== " " ? index : -1)).filter((index) => index >= 0);
    if (changed.length === 0) {
        return "";
    }
    const hunks: [number, number][] = [];
    for (const index of changed) {
        const start = Math.max(0, index - 3);
        const end = Math.min(ops.length - 1, index + 3);
        const last = hunks[hunks.length - 1];
        if (last && start <= last[1] + 1) {
            last[1] = end;
        } else {
            hunks.push([start, end]);
        }
    }
    const out = [`--- a/${file}`, `+++ b/${file}`];
    for (const [start, end] of hunks) {
        const slice = ops.slice(start, end + 1);
        const aCount = slice.filter((op) => op.kind !== "+").length;
        const bCount = slice.filter((op) => op.kind !== "-").length;
        out.push(`@@ -${slice[0].ai + 1},${aCount} +${slice[0].bi + 1},${bCount} @@`);
        slice.forEach((op) => out.push(`${op.kind}${op.line}`));
    }
    return `${out.join("\n")}\n`;
}

export interface StackPatch {
    /** The unified diff; empty when nothing in the stack config changes. */
    diff: string;
    /** The stack file with the patch applied. */
    patched: string;
    /** Suggestions the patch cannot make (grants a component adds), as messages. */
    notPatched: string[];
}

/** Applies one suggestion to the stack file's text; undefined when no access entry matches. */
function applySuggestion(text: string, grant: PlanGrant, suggestion: NonNullable<ReviewFinding["suggestion"]>): string | undefined {
    const document = parseDocument(text);
    const workloads = document.getIn(["config", "keyless:workloads"]);
    if (!isSeq(workloads)) {
        return undefined;
    }
    for (const workload of workloads.items) {
        const access = isMap(workload) && grant.workloads.includes(String(workload.get("name"))) ? workload.get("access") : undefined;
        if (!isSeq(access)) {
            continue;
        }
        const index = access.items.findIndex((entry) => isMap(entry) && entry.get("role") === grant.role && entryLabel(entry) === grant.scope.name);
        if (index < 0) {
            continue;
        }
        const entry = access.items[index] as YAMLMap;
        if (suggestion.remove) {
            access.items.splice(index, 1);
        } else if (suggestion.role) {
            entry.set("role", suggestion.role);
        } else if (suggestion.scope) {
            const [kind, name] = suggestion.scope.split(" ");
            if (!childFieldOf[kind]) {
                return undefined;
            }
            entry.set(childFieldOf[kind], name);
        }
        // In the file's own flow style, lines unwrapped.
        return document.toString({ flowCollectionPadding: false, lineWidth: 0 });
    }
    return undefined;
}

/**
 * `validate` checks a candidate stack file as the program would (undefined when valid, else why not): a suggestion
 * that would leave an invalid config (say, removing the grant an app setting connects through) is not patched.
 */
export function rightSizingPatch(file: string, source: string, plan: PlanDocument, review: ReviewDocument, validate: (text: string) => string | undefined = () => undefined): StackPatch {
    const notPatched: string[] = [];
    let current = source;
    for (const finding of review.findings) {
        if (!finding.suggestion || !finding.resource) {
            continue;
        }
        const grant = plan.grants.find((candidate) => candidate.urn.split("::").pop() === finding.resource);
        if (!grant || grant.origin !== "config") {
            notPatched.push(`${finding.message} (not in the stack config: change the component that adds it)`);
            continue;
        }
        const candidate = applySuggestion(current, grant, finding.suggestion);
        if (candidate === undefined) {
            notPatched.push(`${finding.message} (no matching access entry in ${file})`);
            continue;
        }
        const problem = validate(candidate);
        if (problem) {
            notPatched.push(`${finding.message} (the config would not validate: ${problem.split("\n").slice(0, 3).join(" ")})`);
            continue;
        }
        current = candidate;
    }
    return { diff: unifiedDiff(file, source, current), patched: current, notPatched };
}
