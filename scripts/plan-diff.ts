/**
 * `npm run plan:diff -- <base.json> <head.json> [--format text|markdown|json] [--fail-on-escalation]`
 *
 * Compares two offline plans (`npm run plan -- --format json`), access changes first: grants added or removed,
 * scopes widened, roles escalated, identities added or removed, workloads that switched identity type; then
 * resources and new policy findings. It informs the review: exit 0 unless `--fail-on-escalation` is given and
 * access grows. Gating on policy is the plan's job. See docs/plan.md.
 */
import * as fs from "fs";
import * as path from "path";
import { identityLifecycle, IdentityLifecycle, renderLifecycleMarkdown, renderLifecycleText } from "./lifecycle/lifecycle";
import { parseArgs, UsageError } from "./plan/args";
import { diffPlans, PlanDiff } from "./plan/diff";
import { renderDiffMarkdown, renderDiffText } from "./plan/diffRender";
import { exitQuietlyOnClosedPipe, writeDocument } from "./plan/output";
import { planProblems } from "./plan/schema";
import { PlanDocument } from "./plan/types";

export const diffUsage = `Usage: npm run plan:diff -- <base.json> <head.json> [options]

Compares two plans made by \`npm run plan -- --format json\`; access changes first.

Options:
  --format <format>      text (default), markdown (for a pull request comment) or json.
  --output <file>        Write the result to <file> instead of stdout.
  --fail-on-escalation   Exit 1 when access grows: a role escalated, a scope widened, or a new privileged or broad grant.
  -h, --help             Show this help.

Exit codes: 0 compared (changes or not); 1 access escalation with --fail-on-escalation;
2 bad usage, or a file that is not a readable plan of this schema version.
`;

export function readPlan(file: string, which: string): PlanDocument {
    if (!fs.existsSync(file)) {
        throw new UsageError(`The ${which} plan ${file} does not exist.`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`The ${which} plan ${path.basename(file)} is not JSON: ${(error as Error).message}`);
    }
    const problems = planProblems(parsed);
    if (problems.length > 0) {
        throw new UsageError(`The ${which} plan ${path.basename(file)} is not a valid Keyless plan:\n  - ${problems.join("\n  - ")}`);
    }
    return parsed as PlanDocument;
}

export function renderDiff(diff: PlanDiff, format: string, lifecycle: IdentityLifecycle = { principalChanges: [], referencedDeletions: [] }): string {
    switch (format) {
        case "json":
            return `${JSON.stringify({ ...diff, lifecycle }, null, 2)}\n`;
        case "markdown":
            return renderDiffMarkdown(diff) + renderLifecycleMarkdown(lifecycle);
        default:
            return renderDiffText(diff) + renderLifecycleText(lifecycle);
    }
}

export function main(argv: readonly string[]): number {
    try {
        const args = parseArgs(argv, {
            values: ["format", "output"],
            flags: ["fail-on-escalation"],
            choices: { format: ["text", "json", "markdown"] },
        });
        if (args.help) {
            process.stdout.write(diffUsage);
            return 0;
        }
        if (args.positionals.length !== 2) {
            throw new UsageError(`Expected two plan files, <base.json> <head.json>; got ${args.positionals.length}. See --help.`);
        }
        const base = readPlan(args.positionals[0], "base");
        const head = readPlan(args.positionals[1], "head");
        const diff = diffPlans(base, head);
        const document = renderDiff(diff, args.values.format ?? "text", identityLifecycle(base, head));
        writeDocument(document, args.values.output);
        if (args.flags.has("fail-on-escalation") && diff.summary.escalations > 0) {
            process.stderr.write(`${diff.summary.escalations} access escalation${diff.summary.escalations === 1 ? "" : "s"}: exit code 1 (--fail-on-escalation).\n`);
            return 1;
        }
        return 0;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(error instanceof UsageError ? `${message}\n` : `The plan diff failed: ${message}\n`);
        return 2;
    }
}

if (require.main === module) {
    exitQuietlyOnClosedPipe();
    process.exitCode = main(process.argv.slice(2));
}
