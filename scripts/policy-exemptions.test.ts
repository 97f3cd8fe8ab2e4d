import * as fs from "fs";
import * as path from "path";
import { evaluatedResources } from "../offline/evaluate";
import { sharedStackRun } from "../stacks/testing/sharedRuns";
import { PackConfig, ruleEntry } from "../policies/lib/config";
import { evaluateResources } from "../policies/lib/evaluate";

const root = path.join(__dirname, "..");

function packConfig(stack: string): PackConfig {
    return JSON.parse(fs.readFileSync(path.join(root, "policies", `config.${stack}.json`), "utf8")) as PackConfig;
}

/** The same levels without any exemption. */
function withoutExemptions(config: PackConfig): PackConfig {
    return Object.fromEntries(Object.entries(config).map(([rule, entry]) => [rule, typeof entry === "string" ? entry : { ...entry, exemptions: [] }]));
}

// An exemption outlives the reason it was written for once the stack changes (its reasons say which change removes
// them); this keeps each one honest: it must still silence a real finding of its rule on that resource.
describe.each(["dev", "prod"])("the exemptions in policies/config.%s.json", (stack) => {
    it("are each still needed: without it, its rule fails on the resource it names in that stack", async () => {
        const config = packConfig(stack);
        const exemptions = Object.entries(config).flatMap(([rule, entry]) => ruleEntry(rule, entry).config.exemptions.map((exemption) => ({ rule, resource: exemption.resource })));
        const run = await sharedStackRun(root, stack);
        const findings = evaluateResources(evaluatedResources(run.resources.filter((resource) => resource.custom)), withoutExemptions(config));
        const stale = exemptions.filter(({ rule, resource }) => !findings.some((finding) => finding.rule === rule && (finding.resource === resource || finding.urn === resource)));
        expect(stale).toEqual([]);
    });
});
