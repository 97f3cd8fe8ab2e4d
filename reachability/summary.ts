import { AccessEdge, Verdict } from "./types";

/** One word per verdict for tables and counts: the reachable path, `unreachable`, or `unknown`. */
export function verdictLabel(verdict: Verdict): string {
    return verdict.status === "reachable" ? verdict.via : verdict.status;
}

export function describeVerdict(verdict: Verdict): string {
    if (verdict.status === "unreachable") {
        return `UNREACHABLE: ${verdict.reason}. Fix: ${verdict.fix}`;
    }
    return `${verdictLabel(verdict)}: ${verdict.reason}`;
}

export function verdictCounts(edges: readonly AccessEdge[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const edge of edges) {
        const label = verdictLabel(edge.verdict);
        counts[label] = (counts[label] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
