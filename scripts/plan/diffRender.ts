import { describeIdentityKind, describeKind } from "./access";
import { DatabaseGrantChange, GrantSummary, PlanDiff, ResourceRef } from "./diff";
import { mdCode, mdText } from "./markdown";
import { edgeLabel, table } from "./text";
import { IdentityKind, PlanFinding, PlanScope } from "./types";

/**
 * Renders a plan diff. Markdown goes into the pull request comment under "Compared with <base>"; the posting
 * workflow adds the comment's hidden marker, so none is written here.
 */

/** Beyond this many resource rows the list is cut; the artifact has both plans. */
export const maxResourceRows = 200;

const kinds = (list: readonly IdentityKind[]) => (list.length ? list.map(describeIdentityKind).join(" + ") : "no identity");

function plural(count: number, word: string, many = `${word}s`): string {
    return `${count} ${count === 1 ? word : many}`;
}

export function diffHeadline(diff: PlanDiff): string {
    const access = diff.access;
    const parts = [
        diff.summary.escalations ? plural(diff.summary.escalations, "escalation") : "",
        access.grantsAdded.length ? `${plural(access.grantsAdded.length, "grant")} added` : "",
        access.grantsRemoved.length ? `${plural(access.grantsRemoved.length, "grant")} removed` : "",
        access.roleChanged.length ? `${plural(access.roleChanged.length, "role")} changed` : "",
        access.scopeNarrowed.length ? `${plural(access.scopeNarrowed.length, "scope")} narrowed` : "",
        access.identitiesAdded.length ? `${plural(access.identitiesAdded.length, "identity", "identities")} added` : "",
        access.identitiesRemoved.length ? `${plural(access.identitiesRemoved.length, "identity", "identities")} removed` : "",
        access.workloadsSwitched.length ? `${plural(access.workloadsSwitched.length, "workload")} switched identity type` : "",
        access.databaseGrantsAdded.length + access.databaseGrantsRemoved.length
            ? `${plural(access.databaseGrantsAdded.length + access.databaseGrantsRemoved.length, "database grant")} changed`
            : "",
    ].filter(Boolean);
    const resources = diff.resources;
    const network = diff.network.newlyUnreachable.length
        ? [`Network: ${plural(diff.network.newlyUnreachable.length, "edge")} made UNREACHABLE`]
        : diff.network.restored.length
          ? [`Network: ${plural(diff.network.restored.length, "edge")} made reachable`]
          : [];
    return [
        ...network,
        `Access: ${parts.length ? parts.join(", ") : "no change"}`,
        `Resources: ${resources.added.length} added, ${resources.removed.length} removed, ${resources.changed.length} changed`,
        `Policy: ${plural(diff.policy.added.length, "new finding")} (${diff.summary.newMandatoryFindings} mandatory), ${diff.policy.resolved.length} resolved`,
    ].join(" · ");
}

// ---------------------------------------------------------------------------------------------------------
// Text

function scopeText(scope: PlanScope): string {
    return `${describeKind(scope.kind)} ${scope.name}`;
}

function identityText(grant: { identity: string; identityKind: IdentityKind }): string {
    return `${grant.identity} (${describeIdentityKind(grant.identityKind)})`;
}

function grantFlagsText(grant: GrantSummary): string {
    return [grant.privileged ? "PRIVILEGED role" : "", grant.broad ? `broad scope: ${grant.broadReason}` : ""].filter(Boolean).join("; ");
}

function databaseText(grant: DatabaseGrantChange): string {
    return `${grant.identity}: ${grant.role} on ${grant.server ? `${grant.server}/` : ""}${grant.database}`;
}

function findingText(finding: PlanFinding): string {
    return `[${finding.level}] [${finding.rule}] ${finding.resource || "(stack)"}: ${finding.message}`;
}

function resourceRows(list: readonly ResourceRef[], sign: string): string[][] {
    return list.map((resource) => [sign, resource.type, resource.name]);
}

export function renderDiffText(diff: PlanDiff): string {
    const out: string[] = [];
    const access = diff.access;
    out.push(`Keyless plan diff: stack ${diff.stack.head}${diff.stack.base !== diff.stack.head ? ` (base plan is of stack ${diff.stack.base})` : ""}`);
    out.push(diffHeadline(diff));
    out.push("");
    if (diff.network.newlyUnreachable.length > 0) {
        out.push("! Made unreachable by this change (granted, but the network refuses the call):");
        for (const edge of diff.network.newlyUnreachable) {
            out.push(`  ! ${edgeLabel(edge)}`);
            out.push(`    why: ${edge.reason}`);
            out.push(`    fix: ${edge.fix}`);
        }
        out.push("");
    }
    for (const edge of diff.network.restored) {
        out.push(`  reachable again: ${edgeLabel(edge)} (${edge.verdict})`);
    }
    out.push("Access changes:");
    const rows: string[][] = [];
    for (const change of access.roleEscalated) {
        rows.push(["! ESCALATION", identityText(change), `${change.from} -> ${change.to}${change.toPrivileged ? " (PRIVILEGED)" : ""}`, scopeText(change.scope)]);
    }
    for (const change of access.scopeWidened) {
        rows.push(["! SCOPE WIDENED", identityText(change), change.role, `${scopeText(change.from)} -> ${scopeText(change.to)}`]);
    }
    for (const grant of access.grantsAdded) {
        const flags = grantFlagsText(grant);
        rows.push([flags ? "! added" : "+ added", identityText(grant), grant.role, `${scopeText(grant.scope)}${flags ? `  (${flags})` : ""}`]);
    }
    for (const change of access.roleChanged) {
        rows.push([`~ role ${change.direction}`, identityText(change), `${change.from} -> ${change.to}`, scopeText(change.scope)]);
    }
    for (const change of access.scopeNarrowed) {
        rows.push(["~ scope narrowed", identityText(change), change.role, `${scopeText(change.from)} -> ${scopeText(change.to)}`]);
    }
    for (const grant of access.grantsRemoved) {
        rows.push(["- removed", identityText(grant), grant.role, scopeText(grant.scope)]);
    }
    out.push(...(rows.length ? table(rows) : ["  no grant changes"]));
    for (const identity of access.identitiesAdded) {
        out.push(`  + identity ${identity.name} (${describeIdentityKind(identity.kind)})${identity.workloads.length ? `, used by ${identity.workloads.join(", ")}` : ""}`);
    }
    for (const identity of access.identitiesRemoved) {
        out.push(`  - identity ${identity.name} (${describeIdentityKind(identity.kind)})`);
    }
    for (const change of access.workloadsSwitched) {
        out.push(`  ~ workload ${change.workload} switched identity: ${kinds(change.from)} -> ${kinds(change.to)}`);
    }
    for (const grant of access.databaseGrantsAdded) {
        out.push(`  + database grant (T-SQL) ${databaseText(grant)}`);
    }
    for (const grant of access.databaseGrantsRemoved) {
        out.push(`  - database grant (T-SQL) ${databaseText(grant)}`);
    }
    out.push("");
    out.push("Resource changes:");
    const resourceLines = [...resourceRows(diff.resources.added, "+"), ...resourceRows(diff.resources.removed, "-"), ...resourceRows(diff.resources.changed, "~")];
    out.push(...(resourceLines.length ? table(resourceLines) : ["  none"]));
    out.push("");
    out.push("New policy findings:");
    out.push(...(diff.policy.added.length ? diff.policy.added.map((finding) => `  ${findingText(finding)}`) : ["  none"]));
    if (diff.policy.resolved.length) {
        out.push(`Resolved policy findings: ${diff.policy.resolved.length}`);
        out.push(...diff.policy.resolved.map((finding) => `  ${findingText(finding)}`));
    }
    return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

function mdScope(scope: PlanScope): string {
    return `${describeKind(scope.kind)} ${mdCode(scope.name)}`;
}

function mdIdentity(grant: { identity: string; identityKind: IdentityKind; workloads?: string[] }): string {
    const users = grant.workloads?.length ? ` · used by ${grant.workloads.map(mdCode).join(", ")}` : "";
    return `${mdCode(grant.identity)} (${describeIdentityKind(grant.identityKind)})${users}`;
}

function mdFlags(grant: GrantSummary): string {
    return [grant.privileged ? "**privileged role**" : "", grant.broad ? `**broad scope**: ${mdText(grant.broadReason ?? "")}` : ""].filter(Boolean).join("; ");
}

function mdResourceTable(diff: PlanDiff): string[] {
    const rows = [
        ...diff.resources.added.map((resource) => ["➕ added", resource]),
        ...diff.resources.removed.map((resource) => ["➖ removed", resource]),
        ...diff.resources.changed.map((resource) => ["✏️ changed", resource]),
    ] as [string, ResourceRef][];
    const out = ["| | Type | Name |", "|---|---|---|"];
    for (const [sign, resource] of rows.slice(0, maxResourceRows)) {
        out.push(`| ${sign} | ${mdCode(resource.type)} | ${mdCode(resource.name)} |`);
    }
    if (rows.length > maxResourceRows) {
        out.push(`| … | ${rows.length - maxResourceRows} more | see the \`plan\` artifact |`);
    }
    return out;
}

export function renderDiffMarkdown(diff: PlanDiff): string {
    const out: string[] = [];
    const access = diff.access;
    out.push(`**${mdText(diffHeadline(diff))}**`);
    if (diff.stack.base !== diff.stack.head) {
        out.push("");
        out.push(`_The base plan is of stack ${mdCode(diff.stack.base)}, the head plan of ${mdCode(diff.stack.head)}._`);
    }
    if (diff.network.newlyUnreachable.length > 0) {
        out.push("");
        out.push("> [!CAUTION]");
        out.push(`> **${plural(diff.network.newlyUnreachable.length, "access edge")} made unreachable** by this change: granted, but the network refuses the call.`);
        for (const edge of diff.network.newlyUnreachable) {
            out.push(`> - ${mdText(edgeLabel(edge))}: ${mdText(edge.reason)}. Fix: ${mdText(edge.fix ?? "")}`);
        }
    }
    if (diff.summary.escalations > 0) {
        out.push("");
        out.push("> [!WARNING]");
        out.push(`> **${plural(diff.summary.escalations, "access escalation")}**: a role that can do more, a wider scope, or a new privileged or broad grant. Check that each is needed.`);
    }
    if (diff.summary.newMandatoryFindings > 0) {
        out.push("");
        out.push("> [!CAUTION]");
        out.push(`> **${plural(diff.summary.newMandatoryFindings, "new mandatory policy violation")}**: the deployment would be blocked.`);
    }

    out.push("");
    out.push("#### Access changes");
    out.push("");
    const rows: string[] = [];
    for (const change of access.roleEscalated) {
        rows.push(`| ⚠️ **Escalation** | ${mdIdentity(change)} | ${mdText(change.from)} → **${mdText(change.to)}**${change.toPrivileged ? " (privileged)" : ""} | ${mdScope(change.scope)} |`);
    }
    for (const change of access.scopeWidened) {
        rows.push(`| ⚠️ **Scope widened** | ${mdIdentity(change)} | ${mdText(change.role)} | ${mdScope(change.from)} → **${mdScope(change.to)}** |`);
    }
    for (const grant of access.grantsAdded) {
        const flags = mdFlags(grant);
        rows.push(`| ${flags ? "⚠️ **Added**" : "➕ Added"} | ${mdIdentity(grant)} | ${mdText(grant.role)} | ${mdScope(grant.scope)}${flags ? ` (${flags})` : ""} |`);
    }
    for (const change of access.roleChanged) {
        rows.push(`| ${change.direction === "reduced" ? "↘️ Role reduced" : "🔁 Role changed"} | ${mdIdentity(change)} | ${mdText(change.from)} → ${mdText(change.to)} | ${mdScope(change.scope)} |`);
    }
    for (const change of access.scopeNarrowed) {
        rows.push(`| ↘️ Scope narrowed | ${mdIdentity(change)} | ${mdText(change.role)} | ${mdScope(change.from)} → ${mdScope(change.to)} |`);
    }
    for (const grant of access.grantsRemoved) {
        rows.push(`| ➖ Removed | ${mdIdentity(grant)} | ${mdText(grant.role)} | ${mdScope(grant.scope)} |`);
    }
    if (rows.length > 0) {
        out.push("| | Identity | Role | Scope |");
        out.push("|---|---|---|---|");
        out.push(...rows);
    } else {
        out.push("No role assignment changes.");
    }
    const lists: string[] = [];
    for (const identity of access.identitiesAdded) {
        lists.push(`- ➕ Identity ${mdCode(identity.name)} (${describeIdentityKind(identity.kind)})${identity.workloads.length ? `, used by ${identity.workloads.map(mdCode).join(", ")}` : ""}`);
    }
    for (const identity of access.identitiesRemoved) {
        lists.push(`- ➖ Identity ${mdCode(identity.name)} (${describeIdentityKind(identity.kind)})`);
    }
    for (const change of access.workloadsSwitched) {
        lists.push(`- 🔁 Workload ${mdCode(change.workload)} switched identity: ${kinds(change.from)} → **${kinds(change.to)}**`);
    }
    for (const grant of access.databaseGrantsAdded) {
        lists.push(`- ➕ Database grant (T-SQL, applied by script): ${mdCode(grant.identity)} ${mdCode(grant.role)} on ${mdCode(`${grant.server ? `${grant.server}/` : ""}${grant.database}`)}`);
    }
    for (const grant of access.databaseGrantsRemoved) {
        lists.push(`- ➖ Database grant (T-SQL, applied by script): ${mdCode(grant.identity)} ${mdCode(grant.role)} on ${mdCode(`${grant.server ? `${grant.server}/` : ""}${grant.database}`)}`);
    }
    if (lists.length > 0) {
        out.push("");
        out.push(...lists);
    }

    out.push("");
    const resources = diff.resources;
    out.push(`#### Resource changes: ${resources.added.length} added, ${resources.removed.length} removed, ${resources.changed.length} changed`);
    if (diff.summary.resourceChanges > 0) {
        out.push("");
        out.push("<details><summary>Resources by type and name</summary>");
        out.push("");
        out.push(...mdResourceTable(diff));
        out.push("");
        out.push("</details>");
    }

    out.push("");
    out.push("#### New policy findings");
    out.push("");
    if (diff.policy.added.length === 0) {
        out.push("None.");
    } else {
        out.push("| Level | Rule | Resource | Message |");
        out.push("|---|---|---|---|");
        for (const finding of diff.policy.added) {
            const level = finding.level === "mandatory" ? "**mandatory**" : "advisory";
            out.push(`| ${level} | ${mdCode(finding.rule)} | ${finding.resource ? mdCode(finding.resource) : "(stack)"} | ${mdText(finding.message)} |`);
        }
    }
    if (diff.policy.resolved.length > 0) {
        out.push("");
        out.push(`${plural(diff.policy.resolved.length, "finding")} of the base no longer reported.`);
    }
    return `${out.join("\n")}\n`;
}
