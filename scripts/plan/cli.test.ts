import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProcessRun, runProcess } from "../../infra/testing/process";
import { ConfigError } from "../../stacks/config";
import { loadStackFile } from "../../offline/stackFile";
import { checkStackConfig } from "./run";
import { planProblems } from "./schema";

// `npm run plan` as CI runs it: ts-node --swc scripts/plan.ts, stack files from a temp dir via --root.
const repoRoot = path.join(__dirname, "..", "..");
const tsNode = require.resolve("ts-node/dist/bin.js");

function plan(args: string[]): Promise<ProcessRun> {
    return runProcess(process.execPath, [tsNode, "--swc", path.join(repoRoot, "scripts", "plan.ts"), ...args], {
        cwd: repoRoot,
        env: { ...process.env, KEYLESS_DEBUG: "" },
    });
}

/** A one-workload stack: a web app on its system-assigned identity with one plain app setting. */
function webAppStack(settingName: string, value: string): string {
    return [
        "config:",
        "  keyless:environment: test",
        "  keyless:location: westeurope",
        "  keyless:network:",
        "    addressSpace: 10.30.0.0/16",
        "    subnets:",
        "      apps:",
        "        addressPrefix: 10.30.1.0/24",
        "        delegation: Microsoft.Web/serverFarms",
        "  keyless:workloads:",
        "    - name: greeter",
        "      kind: webApp",
        "      identity:",
        "        systemAssigned: true",
        "      settings:",
        `        ${settingName}: ${JSON.stringify(value)}`,
        "",
    ].join("\n");
}

/** A web app on a user-assigned identity that holds `role` on a vault. */
function vaultGrantStack(role: string): string {
    return [
        "config:",
        "  keyless:environment: test",
        "  keyless:location: westeurope",
        "  keyless:network:",
        "    addressSpace: 10.30.0.0/16",
        "    subnets:",
        "      apps:",
        "        addressPrefix: 10.30.1.0/24",
        "        delegation: Microsoft.Web/serverFarms",
        "  keyless:vaults:",
        "    app-secrets: {}",
        "  keyless:identities:",
        "    greeter: {}",
        "  keyless:workloads:",
        "    - name: greeter",
        "      kind: webApp",
        "      subnet: apps",
        "      identity:",
        "        userAssigned: [greeter]",
        "      access:",
        `        - role: ${role}`,
        "          vault: app-secrets",
        "",
    ].join("\n");
}

/** A GitHub token shape, built from random bytes at test time so that no token-like literal sits in the repository. */
function randomGitHubToken(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const body = [...randomBytes(36)].map((byte) => alphabet[byte % alphabet.length]).join("");
    return ["gh", "p_", body].join("");
}

const noStackTrace = /\n\s+at .+:\d+:\d+/;
let dir: string;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-plan-"));
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run plan", () => {
    it("exits 1 when a mandatory policy rule fails, with clean JSON on stdout", async () => {
        // A workload granted Key Vault Administrator: the config and the components accept it (it is a catalog role
        // on its own kind of scope), and the pack's keyvault-admin-to-workload rule flags it. The rule is advisory by
        // default, because the deploy identity needs such a role; a team that wants it to block raises it to
        // mandatory in its policy config, as `pulumi preview --policy-pack-config` would.
        fs.writeFileSync(path.join(dir, "Pulumi.planted.yaml"), vaultGrantStack("Key Vault Administrator"));
        const advisory = await plan(["--root", dir, "--stack", "planted", "--format", "json"]);
        expect(advisory.stderr).not.toMatch(noStackTrace);
        expect(advisory.code).toBe(0);
        const finding = { rule: "keyvault-admin-to-workload", resource: "greeter-grants-key-vault-administrator-vault-app-secrets" };
        // Rules whose fix needs network infrastructure (public network access, VNet integration) are advisory too.
        const violations = JSON.parse(advisory.stdout).policy.violations as { level: string; rule: string }[];
        expect(violations.filter((v) => v.rule === finding.rule)).toEqual([expect.objectContaining({ ...finding, level: "advisory" })]);
        expect(violations.filter((v) => v.level !== "advisory")).toEqual([]);
        // The app runs in the subnet the vault admits: the grant has a network path, so only its role is at fault.
        expect(violations.filter((v) => v.rule === "grants-reachable")).toEqual([]);

        const policyConfig = path.join(dir, "policy.json");
        fs.writeFileSync(policyConfig, JSON.stringify({ "keyvault-admin-to-workload": { enforcementLevel: "mandatory" } }));
        const mandatory = await plan(["--root", dir, "--stack", "planted", "--format", "json", "--policy-config", policyConfig]);
        expect(mandatory.code).toBe(1);
        const document = JSON.parse(mandatory.stdout);
        expect(planProblems(document)).toEqual([]);
        expect(document.policy.violations.filter((violation: { level: string }) => violation.level === "mandatory")).toEqual([expect.objectContaining({ ...finding, level: "mandatory" })]);
        expect(document.grants).toEqual([expect.objectContaining({ identity: "greeter", role: "Key Vault Administrator", scope: expect.objectContaining({ name: "app-secrets" }) })]);
        expect(mandatory.stderr).toContain("1 mandatory policy violation: exit code 1.");
    });

    it("exits 2 on a malformed stack file, with the stack file's message and no stack trace", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  keyless:environment: dev\n   keyless:location: [westeurope\n");
        const result = await plan(["--root", dir, "--stack", "broken"]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(/^Malformed stack file Pulumi\.broken\.yaml at line \d+, column \d+: /);
        expect(result.stderr).not.toMatch(noStackTrace);
    });

    it("exits 2 on invalid config, passing the config module's message through unchanged, secrets masked", async () => {
        // A GitHub token pasted into an app setting under a harmless name, and a subnet that does not exist: the
        // config module refuses both before anything is declared.
        const token = randomGitHubToken();
        fs.writeFileSync(path.join(dir, "Pulumi.typo.yaml"), webAppStack("GREETING", token).replace("kind: webApp", "kind: webApp\n      subnet: missing"));
        let expected = "";
        try {
            checkStackConfig(loadStackFile(dir, "typo"));
        } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expected = (error as ConfigError).message;
        }
        expect(expected).toContain("keyless.workloads[greeter].subnet");
        expect(expected).toContain("keyless.workloads[greeter].settings.GREETING");
        const result = await plan(["--root", dir, "--stack", "typo"]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr.trim()).toBe(expected);
        expect(result.stderr).not.toContain(token.slice(4));
        expect(result.stderr).not.toMatch(noStackTrace);
    });

    it("exits 2 on an unknown stack or a bad option, naming what is expected", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.only.yaml"), webAppStack("GREETING", "hello"));
        const unknown = await plan(["--root", dir, "--stack", "nope"]);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr.trim()).toBe('Unknown stack "nope": Pulumi.nope.yaml does not exist. Expected one of: only.');
        const badFormat = await plan(["--format", "yaml"]);
        expect(badFormat.code).toBe(2);
        expect(badFormat.stderr.trim()).toBe('Option --format must be one of text, json, markdown, sarif; got "yaml".');
        expect(badFormat.stdout).toBe("");
    });
});
