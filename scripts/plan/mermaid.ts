import { describeIdentityKind, describeKind } from "./access";
import { PlanDocument } from "./types";

/**
 * The access graph as a Mermaid `flowchart LR`: workloads → identities → roles → targets. GitHub renders it in a
 * pull request comment. Each (identity, role) pair is its own node, so a path through the graph is always one
 * real grant. Node IDs are sanitized (letters, digits, `_`, with a kind prefix so they never clash with Mermaid
 * keywords such as `end`); labels are always quoted, with `"`, `#`, `<`, `>` and backticks written as entities.
 */

/** Beyond this the graph is left out: Mermaid refuses more than 500 edges by default, and the table carries the same data. */
export const maxMermaidEdges = 400;

export function mermaidLabel(text: string): string {
    const escaped = text
        .replace(/[\r\n\t]+/g, " ")
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/`/g, "#96;");
    return `"${escaped}"`;
}

/** Allocates one safe, unique node ID per key. */
export class NodeIds {
    private readonly byKey = new Map<string, string>();
    private readonly used = new Set<string>();

    /** `hint` (defaults to `key`) makes the ID readable; `key` makes it unique. */
    id(prefix: string, key: string, hint: string = key): string {
        const full = `${prefix}\u0000${key}`;
        const existing = this.byKey.get(full);
        if (existing) {
            return existing;
        }
        const slug = hint.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "x";
        let candidate = `${prefix}_${slug}`;
        for (let n = 2; this.used.has(candidate); n++) {
            candidate = `${prefix}_${slug}_${n}`;
        }
        this.used.add(candidate);
        this.byKey.set(full, candidate);
        return candidate;
    }
}

export interface MermaidGraph {
    /** The diagram source, without the code fence; undefined when too large to render. */
    source?: string;
    edges: number;
}

export function mermaidAccessGraph(plan: Pick<PlanDocument, "grants" | "workloads">): MermaidGraph {
    // Unreachable grants get a dashed red edge into their target, labelled, so the graph shows what the network refuses.
    const blockedEdges: number[] = [];
    const ids = new NodeIds();
    const nodes = new Map<string, string>();
    const edges = new Set<string>();
    const edgeList: string[] = [];
    const warn = new Set<string>();
    const classes = new Map<string, Set<string>>([
        ["workload", new Set()],
        ["identity", new Set()],
        ["role", new Set()],
        ["target", new Set()],
    ]);
    const node = (kind: "workload" | "identity" | "role" | "target", prefix: string, key: string, label: string, hint?: string) => {
        const id = ids.id(prefix, key, hint);
        if (!nodes.has(id)) {
            nodes.set(id, `  ${id}[${mermaidLabel(label)}]`);
            classes.get(kind)!.add(id);
        }
        return id;
    };
    const edge = (from: string, to: string, label?: string, blocked = false) => {
        const line = label ? `  ${from} -->|${mermaidLabel(label)}| ${to}` : `  ${from} --> ${to}`;
        if (!edges.has(line)) {
            edges.add(line);
            edgeList.push(line);
            if (blocked) {
                blockedEdges.push(edgeList.length - 1);
            }
        }
    };
    const workloadTypes = new Map(plan.workloads.map((workload) => [workload.name, workload.type]));

    for (const grant of plan.grants) {
        const identityKey = `${grant.identityKind}:${grant.identity}`;
        const identityHint = grant.identityKind === "userAssigned" ? grant.identity : `${grant.identityKind === "systemAssigned" ? "sys" : "ext"}_${grant.identity}`;
        const identity = node("identity", "i", identityKey, `${grant.identity} · ${describeIdentityKind(grant.identityKind)}`, identityHint);
        for (const workload of grant.workloads) {
            const type = workloadTypes.get(workload);
            edge(node("workload", "w", workload, type && type !== "federated" ? `${workload} (${type})` : workload), identity);
        }
        const role = node("role", "r", `${identityKey}:${grant.roleId}`, grant.privileged ? `${grant.role} (privileged)` : grant.role, `${identityHint}_${grant.role}`);
        if (grant.privileged) {
            warn.add(role);
        }
        edge(identity, role);
        const target = node("target", "t", `${grant.scope.kind}:${grant.scope.name}`, `${describeKind(grant.scope.kind)} ${grant.scope.name}`);
        const unreachable = grant.network.verdict === "unreachable";
        const label = [unreachable ? "UNREACHABLE" : "", grant.broad ? "broad scope" : ""].filter(Boolean).join(", ");
        if (grant.broad || unreachable) {
            warn.add(target);
        }
        edge(role, target, label || undefined, unreachable);
    }
    if (edgeList.length > maxMermaidEdges) {
        return { edges: edgeList.length };
    }
    const lines = ["flowchart LR", ...nodes.values(), ...edgeList];
    lines.push("  classDef workload fill:#eef4ff,stroke:#4a6fa5");
    lines.push("  classDef identity fill:#f3eefc,stroke:#7a5ca8");
    lines.push("  classDef role fill:#f6f8fa,stroke:#6a737d");
    lines.push("  classDef target fill:#eefaf0,stroke:#3c8c4a");
    lines.push("  classDef warn fill:#fff1f0,stroke:#cf222e,stroke-width:2px");
    for (const [name, members] of classes) {
        if (members.size > 0) {
            lines.push(`  class ${[...members].join(",")} ${name}`);
        }
    }
    if (warn.size > 0) {
        lines.push(`  class ${[...warn].join(",")} warn`);
    }
    if (blockedEdges.length > 0) {
        lines.push(`  linkStyle ${blockedEdges.join(",")} stroke:#cf222e,stroke-width:2px,stroke-dasharray:5`);
    }
    return { source: lines.join("\n"), edges: edgeList.length };
}
