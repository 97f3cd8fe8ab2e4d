import { randomBytes, randomInt } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listFiles, main, scanFile, scanRepository } from "./scan";

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

describe("scanRepository", () => {
    let root: string;
    const write = (rel: string, text: string) => {
        const file = path.join(root, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-scan-"));
        write("index.ts", 'export const region = "westeurope";\n');
        write("Pulumi.yaml", "name: keyless\nruntime: nodejs\n");
        write("stacks/app/Pulumi.dev.yaml", "config:\n  azure-native:location: westeurope\n");
        write(".github/workflows/deploy.yml", "env:\n  ARM_CLIENT_SECRET: ${{ secrets.ARM_CLIENT_SECRET }}\n");
        write("README.md", `key: ${accountKey()}\n`);
        write("node_modules/pkg/index.ts", `export const k = "${accountKey()}";\n`);
        write("bin/index.ts", `export const k = "${accountKey()}";\n`);
        write(".vscode/settings.ts", `export const k = "${accountKey()}";\n`);
        write(".github/logo.png", "\u0000PNG binary");
    });

    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("walks TypeScript, Pulumi YAML and .github, skipping node_modules, bin and other files", () => {
        expect(listFiles(root)).toEqual([".github/logo.png", ".github/workflows/deploy.yml", "Pulumi.yaml", "index.ts", "stacks/app/Pulumi.dev.yaml"]);
        const result = scanRepository(root);
        expect(result.files).toEqual([".github/workflows/deploy.yml", "Pulumi.yaml", "index.ts", "stacks/app/Pulumi.dev.yaml"]);
        expect(result.findings).toEqual([]);
    });

    it("finds credentials in each kind of file", () => {
        write("infra/web/app.ts", `const token = "ghp_${alnum(36)}";\n`);
        write(".github/workflows/deploy.yml", `env:\n  SLACK_WEBHOOK: https://hooks.slack.com/services/T${alnum(9).toUpperCase()}/B${alnum(9).toUpperCase()}/${alnum(24)}\n`);
        write("stacks/app/Pulumi.dev.yaml", `config:\n  app:adminPassword: ${["Winter", "2024"].join("")}\n`);
        const found = scanRepository(root).findings.map((f) => `${f.file}:${f.line} ${f.kind}`);
        expect(found).toEqual([".github/workflows/deploy.yml:2 slack-token", "infra/web/app.ts:1 github-token", "stacks/app/Pulumi.dev.yaml:2 plaintext-config"]);
    });

    it("scans only the given paths, files whatever their type", () => {
        write("infra/bad.ts", `const k = "${accountKey()}";\n`);
        expect(scanRepository(root, ["README.md"]).findings.map((f) => f.file)).toEqual(["README.md"]);
        expect(scanRepository(root, ["infra"]).findings.map((f) => f.file)).toEqual(["infra/bad.ts"]);
        expect(() => scanRepository(root, ["missing"])).toThrow(/missing: no such file/);
    });
});

describe("main", () => {
    let root: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-scan-"));
        fs.writeFileSync(path.join(root, "index.ts"), 'export const region = "westeurope";\n');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    function run(args: string[]) {
        const out: string[] = [];
        const err: string[] = [];
        const code = main(args, root, (s) => out.push(s), (s) => err.push(s));
        return { code, out: out.join("\n"), err: err.join("\n") };
    }

    it("exits 0 with a one-line summary when clean", () => {
        expect(run([])).toEqual({ code: 0, out: "scanned 1 files, no findings", err: "" });
    });

    it("exits 1 and prints file:line  kind  masked per finding", () => {
        const key = accountKey();
        fs.writeFileSync(path.join(root, "bad.ts"), `\nexport const k = "${key}";\n`);
        const { code, out } = run([]);
        expect(code).toBe(1);
        const [line, summary] = out.split("\n");
        expect(line).toMatch(new RegExp(`^bad\\.ts:2  storage-account-key  ${key.slice(0, 4).replace(/[+/]/g, "\\$&")}…\\(88 chars\\)  \\(`));
        expect(summary).toBe("scanned 2 files, 1 finding");
        expect(leaks(out, key)).toBe(false);
    });

    it("prints JSON with --json", () => {
        fs.writeFileSync(path.join(root, "bad.ts"), `export const k = "${accountKey()}";\n`);
        const { code, out } = run(["--json"]);
        expect(code).toBe(1);
        const parsed = JSON.parse(out) as { scanned: number; findings: { file: string; line: number; kind: string }[] };
        expect(parsed.scanned).toBe(2);
        expect(parsed.findings).toEqual([expect.objectContaining({ file: "bad.ts", line: 1, kind: "storage-account-key" })]);
    });

    it("exits 2 on an unknown option or a missing path", () => {
        expect(run(["--nope"]).code).toBe(2);
        expect(run(["missing.ts"])).toMatchObject({ code: 2, err: "scan: missing.ts: no such file or directory" });
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
