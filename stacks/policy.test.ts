import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";
import { RecordedResource, runUnderMocks } from "../offline/mocks";
import { evaluatedResources } from "../offline/evaluate";
import { evaluateResources, EvaluatedResource } from "../policies/lib/evaluate";
import { PackConfig } from "../policies/lib/config";
import { readStackConfig } from "./config";
import { deployEnvironment } from "./environment";
import { loadStackFile } from "../offline/stackFile";
import { sharedStackRun } from "./testing/sharedRuns";

const root = path.join(__dirname, "..");

/** The cloud resources of a run, as the plan evaluates them. */
function asEvaluated(resources: RecordedResource[]): EvaluatedResource[] {
    return evaluatedResources(resources.filter((resource) => resource.custom));
}

function packConfig(stack: string): PackConfig {
    return JSON.parse(fs.readFileSync(path.join(root, "policies", `config.${stack}.json`), "utf8")) as PackConfig;
}

describe.each(["dev", "prod"])("the policy pack on the %s stack", (stack) => {
    it("finds no mandatory violation", async () => {
        const run = await sharedStackRun(root, stack);
        const findings = evaluateResources(asEvaluated(run.resources), packConfig(stack));
        expect(findings.filter((finding) => finding.level === "mandatory")).toEqual([]);
    });
});

describe("a planted secret", () => {
    it("fails the dev stack with a masked message naming the resource, path and kind", async () => {
        // A hand-written resource next to the components, with a storage key pasted into an app setting.
        const accountKey = Buffer.from(Array.from({ length: 64 }, () => Math.floor(Math.random() * 256))).toString("base64");
        const connection = `DefaultEndpointsProtocol=https;AccountName=stlegacy;AccountKey=${accountKey};EndpointSuffix=core.windows.net`;
        const file = loadStackFile(root, "dev");
        const run = await runUnderMocks(
            async () => {
                const environment = await deployEnvironment(readStackConfig());
                new web.WebAppApplicationSettings("legacy-settings", {
                    name: "app-legacy",
                    resourceGroupName: environment.resourceGroupName,
                    properties: { LEGACY_STORAGE: connection },
                });
                return pulumi.output(environment.resourceGroupName);
            },
            { stack: "dev", config: file.config, secretKeys: file.secretKeys },
        );
        const findings = evaluateResources(asEvaluated(run.resources), packConfig("dev")).filter((f) => f.level === "mandatory");
        expect(findings.map((finding) => finding.rule).sort()).toEqual(["no-hardcoded-secrets", "web-no-connection-string-with-key"]);
        for (const finding of findings) {
            expect(finding).toMatchObject({ resource: "legacy-settings", message: expect.stringMatching(/properties\.LEGACY_STORAGE/) });
            // Never more than four characters of the key.
            for (let i = 0; i + 5 <= accountKey.length; i++) {
                expect(finding.message).not.toContain(accountKey.slice(i, i + 5));
            }
        }
        expect(findings.find((finding) => finding.rule === "no-hardcoded-secrets")!.message).toMatch(/storage/i);
    });
});
