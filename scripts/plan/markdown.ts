import { describeIdentityKind, describeKind } from "./access";
import { mermaidAccessGraph } from "./mermaid";
import { edgeLabel, resourceTreeLines } from "./text";
import { PlanDocument, PlanFinding, PlanGrant } from "./types";

/**
 * The plan as Markdown for a pull request comment. Headings start at level 4 because the comment wraps each
 * stack under `## Keyless plan` / `### Stack`. The hidden marker that finds the comment is added by the posting
 * workflow, never here.
 */

/** Beyond this many tree lines the tree is left to the JSON artifact; GitHub caps a comment at 65,536 characters. */
export const maxTreeLines = 250;

/** Text for a table cell or a list item: no line breaks, no table pipes, no HTML, no @mentions. */
export function mdText(text: string): string {
    return text
        .replace(/[\r\n]+/g, " ")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\|/g, "\\|")
        .replace(/@/g, "&#64;");
}

/** An inline code span that survives any content (backticks inside get a longer fence). */
export function mdCode(text: string): string {
    const clean = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
    const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
    return `${fence}${pad}${clean}${pad}${fence}`;
}

export function mdIdentity(grant: Pick<PlanGrant, "identity" | "identityKind">): string {
    return `${mdCode(grant.identity)} (${describeIdentityKind(grant.identityKind)})`;
}

export function mdScope(scope: PlanGrant["scope"]): string {
    return `${describeKind(scope.kind)} ${mdCode(scope.name)}`;
}

export function mdGrantNotes(grant: PlanGrant): string {
    const notes: string[] = [];
    if (grant.privileged) {
        notes.push("⚠️ **privileged role**");
    }
    if (grant.broad) {
        notes.push(`⚠️ **broad scope**: ${mdText(grant.broadReason ?? "")}`);
    }
    if (grant.purpose === "encryption") {
        notes.push(`🔑 **encryption**: customer-managed key of ${grant.workloads.map(mdCode).join(", ") || "(no service)"}`);
    } else if (grant.origin === "component") {
        notes.push("added by a component");
    }
    return notes.join("; ");
}

function findingTable(findings: readonly PlanFinding[]): string[] {
    const out = ["| Rule | Resource | Message |", "|---|---|---|"];
    for (const finding of findings) {
        out.push(`| ${mdCode(finding.rule)} | ${finding.resource ? mdCode(finding.resource) : "(stack)"} | ${mdText(finding.message)} |`);
    }
    return out;
}

export function renderMarkdown(plan: PlanDocument): string {
    const out: string[] = [];
    const mandatory = plan.policy.violations.filter((finding) => finding.level === "mandatory");
    const advisory = plan.policy.violations.filter((finding) => finding.level === "advisory");
    const broad = plan.grants.filter((grant) => grant.broad || grant.privileged);

    out.push(`#### Offline plan: stack ${mdCode(plan.stack)}`);
    out.push("");
    out.push(
        `${plan.totals.custom} cloud resources in ${plan.totals.components} components · ${plan.grants.length} role assignments · ` +
            `${plan.identities.length} identities · policy: ${mandatory.length === 0 ? "no mandatory violation" : `**${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}**`}, ${advisory.length} advisory`,
    );
    out.push("");
    out.push("> [!NOTE]");
    out.push("> Offline plan under mocks: resource IDs, principal IDs and host names are stand-ins. Only `pulumi preview` shows what exists in Azure, what would be replaced, and drift.");
    if (mandatory.length > 0) {
        out.push("");
        out.push("> [!CAUTION]");
        out.push(`> ${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}: this change cannot be deployed as it is.`);
    }
    const unreachable = plan.network.edges.filter((edge) => edge.verdict === "unreachable");
    if (unreachable.length > 0) {
        out.push("");
        out.push("> [!CAUTION]");
        out.push(`> ${unreachable.length} access edge${unreachable.length === 1 ? " is" : "s are"} unreachable: granted, but the network refuses the call.`);
        for (const edge of unreachable) {
            out.push(`> - ${mdText(edgeLabel(edge))}: ${mdText(edge.reason)}. Fix: ${mdText(edge.fix ?? "")}`);
        }
    }
    if (broad.length > 0) {
        out.push("");
        out.push("> [!WARNING]");
        out.push(`> ${broad.length} grant${broad.length === 1 ? " is" : "s are"} privileged or broader than a single resource; see the access table.`);
    }

    out.push("");
    out.push("#### Access");
    out.push("");
    if (plan.grants.length === 0) {
        out.push("No role assignments.");
    } else {
        out.push("| Identity | Used by | Role | Scope | Network | Notes |");
        out.push("|---|---|---|---|---|---|");
        for (const grant of plan.grants) {
            const role = grant.privileged ? `**${mdText(grant.role)}**` : mdText(grant.role);
            out.push(`| ${mdIdentity(grant)} | ${grant.workloads.map(mdCode).join(", ") || "–"} | ${role} | ${mdScope(grant.scope)} | ${grant.network.verdict === "unreachable" ? "**unreachable**" : mdText(grant.network.verdict)} | ${mdGrantNotes(grant)} |`);
        }
    }
    if (plan.databaseGrants.length > 0) {
        out.push("");
        out.push("Database grants (T-SQL, applied by script, not by Pulumi):");
        out.push("");
        out.push("| Identity | Used by | Roles | Database |");
        out.push("|---|---|---|---|");
        for (const grant of plan.databaseGrants) {
            const database = grant.server ? `${grant.server}/${grant.database}` : grant.database;
            out.push(`| ${mdCode(grant.identity)} | ${grant.workload ? mdCode(grant.workload) : "–"} | ${grant.roles.map(mdCode).join(", ")} | ${mdCode(database)} |`);
        }
    }
    if ((plan.images ?? []).length > 0) {
        out.push("");
        out.push("Images to push before the first `pulumi up`:");
        out.push("");
        out.push("| Registry | Image | Pulled by |");
        out.push("|---|---|---|");
        for (const image of plan.images!) {
            out.push(`| ${mdCode(image.registry)} | ${mdCode(image.image)} | ${mdCode(image.workload)} |`);
        }
    }

    const graph = mermaidAccessGraph(plan);
    if (plan.grants.length > 0) {
        out.push("");
        if (graph.source) {
            out.push("```mermaid");
            out.push(graph.source);
            out.push("```");
        } else {
            out.push(`_The access graph has ${graph.edges} edges, too many to render; the table above lists every grant._`);
        }
    }

    out.push("");
    out.push("#### Policy");
    out.push("");
    if (plan.policy.violations.length === 0) {
        out.push(`No violations${plan.policy.config ? ` (levels from ${mdCode(plan.policy.config)})` : ""}.`);
    } else {
        out.push(`**Mandatory** (block the deployment): ${mandatory.length === 0 ? "none" : ""}`);
        if (mandatory.length > 0) {
            out.push("");
            out.push(...findingTable(mandatory));
        }
        out.push("");
        out.push(`**Advisory** (warnings): ${advisory.length === 0 ? "none" : ""}`);
        if (advisory.length > 0) {
            out.push("");
            out.push(...findingTable(advisory));
        }
    }

    out.push("");
    out.push(`#### Resources (${plan.totals.resources})`);
    out.push("");
    out.push("<details><summary>Totals by type</summary>");
    out.push("");
    out.push("| Type | Count |");
    out.push("|---|---:|");
    for (const [type, count] of Object.entries(plan.totals.byType)) {
        out.push(`| ${mdCode(type)} | ${count} |`);
    }
    out.push("");
    out.push("</details>");
    out.push("");
    const tree = resourceTreeLines(plan, "");
    if (tree.length <= maxTreeLines) {
        out.push("<details><summary>Resource tree</summary>");
        out.push("");
        out.push("```text");
        out.push(...tree.map((line) => line.replace(/```/g, "'''")));
        out.push("```");
        out.push("");
        out.push("</details>");
    } else {
        out.push(`_The resource tree has ${tree.length} lines; it is in the \`plan\` artifact (\`plan-${mdText(plan.stack)}.json\`)._`);
    }

    out.push("");
    out.push("<details><summary>About this plan</summary>");
    out.push("");
    out.push(...plan.notes.map((note) => `- ${mdText(note)}`));
    out.push("");
    out.push("</details>");
    return `${out.join("\n")}\n`;
}
