import { describeIdentityKind, describeKind } from "./access";
import { resourceTree, TreeNode } from "./resources";
import { PlanDocument, PlanFinding, PlanGrant, PlanNetworkEdge } from "./types";

/** Renders the plan for a terminal: resources, access matrix, policy, notes, in that order. */

export function table(rows: readonly string[][], indent = "  "): string[] {
    const widths: number[] = [];
    for (const row of rows) {
        row.forEach((cell, i) => {
            widths[i] = Math.max(widths[i] ?? 0, cell.length);
        });
    }
    return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")}`.trimEnd());
}

function treeLines(nodes: readonly TreeNode[], prefix: string, out: string[]): void {
    nodes.forEach((node, i) => {
        const last = i === nodes.length - 1;
        out.push(`${prefix}${last ? "└── " : "├── "}${node.resource.name}  ${node.resource.type}`);
        treeLines(node.children, `${prefix}${last ? "    " : "│   "}`, out);
    });
}

export function resourceTreeLines(plan: Pick<PlanDocument, "resources">, indent = "  "): string[] {
    const out: string[] = [];
    for (const root of resourceTree(plan.resources)) {
        out.push(`${indent}${root.resource.name}  ${root.resource.type}`);
        treeLines(root.children, indent, out);
    }
    return out;
}

export function identityLabel(grant: Pick<PlanGrant, "identity" | "identityKind">): string {
    return `${grant.identity} (${describeIdentityKind(grant.identityKind)})`;
}

export function scopeLabel(scope: PlanGrant["scope"]): string {
    return `${describeKind(scope.kind)} ${scope.name}`;
}

/** Warnings a reviewer must see next to a grant. */
export function grantFlags(grant: PlanGrant): string[] {
    const flags: string[] = [];
    if (grant.privileged) {
        flags.push("PRIVILEGED role");
    }
    if (grant.broad) {
        flags.push(`broad scope: ${grant.broadReason}`);
    }
    return flags;
}

export function accessLines(plan: PlanDocument): string[] {
    const out: string[] = [];
    const identities = plan.identities.length;
    out.push(`Access matrix: ${plan.grants.length} role assignment${plan.grants.length === 1 ? "" : "s"}, ${identities} identit${identities === 1 ? "y" : "ies"}`);
    if (plan.grants.length === 0) {
        out.push("  (no role assignments)");
    } else {
        const rows = [["IDENTITY", "USED BY", "ROLE", "SCOPE", "NETWORK", "NOTES"]];
        for (const grant of plan.grants) {
            const notes = grantFlags(grant).map((flag) => `! ${flag}`);
            if (grant.purpose === "encryption") {
                notes.push(`encryption: customer-managed key of ${grant.workloads.join(", ") || "(no service)"}`);
            } else if (grant.origin === "component") {
                notes.push("added by a component");
            }
            rows.push([identityLabel(grant), grant.workloads.join(", ") || "-", grant.role, scopeLabel(grant.scope), networkCell(grant), notes.join("; ")]);
        }
        out.push(...table(rows));
    }
    const granted = new Set(plan.grants.map((grant) => `${grant.identityKind}:${grant.identity}`));
    const unused = plan.identities.filter((identity) => identity.kind !== "external" && !granted.has(`${identity.kind}:${identity.name}`));
    if (unused.length > 0) {
        out.push(`  Identities without role assignments: ${unused.map((identity) => `${identity.name} (${describeIdentityKind(identity.kind)})`).join(", ")}`);
    }
    if (plan.databaseGrants.length > 0) {
        out.push("");
        out.push("  Database grants (T-SQL, applied by script, not by Pulumi):");
        const rows = [["IDENTITY", "USED BY", "ROLES", "DATABASE"]];
        for (const grant of plan.databaseGrants) {
            rows.push([grant.identity, grant.workload ?? "-", grant.roles.join(", "), grant.server ? `${grant.server}/${grant.database}` : grant.database]);
        }
        out.push(...table(rows, "    "));
    }
    if ((plan.images ?? []).length > 0) {
        out.push("");
        out.push("  Images to push before the first pulumi up:");
        out.push(...table([["REGISTRY", "IMAGE", "PULLED BY"], ...plan.images!.map((image) => [image.registry, image.image, image.workload])], "    "));
    }
    out.push("");
    out.push(...networkLines(plan));
    return out;
}

/** The network column: the path that works, or UNREACHABLE. */
export function networkCell(grant: Pick<PlanGrant, "network">): string {
    return grant.network.verdict === "unreachable" ? "UNREACHABLE" : grant.network.verdict;
}

export function edgeLabel(edge: PlanNetworkEdge): string {
    const target = edge.target ? `${edge.target}${edge.service ? ` (${edge.service})` : ""}` : "-";
    return `${edge.source ?? "(no workload)"} -> ${target} [${edge.detail}, as ${edge.identity}]`;
}

/** Counts per verdict, every unreachable edge with its reason and fix, then the edges that are not role assignments. */
export function networkLines(plan: Pick<PlanDocument, "network">): string[] {
    const out: string[] = [];
    const counts = Object.entries(plan.network.counts).map(([verdict, count]) => `${count} ${verdict}`);
    out.push(`Network reachability: ${plan.network.edges.length} access edge${plan.network.edges.length === 1 ? "" : "s"}${counts.length ? ` (${counts.join(", ")})` : ""}`);
    const unreachable = plan.network.edges.filter((edge) => edge.verdict === "unreachable");
    if (unreachable.length > 0) {
        out.push("  Unreachable (the grant exists, the network refuses the call):");
        for (const edge of unreachable) {
            out.push(`    - ${edgeLabel(edge)}`);
            out.push(`      why: ${edge.reason}`);
            out.push(`      fix: ${edge.fix}`);
        }
    }
    const other = plan.network.edges.filter((edge) => edge.kind !== "role-assignment");
    if (other.length > 0) {
        out.push("  Key Vault references, identity-based settings and database grants:");
        const rows = [["KIND", "FROM", "TO", "DETAIL", "NETWORK"]];
        for (const edge of other) {
            rows.push([edge.kind, edge.source ?? "-", edge.target ? `${edge.target}${edge.service ? ` (${edge.service})` : ""}` : "-", edge.detail, edge.verdict === "unreachable" ? "UNREACHABLE" : edge.verdict]);
        }
        out.push(...table(rows, "    "));
    }
    return out;
}

function findingLines(findings: readonly PlanFinding[]): string[] {
    if (findings.length === 0) {
        return ["    none"];
    }
    return findings.map((finding) => `    - [${finding.rule}] ${finding.resource || "(stack)"}: ${finding.message}`);
}

export function renderText(plan: PlanDocument): string {
    const out: string[] = [];
    out.push(`Keyless offline plan: stack ${plan.stack}${plan.generatedAt ? ` (${plan.generatedAt})` : ""}`);
    out.push("");
    out.push(`Resources: ${plan.totals.resources} (${plan.totals.custom} cloud resources, ${plan.totals.components} components)`);
    out.push(...resourceTreeLines(plan));
    out.push("");
    out.push("  Totals by type:");
    out.push(...table(Object.entries(plan.totals.byType).map(([type, count]) => [type, String(count)]), "    "));
    out.push("");
    out.push(...accessLines(plan));
    out.push("");
    const mandatory = plan.policy.violations.filter((finding) => finding.level === "mandatory");
    const advisory = plan.policy.violations.filter((finding) => finding.level === "advisory");
    out.push(`Policy: ${mandatory.length} mandatory, ${advisory.length} advisory${plan.policy.config ? ` (levels from ${plan.policy.config})` : ""}`);
    out.push("  Mandatory (block the deployment):");
    out.push(...findingLines(mandatory));
    out.push("  Advisory (warnings):");
    out.push(...findingLines(advisory));
    out.push("");
    out.push("Notes:");
    out.push(...plan.notes.map((note) => `  - ${note}`));
    return `${out.join("\n")}\n`;
}
