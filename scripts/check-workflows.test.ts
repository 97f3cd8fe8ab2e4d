import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import {
    checkWorkflowRunTargets,
    checkWorkflowSource,
    checkWorkflows,
    enginesNodeMajor,
    lintWithActionlint,
    readWorkflows,
    type Finding,
} from "./check-workflows";

const dir = path.join(__dirname, "..", ".github", "workflows");
const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const rules = (findings: Finding[]) => [...new Set(findings.map((f) => f.rule))].sort();

/** Parses a real workflow, applies an edit in memory, and returns the new source (comments kept). */
function mutate(name: string, edit: (doc: Document) => void): string {
    const doc = parseDocument(read(name));
    edit(doc);
    return String(doc);
}

function check(name: string, edit: (doc: Document) => void, options = {}): Finding[] {
    return checkWorkflowSource(mutate(name, edit), name, options);
}

// Secret-looking names are assembled at run time so the repository scanner has nothing to match.
const secretRef = (name: string) => ["${{ ", "secrets", ".", name, " }}"].join("");

describe("the repository's workflows", () => {
    const files = readWorkflows(dir);

    it("exist: pull request, comment poster, deploy and drift", () => {
        expect(files.map((f) => path.basename(f.path))).toEqual(
            expect.arrayContaining(["pull-request.yml", "plan-comment.yml", "deploy.yml", "drift.yml"]),
        );
    });

    it("pass actionlint and every workflow rule", async () => {
        const findings = await checkWorkflows(files);
        expect(findings.map((f) => `${f.file}:${f.line}: [${f.rule}] ${f.message}`)).toEqual([]);
    });

    it("deploy prod only after dev, each behind its environment", () => {
        const deploy = parseDocument(read("deploy.yml")).toJS();
        expect(deploy.on).toEqual({ push: { branches: ["main"] } });
        expect(deploy.jobs.dev.environment).toBe("dev");
        expect(deploy.jobs.prod.environment).toBe("prod");
        expect(deploy.jobs.prod.needs).toBe("dev");
        expect(deploy.jobs.dev.concurrency).toEqual({ group: "pulumi-dev", "cancel-in-progress": false });
        expect(deploy.jobs.prod.concurrency).toEqual({ group: "pulumi-prod", "cancel-in-progress": false });
    });

    it("preview only same-repository pull requests, for both stacks, without an environment", () => {
        const pr = parseDocument(read("pull-request.yml")).toJS();
        expect(Object.keys(pr.on)).toEqual(["pull_request"]);
        expect(pr.jobs.preview.strategy.matrix.stack).toEqual(["dev", "prod"]);
        expect(pr.jobs.preview.environment).toBeUndefined();
        expect(pr.jobs.preview.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
        // The offline job runs fork code: it must hold nothing but read access.
        expect(pr.jobs.offline.permissions).toEqual({ contents: "read" });
        expect(pr.jobs.offline.if).toBeUndefined();
    });

    it("post the plan comment without checking out or running pull request code", () => {
        const poster = parseDocument(read("plan-comment.yml")).toJS();
        expect(Object.keys(poster.on)).toEqual(["workflow_run"]);
        const steps: Record<string, unknown>[] = poster.jobs.comment.steps;
        expect(steps.some((s) => String(s.uses ?? "").startsWith("actions/checkout@"))).toBe(false);
        expect(steps.some((s) => "run" in s)).toBe(false);
        const script = String((steps.find((s) => String(s.uses).startsWith("actions/github-script@"))?.with as Record<string, unknown>).script);
        expect(script).toContain("<!-- keyless-plan -->");
        expect(script).toContain("pr.head.sha !== process.env.HEAD_SHA");
    });

    it("check drift daily and on demand, per stack, outside the reviewed environments", () => {
        const drift = parseDocument(read("drift.yml")).toJS();
        expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
        expect(drift.jobs.drift.environment).toBe("${{ matrix.stack }}-drift");
        expect(drift.jobs.drift.permissions.issues).toBe("write");
        const preview = drift.jobs.drift.steps.find((s: Record<string, unknown>) => s.id === "preview");
        expect(preview["continue-on-error"]).toBe(true);
        expect(preview.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
    });
});

describe("checkWorkflowSource", () => {
    it("finds nothing in an unchanged round trip (the edits below are the only cause of findings)", () => {
        for (const name of ["pull-request.yml", "plan-comment.yml", "deploy.yml", "drift.yml"]) {
            expect(check(name, () => undefined)).toEqual([]);
        }
    });

    it("fails when someone adds a secret, and points at its line", () => {
        const source = mutate("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "env", "DEPLOY_TOKEN"], secretRef("DEPLOY_TOKEN")));
        const findings = checkWorkflowSource(source, "deploy.yml");
        expect(rules(findings)).toEqual(["secrets"]);
        const line = source.split("\n").findIndex((l) => l.includes("DEPLOY_TOKEN:")) + 1;
        expect(findings[0].line).toBe(line);
        expect(findings[0].message).toContain("secrets.DEPLOY_TOKEN");
    });

    it("fails on a client secret for Azure, by reference and by variable name", () => {
        const findings = check("deploy.yml", (doc) => doc.setIn(["jobs", "prod", "env", "ARM_CLIENT_SECRET"], secretRef("AZURE_CLIENT_SECRET")));
        expect(rules(findings)).toEqual(["credential", "secrets"]);
    });

    it("fails on secrets in `if:` conditions, in `with:` inputs and on the whole secrets context", () => {
        expect(rules(check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "if"], "secrets.SOME_KEY != ''")))).toEqual(["secrets"]);
        expect(
            rules(check("plan-comment.yml", (doc) => doc.setIn(["jobs", "comment", "steps", 1, "with", "github-token"], secretRef("BOT_PAT")))),
        ).toEqual(["secrets"]);
        const whole = check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "env", "ALL"], "${{ toJSON(secrets) }}"));
        expect(whole.map((f) => f.message)).toEqual([expect.stringContaining("whole `secrets` context")]);
        const lookalike = check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "env", "OK"], "${{ steps.secrets-check.outputs.no_secrets }}"));
        expect(lookalike).toEqual([]);
        const githubToken = check("plan-comment.yml", (doc) =>
            doc.setIn(["jobs", "comment", "steps", 0, "with", "github-token"], secretRef("GITHUB_TOKEN")),
        );
        expect(githubToken.map((f) => f.message)).toEqual([expect.stringContaining("github.token")]);
        expect(rules(check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "secrets"], "inherit")))).toEqual(["secrets"]);
    });

    it("allows exactly the secret names it is given, and no other", () => {
        const edit = (doc: Document) => {
            doc.setIn(["jobs", "dev", "env", "PULUMI_ACCESS_TOKEN"], secretRef("PULUMI_ACCESS_TOKEN"));
            doc.setIn(["jobs", "dev", "env", "OTHER"], secretRef("OTHER_TOKEN"));
        };
        const findings = check("deploy.yml", edit, { allowedSecrets: ["PULUMI_ACCESS_TOKEN"] });
        expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("secrets.OTHER_TOKEN")]);
        expect(check("deploy.yml", edit).map((f) => f.rule)).toEqual(["secrets", "secrets"]);
    });

    it("fails on an action pinned to a tag, a short SHA, or a SHA without its version comment", () => {
        const tag = check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 0, "uses"], "actions/checkout@v6"));
        expect(tag.map((f) => f.message)).toEqual([expect.stringContaining("full 40-character commit SHA")]);
        const short = check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 0, "uses"], "actions/checkout@de0fac2"));
        expect(rules(short)).toEqual(["pin"]);
        const noComment = check("deploy.yml", (doc) =>
            doc.setIn(["jobs", "dev", "steps", 0, "uses"], doc.createNode("actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd")),
        );
        expect(noComment.map((f) => f.message)).toEqual([expect.stringContaining("as a comment")]);
        const local = check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 0, "uses"], doc.createNode("./.github/actions/setup")));
        expect(local).toEqual([]);
    });

    it("fails on a job without explicit permissions and on write access granted at the top", () => {
        expect(rules(check("pull-request.yml", (doc) => doc.deleteIn(["jobs", "offline", "permissions"])))).toEqual(["permissions"]);
        expect(rules(check("deploy.yml", (doc) => doc.set("permissions", "write-all")))).toEqual(["permissions"]);
        expect(rules(check("deploy.yml", (doc) => doc.delete("permissions")))).toEqual(["permissions"]);
    });

    it("fails on an Azure sign-in without id-token: write, without ARM_USE_OIDC, or with ids outside vars", () => {
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "dev", "permissions", "id-token"])))).toEqual(["oidc"]);
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "dev", "env", "ARM_USE_OIDC"])))).toEqual(["oidc"]);
        expect(rules(check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "env", "ARM_USE_OIDC"], "false")))).toEqual(["oidc"]);
        expect(rules(check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "env", "ARM_CLIENT_ID"], "00000000-0000-0000-0000-000000000000")))).toEqual(["oidc"]);
        expect(rules(check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "steps", 3, "with", "client-id"], "hard-coded")))).toEqual(["oidc"]);
    });

    it("signs previews and drift checks in as the preview identity, deploys as the deploy identity", () => {
        const deployId = "${{ vars.AZURE_CLIENT_ID }}";
        const previewId = "${{ vars.AZURE_PREVIEW_CLIENT_ID }}";
        for (const [file, job] of [["pull-request.yml", "preview"], ["drift.yml", "drift"]]) {
            const jobs = parseDocument(read(file)).toJS().jobs;
            const login = jobs[job].steps.find((s: Record<string, unknown>) => String(s.uses).startsWith("azure/login@"));
            expect([jobs[job].env.ARM_CLIENT_ID, login.with["client-id"]]).toEqual([previewId, previewId]);
        }
        const deploy = parseDocument(read("deploy.yml")).toJS().jobs;
        for (const job of ["dev", "prod"]) {
            const login = deploy[job].steps.find((s: Record<string, unknown>) => String(s.uses).startsWith("azure/login@"));
            expect([deploy[job].env.ARM_CLIENT_ID, login.with["client-id"]]).toEqual([deployId, deployId]);
        }
    });

    it("fails when a preview or drift job signs in as the deploy identity, pointing at the line", () => {
        const source = mutate("pull-request.yml", (doc) => doc.setIn(["jobs", "preview", "env", "ARM_CLIENT_ID"], "${{ vars.AZURE_CLIENT_ID }}"));
        const findings = checkWorkflowSource(source, "pull-request.yml");
        expect(findings.map((f) => f.rule)).toEqual(["identity"]);
        expect(findings[0].message).toMatch(/job preview: ARM_CLIENT_ID comes from vars.AZURE_CLIENT_ID; a pull request job runs code no reviewer has approved/);
        expect(findings[0].line).toBe(source.split("\n").findIndex((l) => l.includes("ARM_CLIENT_ID:")) + 1);

        const login = check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "steps", 3, "with", "client-id"], "${{ vars.AZURE_CLIENT_ID }}"));
        expect(login.map((f) => f.message)).toEqual([expect.stringMatching(/job drift: azure\/login client-id comes from vars.AZURE_CLIENT_ID; a job that only previews needs no write access/)]);
    });

    it("fails when a deploy job signs in as the preview identity, which cannot change anything", () => {
        const findings = check("deploy.yml", (doc) => {
            doc.setIn(["jobs", "prod", "env", "ARM_CLIENT_ID"], "${{ vars.AZURE_PREVIEW_CLIENT_ID }}");
            doc.setIn(["jobs", "prod", "steps", 3, "with", "client-id"], "${{ vars.AZURE_PREVIEW_CLIENT_ID }}");
        });
        expect(findings.map((f) => [f.rule, f.message])).toEqual([
            ["identity", expect.stringContaining("job prod: ARM_CLIENT_ID comes from vars.AZURE_PREVIEW_CLIENT_ID; it runs `pulumi up`")],
            ["identity", expect.stringContaining("job prod: azure/login client-id comes from vars.AZURE_PREVIEW_CLIENT_ID")],
        ]);
    });

    it("fails when azure/login is missing or comes after pulumi/actions", () => {
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "prod", "steps", 3])))).toEqual(["oidc"]);
        const swapped = check("deploy.yml", (doc) => {
            const login = doc.getIn(["jobs", "prod", "steps", 3]);
            doc.deleteIn(["jobs", "prod", "steps", 3]);
            doc.addIn(["jobs", "prod", "steps"], login);
        });
        expect(swapped.map((f) => f.message)).toEqual([expect.stringContaining("run azure/login before pulumi/actions")]);
    });

    it("fails on id-token: write in a job that signs in to nothing", () => {
        expect(rules(check("pull-request.yml", (doc) => doc.setIn(["jobs", "offline", "permissions", "id-token"], "write")))).toEqual([
            "permissions",
        ]);
    });

    it("fails on a stored credential passed to azure/login", () => {
        expect(rules(check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 4, "with", "creds"], "{}")))).toEqual(["credential"]);
    });

    it("fails on a pull request preview that sets an environment, runs for forks, deploys or skips the policy pack", () => {
        expect(rules(check("pull-request.yml", (doc) => doc.setIn(["jobs", "preview", "environment"], "dev")))).toEqual(["preview"]);
        expect(rules(check("pull-request.yml", (doc) => doc.deleteIn(["jobs", "preview", "if"])))).toEqual(["preview"]);
        expect(rules(check("pull-request.yml", (doc) => doc.setIn(["jobs", "preview", "steps", 4, "with", "command"], "up")))).toEqual(["preview"]);
        expect(rules(check("pull-request.yml", (doc) => doc.deleteIn(["jobs", "preview", "steps", 4, "with", "policyPacks"])))).toEqual(["policy"]);
    });

    it("fails on a pulumi step that does not use the configured backend and secrets provider", () => {
        expect(rules(check("drift.yml", (doc) => doc.deleteIn(["jobs", "drift", "steps", 4, "with", "cloud-url"])))).toEqual(["backend"]);
        expect(rules(check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "steps", 4, "with", "secrets-provider"], "passphrase")))).toEqual([
            "backend",
        ]);
    });

    it("fails on a deploy without environment, without serialization, cancellable, unenforced or unproven", () => {
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "prod", "environment"])))).toEqual(["deploy"]);
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "prod", "concurrency"])))).toEqual(["deploy"]);
        expect(rules(check("deploy.yml", (doc) => doc.setIn(["jobs", "prod", "concurrency", "cancel-in-progress"], true)))).toEqual(["deploy"]);
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "dev", "steps", 8, "with", "policyPacks"])))).toEqual(["policy"]);
        expect(rules(check("deploy.yml", (doc) => doc.deleteIn(["jobs", "dev", "steps", 9])))).toEqual(["deploy"]);
        // A preview of another stack proves nothing, and would run with the wrong stack's policy levels too.
        expect(rules(check("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 9, "with", "stack-name"], "prod")))).toEqual(["deploy", "policy"]);
    });

    it("fails on a job that sets up an older Node.js than package.json's engines", () => {
        expect(enginesNodeMajor()).toBe(22);
        const findings = check("drift.yml", (doc) => doc.setIn(["jobs", "drift", "steps", 1, "with", "node-version"], 20));
        expect(findings.map((finding) => `${finding.rule}: ${finding.message}`)).toEqual([
            'node: job drift: set up Node.js 22 or later (`node-version: 22`), as package.json\'s engines and the dependencies declare; got "20"',
        ]);
    });

    it("fails on a preview or up that runs the policy pack without the stack's own policy config", () => {
        const findings = (name: string, edit: (doc: Document) => void) => check(name, edit).map((finding) => `${finding.rule}: ${finding.message}`);
        expect(findings("deploy.yml", (doc) => doc.deleteIn(["jobs", "prod", "steps", 7, "with", "policyPackConfigs"]))).toEqual([
            "policy: job prod: `pulumi up` of prod applies the stack's policy levels (`policyPackConfigs: policies/config.prod.json`)",
        ]);
        expect(findings("deploy.yml", (doc) => doc.setIn(["jobs", "dev", "steps", 9, "with", "policyPackConfigs"], "policies/config.prod.json"))).toEqual([
            "policy: job dev: `pulumi preview` of dev applies the stack's policy levels (`policyPackConfigs: policies/config.dev.json`)",
        ]);
        expect(findings("drift.yml", (doc) => doc.deleteIn(["jobs", "drift", "steps", 4, "with", "policyPackConfigs"]))).toEqual([
            "policy: job drift: `pulumi preview` of ${{ matrix.stack }} applies the stack's policy levels (`policyPackConfigs: policies/config.${{ matrix.stack }}.json`)",
        ]);
        expect(findings("drift.yml", (doc) => doc.deleteIn(["jobs", "drift", "steps", 4, "with", "policyPacks"]))).toEqual([
            "policy: job drift: `pulumi preview` runs the policy pack (`policyPacks: policies`)",
        ]);
        expect(rules(check("pull-request.yml", (doc) => doc.deleteIn(["jobs", "preview", "steps", 4, "with", "policyPackConfigs"])))).toEqual(["policy"]);
    });

    it("fails on pull_request_target or workflow_run checking out the pull request's code", () => {
        const base = [
            "name: t",
            "on: pull_request_target",
            "permissions: {}",
            "jobs:",
            "  t:",
            "    runs-on: ubuntu-latest",
            "    permissions:",
            "      contents: read",
            "    steps:",
            "      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2",
            "        with:",
            "          persist-credentials: false",
        ];
        expect(checkWorkflowSource(base.join("\n"), "t.yml")).toEqual([]);
        const head = [...base, "          ref: ${{ github.event.pull_request.head.sha }}"].join("\n");
        expect(rules(checkWorkflowSource(head, "t.yml"))).toEqual(["privileged-checkout"]);
        const fromRun = head.replace("on: pull_request_target", "on: workflow_run").replace("pull_request.head.sha", "workflow_run.head_sha");
        expect(rules(checkWorkflowSource(fromRun, "t.yml"))).toEqual(["privileged-checkout"]);
        // The same checkout in an ordinary pull_request workflow holds a read-only token and is fine.
        expect(checkWorkflowSource(head.replace("pull_request_target", "pull_request"), "t.yml")).toEqual([]);
    });

    it("reports YAML that does not parse", () => {
        expect(rules(checkWorkflowSource("jobs: [unclosed", "bad.yml"))).toEqual(["yaml"]);
    });
});

describe("checkWorkflowRunTargets", () => {
    it("fails when the comment poster names a workflow that does not exist", () => {
        const files = readWorkflows(dir).map((f) =>
            path.basename(f.path) === "plan-comment.yml" ? { ...f, source: f.source.replace("workflows: [Pull request]", "workflows: [PR checks]") } : f,
        );
        expect(checkWorkflowRunTargets(readWorkflows(dir))).toEqual([]);
        expect(checkWorkflowRunTargets(files).map((f) => f.message)).toEqual([expect.stringContaining('"PR checks"')]);
    });
});

describe("lintWithActionlint", () => {
    it("reports an undefined job dependency and an unknown expression property", async () => {
        const source = [
            "on: push",
            "permissions: {}",
            "jobs:",
            "  a:",
            "    runs-on: ubuntu-latest",
            "    needs: missing",
            "    permissions: {}",
            "    steps:",
            "      - run: echo ${{ github.nope_nope }}",
        ].join("\n");
        const findings = await lintWithActionlint([{ path: "broken.yml", source }]);
        expect(findings.every((f) => f.rule.startsWith("actionlint:"))).toBe(true);
        expect(findings.map((f) => f.message).join("\n")).toMatch(/missing/);
        // actionlint reports a missing dependency at the job that needs it.
        expect(findings.map((f) => f.line)).toEqual(expect.arrayContaining([4, 9]));
    });

    it("reports untrusted pull request input used directly in a script", async () => {
        const source = read("pull-request.yml").replace('echo "$PR_NUMBER" > "$out/pr-number"', 'echo "${{ github.event.pull_request.title }}" > "$out/pr-number"');
        expect(source).not.toBe(read("pull-request.yml"));
        const findings = await lintWithActionlint([{ path: "pull-request.yml", source }]);
        expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("potentially untrusted")]);
    });
});

/**
 * The github-script bodies run here against a recording fake of the GitHub API, the way
 * actions/github-script calls them: an async function of (require, github, context, core).
 */
function scriptOf(file: string, job: string): string {
    const steps: Record<string, unknown>[] = parseDocument(read(file)).toJS().jobs[job].steps;
    const step = steps.find((s) => String(s.uses).startsWith("actions/github-script@"));
    return String((step?.with as Record<string, unknown>).script);
}

type Call = [string, Record<string, unknown>];

function fakeGithub(data: { pr?: Record<string, unknown>; comments?: unknown[]; issues?: unknown[] }, calls: Call[]) {
    const record = (name: string) => async (args: Record<string, unknown>) => {
        calls.push([name, args]);
        return { data: { id: 99, number: 7 } };
    };
    const issues = {
        listComments: record("listComments"),
        listForRepo: record("listForRepo"),
        createComment: record("createComment"),
        updateComment: record("updateComment"),
        create: record("create"),
        update: record("update"),
    };
    return {
        rest: { issues, pulls: { get: async () => ({ data: data.pr }) } },
        paginate: async (fn: unknown) => (fn === issues.listComments ? data.comments : data.issues) ?? [],
    };
}

async function runScript(script: string, env: Record<string, string>, github: unknown) {
    const core = { failed: [] as string[], setFailed(m: string) { this.failed.push(m); }, notice: () => undefined, info: () => undefined };
    const context = { repo: { owner: "octo", repo: "keyless" }, serverUrl: "https://github.com", runId: 5 };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
        await new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core);
    } finally {
        process.env = saved;
    }
    return core;
}

describe("the plan comment poster", () => {
    const script = scriptOf("plan-comment.yml", "comment");
    const sha = "a".repeat(40);
    let dirPath: string;

    beforeEach(() => {
        dirPath = fs.mkdtempSync(path.join(os.tmpdir(), "plan-comment-"));
        fs.writeFileSync(path.join(dirPath, "pr-number"), "12\n");
        fs.writeFileSync(path.join(dirPath, "comment.md"), "## Keyless plan\n");
    });
    afterEach(() => fs.rmSync(dirPath, { recursive: true, force: true }));

    const pr = (repo: string, headSha = sha) => ({ number: 12, head: { sha: headSha, repo: { full_name: repo } } });
    const env = () => ({ COMMENT_DIR: dirPath, HEAD_SHA: sha });

    it("creates one comment with the marker, without a fork note for a same-repository branch", async () => {
        const calls: Call[] = [];
        await runScript(script, env(), fakeGithub({ pr: pr("octo/keyless"), comments: [] }, calls));
        expect(calls.map((c) => c[0])).toEqual(["createComment"]);
        expect(calls[0][1]).toMatchObject({ issue_number: 12 });
        expect(String(calls[0][1].body)).toMatch(/^<!-- keyless-plan -->\n## Keyless plan/);
        expect(String(calls[0][1].body)).not.toContain("fork");
    });

    it("edits its own earlier comment in place and adds the fork note for a fork", async () => {
        const calls: Call[] = [];
        const comments = [
            { id: 1, user: { login: "someone" }, body: "<!-- keyless-plan --> quoted by a person" },
            { id: 2, user: { login: "github-actions[bot]" }, body: "<!-- keyless-plan -->\nold" },
        ];
        await runScript(script, env(), fakeGithub({ pr: pr("fork-owner/keyless"), comments }, calls));
        expect(calls.map((c) => c[0])).toEqual(["updateComment"]);
        expect(calls[0][1]).toMatchObject({ comment_id: 2 });
        expect(String(calls[0][1].body)).toContain("only the offline checks ran");
    });

    it("posts nothing when the pull request has moved to another commit, or the number is not a number", async () => {
        const calls: Call[] = [];
        await runScript(script, env(), fakeGithub({ pr: pr("octo/keyless", "b".repeat(40)) }, calls));
        expect(calls).toEqual([]);
        fs.writeFileSync(path.join(dirPath, "pr-number"), "12; rm -rf /");
        const core = await runScript(script, env(), fakeGithub({ pr: pr("octo/keyless") }, calls));
        expect(calls).toEqual([]);
        expect(core.failed).toEqual([expect.stringContaining("not a number")]);
    });

    it("keeps the body under GitHub's comment limit", async () => {
        fs.writeFileSync(path.join(dirPath, "comment.md"), "x".repeat(70000));
        const calls: Call[] = [];
        await runScript(script, env(), fakeGithub({ pr: pr("octo/keyless"), comments: [] }, calls));
        expect(String(calls[0][1].body).length).toBeLessThan(65536);
        expect(String(calls[0][1].body)).toContain("Truncated");
    });
});

describe("the drift issue step", () => {
    const script = scriptOf("drift.yml", "drift");
    const open = [{ number: 3, title: "Drift detected in prod" }, { number: 4, title: "Drift detected in prod", pull_request: {} }];

    it("opens an issue titled for the stack on the first drift", async () => {
        const calls: Call[] = [];
        await runScript(script, { STACK: "prod", OUTCOME: "failure" }, fakeGithub({ issues: [] }, calls));
        expect(calls.map((c) => c[0])).toEqual(["create"]);
        expect(calls[0][1]).toMatchObject({ title: "Drift detected in prod" });
        expect(String(calls[0][1].body)).toContain("https://github.com/octo/keyless/actions/runs/5");
    });

    it("comments on the open issue instead of opening another", async () => {
        const calls: Call[] = [];
        await runScript(script, { STACK: "prod", OUTCOME: "failure" }, fakeGithub({ issues: open }, calls));
        expect(calls.map((c) => [c[0], c[1].issue_number])).toEqual([["createComment", 3]]);
    });

    it("closes the open issue once the stack is clean, and does nothing when there is none", async () => {
        const calls: Call[] = [];
        await runScript(script, { STACK: "prod", OUTCOME: "success" }, fakeGithub({ issues: open }, calls));
        expect(calls.map((c) => [c[0], c[1].issue_number])).toEqual([["createComment", 3], ["update", 3]]);
        expect(calls[1][1]).toMatchObject({ state: "closed" });
        const none: Call[] = [];
        await runScript(script, { STACK: "dev", OUTCOME: "success" }, fakeGithub({ issues: open }, none));
        expect(none).toEqual([]);
    });
});
