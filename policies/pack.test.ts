import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PackConfig, ruleEntry } from "./lib/config";
import { isStackRule, KeylessRule, levels, services } from "./lib/types";
import { allRules } from "./rules";

const packDir = __dirname;
const rulesDir = path.join(packDir, "rules");

/** Every rule file: rules/<service>/<rule-name>.ts, tests and the barrel excluded. */
function ruleFiles(): string[] {
    return fs
        .readdirSync(rulesDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((dir) =>
            fs
                .readdirSync(path.join(rulesDir, dir.name))
                .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
                .map((file) => path.join(rulesDir, dir.name, file)),
        );
}

function rulesIn(file: string): KeylessRule[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    return Object.values(exports).filter(
        (value): value is KeylessRule =>
            value !== null && typeof value === "object" && typeof (value as KeylessRule).name === "string" && ("check" in value || "checkStack" in value),
    );
}


describe("pack structure", () => {
    it("the entry imports no provider SDK and only assembles rules", () => {
        const entry = fs.readFileSync(path.join(packDir, "index.ts"), "utf8");
        expect(entry).not.toMatch(/@pulumi\/azure-native/);
        expect(entry).toMatch(/new PolicyPack\("keyless"/);
    });

    it("no pack source loads @pulumi/azure-native (the engine type-checks everything the pack imports)", () => {
        const sources = [path.join(packDir, "index.ts"), ...fs.readdirSync(path.join(packDir, "lib")).map((f) => path.join(packDir, "lib", f)), ...ruleFiles()];
        for (const file of sources.filter((f) => f.endsWith(".ts"))) {
            expect({ file, imports: /from\s+["']@pulumi\/azure-native/.test(fs.readFileSync(file, "utf8")) }).toEqual({ file, imports: false });
        }
    });

    it("ships PulumiPolicy.yaml for the Node.js runtime and a strict tsconfig that covers the rules", () => {
        expect(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
        const tsconfig = JSON.parse(fs.readFileSync(path.join(packDir, "tsconfig.json"), "utf8")) as { compilerOptions: { strict: boolean }; include: string[] };
        expect(tsconfig.compilerOptions.strict).toBe(true);
        expect(tsconfig.include).toEqual(expect.arrayContaining(["index.ts", "rules/**/*.ts", "lib/**/*.ts"]));
    });

    it("keeps one rule a file, under a known service folder, named after the rule", () => {
        const files = ruleFiles();
        expect(files.length).toBe(allRules.length);
        for (const file of files) {
            const rules = rulesIn(file);
            expect({ file, count: rules.length }).toEqual({ file, count: 1 });
            expect(path.basename(file, ".ts")).toBe(rules[0].name);
            expect(services).toContain(path.basename(path.dirname(file)));
            // Selection by service reads the rule's own field, so it must name the folder the rule lives in.
            expect(rules[0].service).toBe(path.basename(path.dirname(file)));
        }
    });

    it("registers every rule file in the pack", () => {
        const fromFiles = ruleFiles().flatMap(rulesIn);
        expect(new Set(allRules)).toEqual(new Set(fromFiles));
    });

    it.each(allRules.map((rule) => [rule.name, rule]))("%s has complete metadata", (_name, rule) => {
        expect(rule.name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(rule.description.length).toBeGreaterThan(20);
        expect(["critical", "high", "medium", "low"]).toContain(rule.severity);
        expect(rule.remediation.length).toBeGreaterThan(20);
        expect(levels).toContain(rule.defaultLevel);
        expect(rule.justification.length).toBeGreaterThan(20);
        expect(typeof rule.anchors).toBe("object");
        for (const builtin of rule.builtins) {
            expect(builtin.id).toMatch(/^[0-9a-z]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            expect(builtin.displayName.length).toBeGreaterThan(10);
            expect([undefined, "partial"]).toContain(builtin.coverage);
        }
        expect(rule.mcsb.length).toBeGreaterThan(0);
        for (const control of rule.mcsb) {
            expect(control).toMatch(/^(NS|IM|PA|DP|AM|LT|IR|PV|ES|BR|DS|GS)-\d+$/);
        }
        expect(rule.defaultLevel).not.toBe("remediate");
        for (const list of [rule.anchors.checkov, rule.anchors.psrule]) {
            expect(list === undefined || (Array.isArray(list) && list.every((id) => typeof id === "string" && id.length > 0))).toBe(true);
        }
        for (const id of rule.anchors.checkov ?? []) {
            expect(id).toMatch(/^CKV2?_AZURE_\d+$/);
        }
        for (const id of rule.anchors.psrule ?? []) {
            expect(id).toMatch(/^Azure\.[A-Za-z]+\.[A-Za-z0-9]+$/);
        }
        if (isStackRule(rule)) {
            expect(typeof rule.checkStack).toBe("function");
        } else {
            expect(typeof rule.check).toBe("function");
            for (const type of rule.resourceTypes ?? []) {
                expect(type).toMatch(/^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$|\*$/);
            }
        }
    });

    it("has unique rule names", () => {
        const names = allRules.map((rule) => rule.name);
        expect(new Set(names).size).toBe(names.length);
    });

    it.each(["config.dev.json", "config.prod.json"])("%s names real rules with valid levels and config", (file) => {
        const config = JSON.parse(fs.readFileSync(path.join(packDir, file), "utf8")) as PackConfig;
        for (const [name, entry] of Object.entries(config)) {
            expect(allRules.map((rule) => rule.name)).toContain(name);
            expect(() => ruleEntry(name, entry)).not.toThrow();
        }
    });

    it("keeps Key Vault network deny advisory in dev and mandatory in prod", () => {
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(packDir, file), "utf8")) as PackConfig;
        expect(ruleEntry("keyvault-network-deny-by-default", read("config.dev.json")["keyvault-network-deny-by-default"]).level).toBe("advisory");
        expect(ruleEntry("keyvault-network-deny-by-default", read("config.prod.json")["keyvault-network-deny-by-default"]).level).toBe("mandatory");
    });

    it("documents every rule in the README's table", () => {
        const readme = fs.readFileSync(path.join(packDir, "README.md"), "utf8");
        const documented = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| /gm)].map((match) => match[1]);
        expect(documented.sort()).toEqual(allRules.map((rule) => rule.name).sort());
    });

    it("publishes as its own npm package: versioned, not private, with the rules and without tests or test helpers", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as {
            private?: boolean;
            version: string;
            main: string;
            dependencies: Record<string, string>;
        };
        expect(manifest.private).toBeUndefined();
        expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
        // The engine type-checks a TypeScript pack with ts-node as it loads it, so these are runtime dependencies.
        expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(["@pulumi/policy", "typescript", "ts-node", "@types/node", "@keyless/detect"]));
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const [packed] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: packDir, encoding: "utf8" })) as { files: { path: string }[] }[];
        const files = packed.files.map((file) => file.path).sort();
        const sources = [
            "index.ts",
            "select.ts",
            ...fs.readdirSync(path.join(packDir, "lib")).map((file) => `lib/${file}`),
            ...ruleFiles().map((file) => path.relative(packDir, file).split(path.sep).join("/")),
            "rules/index.ts",
        ].filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
        // Test helpers live in testing/, which the package leaves out.
        expect(files.filter((file) => file.startsWith("testing/"))).toEqual([]);
        expect(files).toEqual(
            [...sources, "PulumiPolicy.yaml", "README.md", "CHANGELOG.md", "package.json", "tsconfig.json", "config.dev.json", "config.prod.json", "builtin-reasons.json"].sort(),
        );
        expect(fs.readFileSync(path.join(packDir, manifest.main), "utf8")).toMatch(/new PolicyPack\(/);
        expect(fs.readFileSync(path.join(packDir, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version}`);
    }, 60_000);
});

