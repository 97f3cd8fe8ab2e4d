import { GrantUse, ReviewDocument } from "./types";

function useLine(use: GrantUse): string {
    const head = `${use.role} on ${use.scope.kind} ${use.scope.name}`;
    if (use.status === "used") {
        return `${head}: used ${use.count}x, last ${use.lastUse}; ${use.operations.join(", ")}${use.objects.length > 0 ? ` on ${use.objects.join(", ")}` : ""}`;
    }
    return `${head}: ${use.status === "unused" ? "UNUSED in the window" : "not reviewed"}`;
}

export function renderText(review: ReviewDocument): string {
    const lines = [`Access review of stack ${review.stack} (${review.mode}), ${review.window.days} days: ${review.window.from} to ${review.window.to}`, ""];
    lines.push("Tables:");
    review.tables.forEach((table) => lines.push(`  ${table.name}: ${table.status}, ${table.rows} rows${table.note ? ` (${table.note})` : ""}`));
    lines.push("", "Identities:");
    for (const identity of review.identities) {
        lines.push(`  ${identity.name} (${identity.kind}${identity.principalId ? `, ${identity.principalId}` : ", no principal ID exported"}): ${identity.signIns} sign-ins${identity.lastSignIn ? `, last ${identity.lastSignIn}` : ""}`);
        identity.grants.forEach((use) => lines.push(`    ${useLine(use)}`));
    }
    lines.push("", review.findings.length === 0 ? "No findings." : `Findings (${review.findings.length}):`);
    review.findings.forEach((finding) => lines.push(`  [${finding.kind}] ${finding.message}${finding.last ? ` Last: ${finding.last}.` : ""}`));
    if (review.notes.length > 0) {
        lines.push("", "Notes:");
        review.notes.forEach((note) => lines.push(`  ${note}`));
    }
    return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** An issue body: what the weekly workflow opens or updates. */
export function renderMarkdown(review: ReviewDocument): string {
    const lines = [`## Access review: stack \`${review.stack}\``, "", `Window: ${review.window.days} days, ${review.window.from} to ${review.window.to} (${review.mode}).`, ""];
    lines.push(review.findings.length === 0 ? "No findings." : `### Findings (${review.findings.length})`, "");
    if (review.findings.length > 0) {
        lines.push("| Kind | Identity | Finding | Count | Last |", "|---|---|---|---|---|");
        review.findings.forEach((finding) => lines.push(`| ${finding.kind} | ${cell(finding.identity ?? finding.principalId ?? "")} | ${cell(finding.message)} | ${finding.count} | ${finding.last ?? ""} |`));
        lines.push("");
    }
    lines.push("### Grants", "", "| Identity | Role | Scope | Status | Uses | Last use |", "|---|---|---|---|---|---|");
    for (const identity of review.identities) {
        identity.grants.forEach((use) => lines.push(`| ${cell(identity.name)} | ${cell(use.role)} | ${cell(`${use.scope.kind} ${use.scope.name}`)} | ${use.status} | ${use.count} | ${use.lastUse ?? ""} |`));
    }
    lines.push("", "### Tables", "");
    review.tables.forEach((table) => lines.push(`- ${table.name}: ${table.status}, ${table.rows} rows${table.note ? ` (${cell(table.note)})` : ""}`));
    if (review.notes.length > 0) {
        lines.push("", "### Notes", "");
        review.notes.forEach((note) => lines.push(`- ${note}`));
    }
    return `${lines.join("\n")}\n`;
}
