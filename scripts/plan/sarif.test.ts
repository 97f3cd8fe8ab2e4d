import * as fs from "fs";
import * as path from "path";
import { allRules } from "../../policies/rules";
import { validateSarif, SarifLogShape } from "../sarif-schema";
import { render } from "../plan";
import { configLines } from "./sarif";
import { runPlan } from "./run";
import { PlanDocument } from "./types";

// The dev stack's findings as GitHub code scanning would ingest them.
const repoRoot = path.join(__dirname, "..", "..");
const stackFile = { path: "Pulumi.dev.yaml", text: fs.readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8") };
const lineOf = (pattern: RegExp) => stackFile.text.split("\n").findIndex((line) => pattern.test(line)) + 1;

let plan: PlanDocument;
let log: SarifLogShape;

beforeAll(async () => {
    plan = await runPlan({ root: repoRoot, repoRoot, stack: "dev" });
    log = JSON.parse(render(plan, "sarif", { rules: allRules, stackFile, version: "0.1.0" })) as SarifLogShape;
});

describe("plan --format sarif", () => {
    it("is valid SARIF 2.1.0 with one result per policy finding", () => {
        expect(validateSarif(log)).toEqual([]);
        expect(plan.policy.violations.length).toBeGreaterThan(0);
        expect(log.runs[0].results).toHaveLength(plan.policy.violations.length);
    });

    it("describes each rule it reports, with help text and a security severity", () => {
        const rules = log.runs[0].tool.driver.rules as unknown as { id: string; help?: { text: string }; properties?: Record<string, unknown> }[];
        const reported = new Set(log.runs[0].results.map((result) => result.ruleId));
        expect(new Set(rules.map((rule) => rule.id))).toEqual(reported);
        for (const rule of rules) {
            expect(rule.help?.text.length).toBeGreaterThan(20);
            expect(Number(rule.properties?.["security-severity"])).toBeGreaterThan(0);
        }
    });

    it("locates a finding at the config line that declares its resource", () => {
        const lines = configLines(stackFile.text);
        expect(lines.lines.get("storefront")).toBe(lineOf(/^\s+- name: storefront$/));
        expect(lines.lines.get("images")).toBe(lineOf(/^\s{4}images:$/));
        const byResource = new Map(plan.policy.violations.map((finding, index) => [finding.resource, log.runs[0].results[index]]));
        const registry = byResource.get("images");
        expect(registry?.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "Pulumi.dev.yaml" }, region: { startLine: lineOf(/^\s{4}images:$/) } });
        // A resource a component adds (the AKS cluster's own resources) points at its workload.
        const clusterFinding = plan.policy.violations.findIndex((finding) => plan.resources.find((resource) => resource.name === finding.resource)?.component === "inventory-aks");
        expect(clusterFinding).toBeGreaterThanOrEqual(0);
        expect(log.runs[0].results[clusterFinding].locations[0].physicalLocation.region.startLine).toBe(lineOf(/^\s+- name: inventory-aks$/));
    });

    it("fingerprints a finding by rule, stack, resource and message, so it survives edits elsewhere", () => {
        const fingerprints = log.runs[0].results.map((result) => result.partialFingerprints?.["keylessFinding/v1"]);
        expect(new Set(fingerprints).size).toBe(fingerprints.length);
        const shifted = { ...stackFile, text: `# a comment moves every line\n${stackFile.text}` };
        const again = JSON.parse(render(plan, "sarif", { rules: allRules, stackFile: shifted, version: "0.1.0" })) as SarifLogShape;
        expect(again.runs[0].results.map((result) => result.partialFingerprints?.["keylessFinding/v1"])).toEqual(fingerprints);
        expect(again.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(log.runs[0].results[0].locations[0].physicalLocation.region.startLine + 1);
    });

    it("marks mandatory findings as errors and advisory ones as warnings", () => {
        plan.policy.violations.forEach((finding, index) => {
            expect(log.runs[0].results[index].level).toBe(finding.level === "mandatory" ? "error" : "warning");
        });
    });
});
