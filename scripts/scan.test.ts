import { randomBytes, randomInt } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { parse as parseYaml } from "yaml";
import { main, scanFile, scanRepository } from "./scan";
import { SarifLogShape, validateSarif } from "./sarif-schema";

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const alnum = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join("");
const accountKey = () => randomBytes(64).toString("base64");
const password = () => `${alnum(14)}!${randomInt(10)}`;
/** The directive, assembled so that this file's own source holds none. */
const ALLOW = `${["keyless", "scan"].join("-")}: allow`;

function leaks(text: string, secret: string): boolean {
    for (let i = 0; i + 5 <= secret.length; i++) if (text.includes(secret.slice(i, i + 5))) return true;
    return false;
}

describe("scanFile", () => {
    it("reports file:line, kind and a masked value for a credential in TypeScript", () => {
        const key = accountKey();
        const text = `import * as x from "x";\n\nconst conn = "DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=${key}";\n`;
        const findings = scanFile("infra/storage/bad.ts", text);
        expect(findings).toEqual([expect.objectContaining({ file: "infra/storage/bad.ts", line: 3, kind: "storage-connection-string" })]);
        expect(findings[0].column).toBe(text.split("\n")[2].indexOf(key) + 1);
        expect(leaks(JSON.stringify(findings), key)).toBe(false);
    });

    it("honours an allow comment with a reason on the same line or the line above", () => {
        const key = accountKey();
        const same = `const k = "${key}"; // ${ALLOW} fixture for the storage key parser\n`;
        const above = `# ${ALLOW} sample payload documented by the vendor\nvalue: ${key}\n`;
        const block = `/* ${ALLOW} recorded response from the emulator */\nconst k = "${key}";\n`;
        expect(scanFile("a.ts", same)).toEqual([]);
        expect(scanFile(".github/a.yml", above)).toEqual([]);
        expect(scanFile("b.ts", block)).toEqual([]);
    });

    it("does not let an allow comment reach further than the next line", () => {
        const key = accountKey();
        const text = `// ${ALLOW} fixture for the parser\n\nconst k = "${key}";\n`;
        expect(scanFile("a.ts", text)).toEqual([expect.objectContaining({ line: 3, kind: "storage-account-key" })]);
    });

    it("reports an allow comment without a reason, and it allows nothing", () => {
        const key = accountKey();
        for (const comment of [`// ${ALLOW}`, `// ${ALLOW}   `, `// ${ALLOW}: -`, `/* ${ALLOW} */`]) {
            const findings = scanFile("a.ts", `const k = "${key}"; ${comment}\n`);
            expect(findings.map((f) => f.kind).sort()).toEqual(["allow-without-reason", "storage-account-key"]);
        }
        // Even with nothing to allow, a reasonless allow comment is a finding.
        expect(scanFile("b.ts", `// ${ALLOW}\nconst x = 1;\n`)).toEqual([expect.objectContaining({ line: 1, kind: "allow-without-reason" })]);
    });

    it("ignores the directive text outside a comment", () => {
        expect(scanFile("a.ts", `const doc = "${ALLOW}";\n`)).toEqual([]);
    });
});

describe("Pulumi YAML", () => {
    it("flags plaintext values under secret-looking config keys, but not secure: values", () => {
        const pw = "hunter2"; // short and weak: still a plaintext password in a stack file
        const yaml = [
            "config:",
            "  azure-native:location: westeurope",
            `  app:dbPassword: ${pw}`,
            "  app:apiKey:",
            `    secure: v1:${randomBytes(24).toString("base64")}:${randomBytes(64).toString("base64")}`,
            "  app:clientSecretName: app-client-secret",
            "  app:db:",
            "    host: pg-app.postgres.database.azure.com",
            `    password: "${password()}"`,
            "    adminToken:",
            "      secure: v1:AAAA",
            "",
        ].join("\n");
        const findings = scanFile("stacks/app/Pulumi.dev.yaml", yaml);
        expect(findings.map((f) => [f.line, f.kind])).toEqual([
            [3, "plaintext-config"],
            [9, "plaintext-config"],
        ]);
        expect(findings[0].masked).toBe("…(7 chars)");
    });

    it("reads a grant's secret: as the name of a vault secret, but still flags a credential there or outside a grant", () => {
        const yaml = [
            "config:",
            "  keyless:workloads:",
            "    - name: storefront",
            "      access:",
            "        - role: Key Vault Secrets User",
            "          vault: app-secrets",
            "          secret: stock-api-key",
            "        - role: Key Vault Secrets User",
            "          vault: app-secrets",
            `          secret: "${password()}"`,
            "  app:settings:",
            "    secret: stock-api-key",
            "",
        ].join("\n");
        expect(scanFile("Pulumi.dev.yaml", yaml).map((f) => [f.line, f.kind])).toEqual([
            [10, "plaintext-config"],
            [12, "plaintext-config"],
        ]);
    });

    it("flags a credential under any config key, and placeholders under secret keys pass", () => {
        const key = accountKey();
        const yaml = `config:\n  app:storageConnection: DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${key}\n  app:password: \${DB_PASSWORD}\n  app:token: "@Microsoft.KeyVault(VaultName=kv;SecretName=t)"\n`;
        expect(scanFile("Pulumi.prod.yaml", yaml).map((f) => [f.line, f.kind])).toEqual([[2, "storage-connection-string"]]);
    });

    it("does not read ciphertext in secure: values or Pulumi's own encryption fields as keys", () => {
        // 64 random bytes as base64 look exactly like a storage key; inside secure: they are ciphertext.
        const yaml = `secretsprovider: azurekeyvault://kv-app.vault.azure.net/keys/pulumi\nencryptedkey: ${accountKey()}\nconfig:\n  app:blob:\n    secure: ${accountKey()}\n`;
        expect(scanFile("Pulumi.dev.yaml", yaml)).toEqual([]);
        // The same value outside secure: is a finding.
        expect(scanFile("Pulumi.dev.yaml", `config:\n  app:blob: ${accountKey()}\n`)).toEqual([expect.objectContaining({ line: 2, kind: "storage-account-key" })]);
    });

    it("checks defaults in the project file, including keys declared secret", () => {
        const yaml = [
            "name: keyless",
            "runtime: nodejs",
            "config:",
            "  sqlAdminPassword:",
            "    type: string",
            `    default: ${password()}`,
            "  dbUser:",
            "    type: string",
            "    secret: true",
            "    default: app-user",
            "  location:",
            "    default: westeurope",
            "",
        ].join("\n");
        expect(scanFile("Pulumi.yaml", yaml).map((f) => [f.line, f.kind])).toEqual([
            [6, "plaintext-config"],
            [10, "plaintext-config"],
        ]);
    });

    it("still sees a credential in a YAML comment", () => {
        const token = `ghp_${alnum(36)}`;
        expect(scanFile("Pulumi.dev.yaml", `# old token ${token}\nconfig: {}\n`)).toEqual([expect.objectContaining({ line: 1, kind: "github-token" })]);
    });
});

/** A temporary git repository made for one test; removed afterwards. */
class TempRepo {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-scan-"));

    constructor(git = true) {
        if (git) this.git("init", "-q", "-b", "main");
    }

    git(...args: string[]): string {
        return execFileSync("git", ["-C", this.root, "-c", "user.name=Test", "-c", "user.email=test@example.test", "-c", "commit.gpgsign=false", ...args], { encoding: "utf8" });
    }

    write(rel: string, text: string | Buffer): void {
        const file = path.join(this.root, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    }

    commit(message: string): string {
        this.git("add", "-A");
        this.git("commit", "-q", "-m", message);
        return this.git("rev-parse", "HEAD").trim();
    }

    run(args: string[]) {
        const out: string[] = [];
        const err: string[] = [];
        const code = main(args, this.root, (s) => out.push(s), (s) => err.push(s));
        return { code, out: out.join("\n"), err: err.join("\n") };
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

describe("scanRepository", () => {
    let repo: TempRepo;
    beforeEach(() => (repo = new TempRepo()));
    afterEach(() => repo.remove());

    it("scans every file git tracks, whatever its type", () => {
        const token = `ghp_${alnum(36)}`;
        repo.write(".env", `DB_PASSWORD=${password()}\n`);
        repo.write("config/app.json", `{"storage": "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${accountKey()}"}\n`);
        repo.write("Dockerfile", `FROM node:20\nENV GITHUB_TOKEN=${token}\n`);
        repo.write("deploy.sh", `#!/bin/sh\ncurl -u deploy:${password()} https://ci.internal.test/hook\n`);
        repo.write("k8s/secret.yaml", `apiVersion: v1\nkind: Secret\nstringData:\n  apiKey: ${alnum(32)}\n`);
        repo.write("index.ts", 'export const region = "westeurope";\n');
        repo.commit("add files");
        const result = scanRepository(repo.root);
        expect(result.files).toEqual([".env", "Dockerfile", "config/app.json", "deploy.sh", "index.ts", "k8s/secret.yaml"]);
        expect(result.findings.map((f) => `${f.file}:${f.line} ${f.kind}`)).toEqual([
            ".env:1 generic-secret",
            "Dockerfile:2 github-token",
            "config/app.json:1 storage-connection-string",
            "deploy.sh:2 http-credentials",
            "k8s/secret.yaml:4 generic-secret",
        ]);
    });

    it("adds untracked files only with --untracked, and never what .gitignore excludes", () => {
        repo.write(".gitignore", "local.env\n");
        repo.commit("ignore");
        repo.write("new.env", `API_TOKEN=${alnum(32)}\n`);
        repo.write("local.env", `API_TOKEN=${alnum(32)}\n`);
        expect(scanRepository(repo.root).files).toEqual([".gitignore"]);
        const withUntracked = scanRepository(repo.root, [], { untracked: true });
        expect(withUntracked.files).toEqual([".gitignore", "new.env"]);
        expect(withUntracked.findings.map((f) => f.file)).toEqual(["new.env"]);
    });

    it("skips binary files, even with a key inside", () => {
        repo.write("logo.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(`AccountKey=${accountKey()}`)]));
        repo.write("notes.txt", "nothing here\n");
        repo.commit("binary");
        expect(scanRepository(repo.root)).toEqual({ files: ["notes.txt"], findings: [] });
    });

    it("scans only the given directories and files", () => {
        repo.write("infra/bad.ts", `const k = "${accountKey()}";\n`);
        repo.write("docs/key.md", `key: ${accountKey()}\n`);
        repo.write("other/bad.ts", `const k = "${accountKey()}";\n`);
        repo.commit("files");
        expect(scanRepository(repo.root, ["infra"]).findings.map((f) => f.file)).toEqual(["infra/bad.ts"]);
        expect(scanRepository(repo.root, ["docs/key.md", "infra/"]).findings.map((f) => f.file)).toEqual(["docs/key.md", "infra/bad.ts"]);
        expect(() => scanRepository(repo.root, ["missing"])).toThrow(/missing: no such file/);
    });

    it("outside git, walks every file but dependencies, build output and dot directories other than .github", () => {
        const plain = new TempRepo(false);
        try {
            plain.write("README.md", `key: ${accountKey()}\n`);
            plain.write(".github/workflows/x.yml", "on: push\n");
            for (const dir of ["node_modules/pkg", "bin", ".vscode"]) plain.write(`${dir}/index.ts`, `export const k = "${accountKey()}";\n`);
            const result = scanRepository(plain.root);
            expect(result.files).toEqual([".github/workflows/x.yml", "README.md"]);
            expect(result.findings.map((f) => f.file)).toEqual(["README.md"]);
        } finally {
            plain.remove();
        }
    });
});

describe("scan --history", () => {
    let repo: TempRepo;
    beforeEach(() => (repo = new TempRepo()));
    afterEach(() => repo.remove());

    it("finds a secret that was added and later removed, naming the commit that added it", () => {
        const key = accountKey();
        repo.write("app.json", '{"name": "app"}\n');
        repo.commit("start");
        repo.write("app.json", `{"name": "app",\n "storageKey": "${key}"}\n`);
        const added = repo.commit("add key");
        repo.write("app.json", '{"name": "app"}\n');
        repo.commit("remove key");
        expect(repo.run([]).code).toBe(0);
        const { code, out } = repo.run(["--history"]);
        expect(code).toBe(1);
        expect(out.split("\n")).toEqual([expect.stringMatching(new RegExp(`^${added.slice(0, 12)}:app\\.json:2  storage-account-key  `)), "scanned 3 commits, 1 finding"]);
        expect(leaks(out, key)).toBe(false);
        const json = JSON.parse(repo.run(["--history", "--format", "json"]).out) as { findings: { commit: string }[] };
        expect(json.findings[0].commit).toBe(added);
    });

    it("reads every branch, and skips binary files in history", () => {
        repo.write("a.txt", "a\n");
        repo.commit("start");
        repo.git("checkout", "-q", "-b", "feature");
        repo.write("b.bin", Buffer.concat([Buffer.from([0]), Buffer.from(`AccountKey=${accountKey()}`)]));
        repo.write("c.env", `API_TOKEN=${alnum(32)}\n`);
        repo.commit("feature work");
        repo.git("checkout", "-q", "main");
        expect(repo.run(["--history", "--json"]).out).toContain('"file": "c.env"');
        expect(repo.run(["--history", "--json"]).out).not.toContain("b.bin");
    });
});

describe("scan --baseline", () => {
    let repo: TempRepo;
    beforeEach(() => (repo = new TempRepo()));
    afterEach(() => repo.remove());

    it("records existing findings by fingerprint, never by value, and then fails only on new ones", () => {
        const old = alnum(32);
        repo.write("config.env", `API_TOKEN=${old}\n`);
        repo.commit("old secret");
        expect(repo.run(["--baseline", "scan-baseline.json", "--update-baseline"])).toMatchObject({ code: 0, out: "wrote 1 finding to scan-baseline.json" });
        const baselineText = fs.readFileSync(path.join(repo.root, "scan-baseline.json"), "utf8");
        expect(leaks(baselineText, old)).toBe(false);
        expect(JSON.parse(baselineText)).toEqual({ version: 1, findings: [{ fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), file: "config.env", line: 1, kind: "generic-secret" }] });

        expect(repo.run(["--baseline", "scan-baseline.json"])).toMatchObject({ code: 0, out: expect.stringMatching(/no findings \(1 more in the baseline\)$/) });
        // Moving the accepted secret down the file keeps it accepted; a new secret fails the scan.
        const fresh = alnum(32);
        repo.write("config.env", `# settings\nLOG_LEVEL=info\nAPI_TOKEN=${old}\nOTHER_TOKEN=${fresh}\n`);
        const { code, out } = repo.run(["--baseline", "scan-baseline.json"]);
        expect(code).toBe(1);
        expect(out.split("\n")).toEqual([expect.stringMatching(/^config\.env:4  generic-secret/), "scanned 1 files, 1 finding (1 more in the baseline)"]);
    });

    it("exits 2 with a clear message on a missing or malformed baseline", () => {
        repo.write("a.txt", "a\n");
        expect(repo.run(["--baseline", "none.json"])).toMatchObject({ code: 2, err: expect.stringMatching(/none\.json: not a readable baseline .*--update-baseline/) });
        repo.write("bad.json", '{"version": 1, "findings": [{"fingerprint": "secret-value"}]}');
        expect(repo.run(["--baseline", "bad.json"])).toMatchObject({ code: 2, err: expect.stringMatching(/bad\.json: expected \{"version": 1/) });
    });
});

describe("main", () => {
    let repo: TempRepo;
    beforeEach(() => {
        repo = new TempRepo();
        repo.write("index.ts", 'export const region = "westeurope";\n');
        repo.commit("start");
    });
    afterEach(() => repo.remove());

    it("exits 0 with a one-line summary when clean", () => {
        expect(repo.run([])).toEqual({ code: 0, out: "scanned 1 files, no findings", err: "" });
    });

    it("exits 1 and prints file:line  kind  masked per finding", () => {
        const key = accountKey();
        repo.write("bad.ts", `\nexport const k = "${key}";\n`);
        repo.commit("bad");
        const { code, out } = repo.run([]);
        expect(code).toBe(1);
        const [line, summary] = out.split("\n");
        expect(line).toMatch(new RegExp(`^bad\\.ts:2  storage-account-key  ${key.slice(0, 4).replace(/[+/]/g, "\\$&")}…\\(88 chars\\)  \\(`));
        expect(summary).toBe("scanned 2 files, 1 finding");
        expect(leaks(out, key)).toBe(false);
    });

    it("prints JSON with --format json (and --json)", () => {
        repo.write("bad.ts", `export const k = "${accountKey()}";\n`);
        repo.commit("bad");
        for (const args of [["--json"], ["--format", "json"], ["--format=json"]]) {
            const { code, out } = repo.run(args);
            expect(code).toBe(1);
            const parsed = JSON.parse(out) as { scanned: number; findings: { file: string; line: number; kind: string }[] };
            expect(parsed.scanned).toBe(2);
            expect(parsed.findings).toEqual([expect.objectContaining({ file: "bad.ts", line: 1, kind: "storage-account-key", fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
        }
    });

    it("prints SARIF 2.1.0 that the official schema accepts, without the secret", async () => {
        const key = accountKey();
        const token = `ghp_${alnum(36)}`;
        repo.write("src/bad file.ts", `export const k = "${key}";\nexport const t = "${token}";\n`);
        repo.commit("bad");
        const { code, out } = repo.run(["--format", "sarif"]);
        expect(code).toBe(1);
        const log = JSON.parse(out) as SarifLogShape;
        expect(validateSarif(log)).toEqual([]);
        expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(["github-token", "storage-account-key"]);
        expect(log.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine])).toEqual([
            ["storage-account-key", "src/bad%20file.ts", 1],
            ["github-token", "src/bad%20file.ts", 2],
        ]);
        expect(leaks(out, key) || leaks(out, token)).toBe(false);
    });

    it("exits 2 on an unknown option, a bad format, a missing path or conflicting options", () => {
        expect(repo.run(["--nope"]).code).toBe(2);
        expect(repo.run(["--format", "xml"])).toMatchObject({ code: 2, err: expect.stringMatching(/--format: expected one of text, json, sarif, got "xml"/) });
        expect(repo.run(["missing.ts"])).toMatchObject({ code: 2, err: "scan: missing.ts: no such file or directory" });
        expect(repo.run(["--update-baseline"])).toMatchObject({ code: 2, err: expect.stringMatching(/--update-baseline needs --baseline FILE/) });
        expect(repo.run(["--history", "src"])).toMatchObject({ code: 2, err: expect.stringMatching(/--history reads every commit/) });
    });
});

describe(".pre-commit-hooks.yaml", () => {
    it("declares hooks that run this repository's scan script, staged files before a commit and history before a push", () => {
        const repoRoot = path.resolve(__dirname, "..");
        const hooks = parseYaml(fs.readFileSync(path.join(repoRoot, ".pre-commit-hooks.yaml"), "utf8")) as { id: string; entry: string; language: string; pass_filenames: boolean; stages?: string[] }[];
        const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        expect(scripts.scan).toMatch(/scripts\/scan\.ts$/);
        expect(hooks.map((h) => [h.id, h.entry, h.language, h.pass_filenames])).toEqual([
            ["keyless-scan", "npm run --silent scan --", "system", true],
            ["keyless-scan-history", "npm run --silent scan -- --history", "system", false],
        ]);
        expect(hooks[1].stages).toEqual(["pre-push"]);
    });
});

describe("this repository's detector and scanner sources", () => {
    it("hold no literal secrets", () => {
        const repo = path.resolve(__dirname, "..");
        const result = scanRepository(repo, ["detect", "scripts/scan.ts", "scripts/scan.test.ts"]);
        expect(result.files.length).toBeGreaterThanOrEqual(8);
        expect(result.findings).toEqual([]);
    });
});

describe("the plain git hook in docs/secret-scanning.md", () => {
    const repoRoot = path.resolve(__dirname, "..");
    /** The hook exactly as the docs give it: the sh block after "Save as `.git/hooks/pre-commit`". */
    const hookFromDocs = () => {
        const doc = fs.readFileSync(path.join(repoRoot, "docs", "secret-scanning.md"), "utf8");
        const after = doc.slice(doc.indexOf("Save as `.git/hooks/pre-commit`"));
        const m = /```sh\n([\s\S]*?)```/.exec(after);
        if (!m) throw new Error("docs/secret-scanning.md: no sh block after the pre-commit hook instructions");
        return m[1];
    };

    it("aborts a commit that stages a secret and lets a clean one through", () => {
        const repo = new TempRepo();
        try {
            // A project whose `npm run scan` is this repository's scanner.
            const scan = `node -r ${JSON.stringify(require.resolve("ts-node/register/transpile-only"))} ${JSON.stringify(path.join(repoRoot, "scripts", "scan.ts"))}`;
            repo.write("package.json", JSON.stringify({ name: "hooked", private: true, scripts: { scan } }));
            repo.write(".git/hooks/pre-commit", hookFromDocs());
            fs.chmodSync(path.join(repo.root, ".git/hooks/pre-commit"), 0o755);
            const env = { ...process.env, TS_NODE_PROJECT: path.join(repoRoot, "tsconfig.json") };
            const commit = (message: string) => {
                try {
                    execFileSync("git", ["-C", repo.root, "-c", "user.name=Test", "-c", "user.email=test@example.test", "commit", "-q", "-m", message], { env, encoding: "utf8", stdio: "pipe" });
                    return { ok: true, output: "" };
                } catch (e) {
                    const err = e as { stdout?: string; stderr?: string };
                    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
                }
            };
            repo.git("add", "package.json");
            expect(commit("clean")).toEqual({ ok: true, output: "" });
            const key = accountKey();
            repo.write("settings file.json", `{"storageKey": "${key}"}\n`);
            repo.git("add", "settings file.json");
            const blocked = commit("leak");
            expect(blocked.ok).toBe(false);
            expect(blocked.output).toMatch(/settings file\.json:1 {2}storage-account-key/);
            expect(leaks(blocked.output, key)).toBe(false);
            expect(repo.git("log", "--format=%s").trim()).toBe("clean");
        } finally {
            repo.remove();
        }
    });
});
