import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { evaluatedResources } from "../../offline/evaluate";
import { runUnderMocks } from "../../offline/mocks";
import { PackConfig } from "../../policies/lib/config";
import { evaluateResources } from "../../policies/lib/evaluate";
import { repoRoot } from "./stage";

const templateDir = path.join(repoRoot, "templates", "keyless-web-app");
const project = "shop-web";

interface TemplateProject {
    name: string;
    template: { config: Record<string, { description: string; default: string }> };
}

const manifest = YAML.parse(fs.readFileSync(path.join(templateDir, "Pulumi.yaml"), "utf8")) as TemplateProject;

/** The stack config `pulumi new` writes from the prompts: unqualified keys belong to the new project. */
function stackConfig(answers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(answers).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value]));
}

const defaults = Object.fromEntries(Object.entries(manifest.template.config).map(([key, entry]) => [key, entry.default]));

async function newStack(answers: Record<string, string>) {
    return runUnderMocks(
        () => {
            jest.isolateModules(() => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                require(path.join(templateDir, "index.ts"));
            });
        },
        { project, stack: answers.environment, config: stackConfig(answers) },
    );
}

/** The pack's levels: its defaults (no config), or one of the config files it ships. */
function packConfig(levels: string): PackConfig {
    return levels === "default" ? {} : (JSON.parse(fs.readFileSync(path.join(repoRoot, "policies", levels), "utf8")) as PackConfig);
}

describe("pulumi new template (templates/keyless-web-app)", () => {
    it("prompts for the location, the environment and the operators' IP range, and names the project after the answer", () => {
        expect(manifest.name).toBe("${PROJECT}");
        expect(Object.keys(manifest.template.config).sort()).toEqual(["azure-native:location", "environment", "operatorIpRange"]);
        for (const entry of Object.values(manifest.template.config)) {
            expect(entry.description.length).toBeGreaterThan(10);
        }
    });

    // config.prod.json makes public network access mandatory, which needs private endpoints; the template's vault is
    // reached through its firewall from the operators' range instead.
    it.each([
        ["dev", "default"],
        ["prod", "default"],
        ["dev", "config.dev.json"],
    ])("a %s stack from the defaults passes the pack with no mandatory finding (%s levels)", async (environment, levels) => {
        const run = await newStack({ ...defaults, environment });
        const findings = evaluateResources(evaluatedResources(run.resources.filter((resource) => resource.custom)), packConfig(levels));
        expect(findings.filter((finding) => finding.level === "mandatory")).toEqual([]);
        expect(run.resources.map((resource) => resource.type)).toEqual(expect.arrayContaining(["azure-native:web:WebApp", "azure-native:keyvault:Vault"]));
        const vault = run.resources.find((resource) => resource.type === "azure-native:keyvault:Vault");
        expect(JSON.stringify(vault?.inputs)).toContain(defaults.operatorIpRange);
    });

    it("refuses an environment it does not know, naming the key and the values it accepts", async () => {
        await expect(newStack({ ...defaults, environment: "staging" })).rejects.toThrow(/environment is "staging"; expected one of dev, test, prod/);
    });
});
