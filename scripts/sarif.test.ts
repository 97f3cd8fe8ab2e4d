import { sarifLog } from "./sarif";
import { SarifLogShape, validateSarif } from "./sarif-schema";

describe("sarifLog", () => {
    const tool = { name: "checker", version: "1.2.3", informationUri: "https://example.test/checker", rules: [{ id: "no-keys", description: "Keys in code", level: "warning" as const }] };

    it("writes a log the SARIF 2.1.0 schema accepts, with rules, locations, fingerprints and properties", () => {
        const log = sarifLog(tool, [
            { ruleId: "no-keys", message: "a key", file: "infra/app.ts", line: 3, column: 7, fingerprint: { name: "id/v1", value: "abc" }, properties: { commit: "0123abcd" } },
            { ruleId: "other", message: "something else", file: "docs/ü ber.md", line: 0 },
        ]) as SarifLogShape;
        expect(validateSarif(log)).toEqual([]);
        const run = log.runs[0];
        expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["no-keys", "other"]);
        expect(run.results[0]).toMatchObject({ ruleId: "no-keys", level: "warning", partialFingerprints: { "id/v1": "abc" }, properties: { commit: "0123abcd" } });
        expect(run.results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "infra/app.ts" }, region: { startLine: 3, startColumn: 7 } });
        // Paths are URI references, and lines start at 1.
        expect(run.results[1].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "docs/%C3%BC%20ber.md" }, region: { startLine: 1 } });
        expect(run.results[1].level).toBe("error");
    });

    it("is an empty run, still valid, when there is nothing to report", () => {
        const log = sarifLog(tool, []) as SarifLogShape;
        expect(validateSarif(log)).toEqual([]);
        expect(log.runs[0].results).toEqual([]);
    });

    it("is rejected by the schema check when malformed, so the check can fail", () => {
        expect(validateSarif({ version: "2.1.0", runs: [{ results: [] }] })).not.toEqual([]);
    });
});
