/**
 * `npm run plan -- [--stack dev] [--format text|json|markdown|sarif]`: the offline plan of a stack.
 *
 * Runs the stack's program under Pulumi's mock runtime with its config from `Pulumi.<stack>.yaml`, then prints
 * the resources, the access matrix (who gets which role on what) and the policy pack's findings. No cloud, no
 * Pulumi CLI, no credentials. The document goes to stdout (or `--output`); progress goes to stderr, so
 * `npm run --silent plan -- --format json > plan.json` gives clean JSON. See docs/plan.md.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs, UsageError } from "./plan/args";
import { mandatoryViolations } from "./plan/build";
import { renderMarkdown } from "./plan/markdown";
import { exitQuietlyOnClosedPipe, writeDocument } from "./plan/output";
import { renderText } from "./plan/text";
import { renderSarif, StackFileText } from "./plan/sarif";
import { PlanDocument } from "./plan/types";
import type { RuleMetadata } from "../policies/lib/types";

const repoRoot = path.resolve(__dirname, "..");

export const planUsage = `Usage: npm run plan -- [options]

Runs a stack's program offline (Pulumi mock runtime, no cloud) and prints its resources,
access matrix and policy findings.

Options:
  --stack <name>          Stack whose Pulumi.<name>.yaml to read. Default: dev.
  --format <format>       text (default), json (schema: scripts/plan/plan.schema.json), markdown, or sarif
                          (SARIF 2.1.0 of the policy findings, located in Pulumi.<stack>.yaml, for GitHub code scanning).
  --output <file>         Write the document to <file> instead of stdout.
  --root <dir>            Directory holding the Pulumi.<stack>.yaml files. Default: the repository.
  --policy-config <file>  Policy pack config (as --policy-pack-config). Default: policies/config.<stack>.json if present.
  --timestamp             Add generatedAt to the document (off by default, so plans diff cleanly).
  -h, --help              Show this help.

Exit codes: 0 plan written and no mandatory policy violation; 1 a mandatory policy rule fails;
2 bad usage, an unknown stack, a malformed stack file, invalid config, or a failed program run.
`;

/** For SARIF: the pack's rules (their metadata becomes the SARIF rules) and the stack file that findings point into. */
export interface SarifInputs {
    rules: readonly RuleMetadata[];
    stackFile: StackFileText;
    version: string;
}

export function render(plan: PlanDocument, format: string, sarif?: SarifInputs): string {
    switch (format) {
        case "sarif":
            if (!sarif) {
                throw new UsageError("--format sarif needs the pack's rules and the stack file.");
            }
            return renderSarif(plan, sarif.rules, sarif.stackFile, sarif.version);
        case "json":
            return `${JSON.stringify(plan, null, 2)}\n`;
        case "markdown":
            return renderMarkdown(plan);
        default:
            return renderText(plan);
    }
}

async function sarifInputs(root: string, stack: string): Promise<SarifInputs> {
    const { allRules } = await import("../policies/rules");
    const stackPath = path.join(root, `Pulumi.${stack}.yaml`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pack = require("../policies/package.json") as { version: string };
    return {
        rules: allRules,
        stackFile: { path: path.relative(root, stackPath).split(path.sep).join("/"), text: fs.readFileSync(stackPath, "utf8") },
        version: pack.version,
    };
}

function progress(line: string): void {
    process.stderr.write(`${line}\n`);
}

/** Bad input the user can fix: ConfigError (stacks/config/), StackFileError, PlanInputError, UsageError. */
const inputErrors = new Set(["ConfigError", "StackFileError", "PlanInputError", "UsageError"]);

/** Known kinds of bad input print their message only: no stack trace. */
export function describeFailure(error: unknown): string {
    if (error instanceof Error && inputErrors.has(error.name)) {
        return error.message;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/^The program failed:/.test(message)) {
        return message;
    }
    const trace = process.env.KEYLESS_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : "\nSet KEYLESS_DEBUG=1 for a stack trace.";
    return `The offline plan failed: ${message}${trace}`;
}

export async function main(argv: readonly string[]): Promise<number> {
    try {
        const args = parseArgs(argv, {
            values: ["stack", "format", "output", "root", "policy-config"],
            flags: ["timestamp"],
            choices: { format: ["text", "json", "markdown", "sarif"] },
        });
        if (args.help) {
            process.stdout.write(planUsage);
            return 0;
        }
        if (args.positionals.length > 0) {
            throw new UsageError(`Unexpected argument ${JSON.stringify(args.positionals[0])}; name the stack with --stack <name>.`);
        }
        const root = path.resolve(args.values.root ?? repoRoot);
        if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
            throw new UsageError(`--root ${args.values.root} is not a directory.`);
        }
        // Loaded after the arguments are checked, and inside the try: a program that fails to load is exit code 2.
        const { runPlan } = await import("./plan/run");
        const plan = await runPlan({
            root,
            repoRoot,
            stack: args.values.stack ?? "dev",
            policyConfig: args.values["policy-config"],
            timestamp: args.flags.has("timestamp"),
            log: progress,
        });
        const format = args.values.format ?? "text";
        const document = render(plan, format, format === "sarif" ? await sarifInputs(root, plan.stack) : undefined);
        writeDocument(document, args.values.output, progress);
        const mandatory = mandatoryViolations(plan);
        if (mandatory.length > 0) {
            progress(`${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}: exit code 1.`);
            return 1;
        }
        return 0;
    } catch (error) {
        process.stderr.write(`${describeFailure(error)}\n`);
        return 2;
    }
}

if (require.main === module) {
    exitQuietlyOnClosedPipe();
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
