/**
 * `npm run review -- --stack dev [--logs <dir> --outputs <file>]`: what the stack's identities actually did,
 * against what the stack grants them. Offline with exported logs, or live against the workspace (read-only).
 * See docs/review.md.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStackFile } from "../offline/stackFile";
import { checkStackConfig } from "./plan/run";
import { parseArgs, UsageError } from "./plan/args";
import { exitQuietlyOnClosedPipe, writeDocument } from "./plan/output";
import type { PlanDocument } from "./plan/types";
import { review } from "./review/analyze";
import { readLogDirectory, TableRows } from "./review/logs";
import { readBootstrapOutputs, readStackOutputs } from "./review/outputs";
import { rightSizingPatch } from "./review/patch";
import { renderMarkdown, renderText } from "./review/render";
import { loadTableSchemas } from "./review/schema";
import { ReviewDocument, ReviewInputError } from "./review/types";

const repoRoot = path.resolve(__dirname, "..");

export const reviewUsage = `Usage: npm run review -- --stack <name> [options]

Compares what the stack grants its identities (the offline plan) with what the logs show them doing.

Options:
  --stack <name>              Stack whose Pulumi.<name>.yaml to plan. Default: dev.
  --outputs <file>            \`pulumi stack output --json\` of the stack (principal and role assignment IDs). Required.
  --logs <dir>                Offline: one <Table>.json per table (\`az monitor log-analytics query -o json\`).
  --workspace <id>            Live: the Log Analytics workspace ID (GUID) to query, read-only. Default: $KEYLESS_WORKSPACE_ID,
                              else the outputs' workspaceCustomerId.
  --audit-workspace <id>      Live: also query this workspace (the bootstrap's auditWorkspaceCustomerId: Activity Log, sign-ins).
  --bootstrap-outputs <file>  The bootstrap stack's outputs: deploy identity and its federated credentials.
  --plan <file>               A plan from \`npm run plan -- --format json\` instead of planning again.
  --days <n>                  Window in days. Default: 30.
  --format <format>           text (default), json (fields: docs/review.md) or markdown.
  --output <file>             Write the document to <file> instead of stdout.
  --patch <file>              Also write the suggested right-sizing as a unified diff of Pulumi.<stack>.yaml.
  -h, --help                  Show this help.

Exit codes: 0 no findings; 1 findings; 2 bad usage or input (a malformed export names its file, row and column).
`;

export function renderReview(document: ReviewDocument, format: string): string {
    return format === "json" ? `${JSON.stringify(document, null, 2)}\n` : format === "markdown" ? renderMarkdown(document) : renderText(document);
}

function readPlan(file: string): PlanDocument {
    let plan: unknown;
    try {
        plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new ReviewInputError(`--plan ${file}: not a readable JSON plan (${(error as Error).message}).`);
    }
    if (!plan || typeof plan !== "object" || !Array.isArray((plan as PlanDocument).grants) || !Array.isArray((plan as PlanDocument).identities)) {
        throw new ReviewInputError(`--plan ${file}: expected the JSON of \`npm run plan -- --format json\` (with grants and identities).`);
    }
    return plan as PlanDocument;
}

/** The program's own config check on a candidate stack file: undefined when it passes, else the problems. */
function validateStackText(stack: string, text: string): string | undefined {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-patch-"));
    try {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
        checkStackConfig(loadStackFile(dir, stack));
        return undefined;
    } catch (error) {
        return error instanceof Error ? error.message : String(error);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const inputErrors = new Set(["ReviewInputError", "UsageError", "ConfigError", "StackFileError", "PlanInputError"]);

export async function main(argv: readonly string[], log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
    try {
        const args = parseArgs(argv, {
            values: ["stack", "outputs", "logs", "workspace", "audit-workspace", "bootstrap-outputs", "plan", "days", "format", "output", "patch"],
            flags: [],
            choices: { format: ["text", "json", "markdown"] },
        });
        if (args.help) {
            process.stdout.write(reviewUsage);
            return 0;
        }
        if (args.positionals.length > 0) {
            throw new UsageError(`Unexpected argument ${JSON.stringify(args.positionals[0])}; name the stack with --stack <name>.`);
        }
        const days = Number(args.values.days ?? "30");
        if (!Number.isInteger(days) || days < 1 || days > 730) {
            throw new UsageError(`--days must be a whole number of days from 1 to 730; got ${JSON.stringify(args.values.days)}.`);
        }
        if (!args.values.outputs) {
            throw new UsageError("--outputs <file> is required: the stack's `pulumi stack output --json`, which holds the principal and role assignment IDs.");
        }
        const stack = args.values.stack ?? "dev";
        const outputs = readStackOutputs(path.resolve(args.values.outputs));
        const workspace = args.values.workspace ?? process.env.KEYLESS_WORKSPACE_ID ?? outputs.workspaceCustomerId;
        if (!args.values.logs && !workspace) {
            throw new UsageError("Give --logs <dir> (offline), or --workspace <id> (live) when the outputs hold no workspaceCustomerId.");
        }
        const bootstrap = args.values["bootstrap-outputs"] ? readBootstrapOutputs(path.resolve(args.values["bootstrap-outputs"])) : undefined;
        const schemas = loadTableSchemas();
        const now = new Date();
        let tables: TableRows[];
        const notes: string[] = [];
        if (args.values.logs) {
            tables = readLogDirectory(path.resolve(args.values.logs), schemas);
        } else {
            const { queryWorkspace } = await import("./review/live");
            const audit = args.values["audit-workspace"] ?? process.env.KEYLESS_AUDIT_WORKSPACE_ID;
            const live = await queryWorkspace({ workspaceId: workspace!, additionalWorkspaces: audit ? [audit] : [], days, schemas, log });
            tables = live.tables;
            notes.push(...live.notes);
        }
        let plan: PlanDocument;
        if (args.values.plan) {
            plan = readPlan(path.resolve(args.values.plan));
        } else {
            const { runPlan } = await import("./plan/run");
            plan = await runPlan({ root: repoRoot, repoRoot, stack, log });
        }
        const document = review({ stack, mode: args.values.logs ? "offline" : "live", days, now, plan, outputs, bootstrap, tables, notes });
        writeDocument(renderReview(document, args.values.format ?? "text"), args.values.output, log);
        if (args.values.patch) {
            const stackFile = `Pulumi.${stack}.yaml`;
            const patch = rightSizingPatch(stackFile, fs.readFileSync(path.join(repoRoot, stackFile), "utf8"), plan, document, (text) => validateStackText(stack, text));
            fs.writeFileSync(args.values.patch, patch.diff);
            log(`Wrote ${args.values.patch}${patch.diff ? "" : " (empty: nothing to change in the stack config)"}.`);
            patch.notPatched.forEach((line) => log(`Not patched: ${line}`));
        }
        return document.findings.length > 0 ? 1 : 0;
    } catch (error) {
        const message = error instanceof Error && inputErrors.has(error.name) ? error.message : `The review failed: ${error instanceof Error ? error.message : String(error)}`;
        log(message);
        return 2;
    }
}

if (require.main === module) {
    exitQuietlyOnClosedPipe();
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
