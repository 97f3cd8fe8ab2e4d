import type { RecordedResource } from "../../offline/mocks";
import { evaluatedResources } from "../../offline/evaluate";
import { detectSecrets } from "@keyless/detect";
import { PackConfig } from "../../policies/lib/config";
import { evaluateResources } from "../../policies/lib/evaluate";
import { compareStrings } from "./resources";
import { PlanFinding } from "./types";

/**
 * Runs the policy pack's rules directly on every declared cloud resource (props = inputs, as the engine's
 * per-resource analysis sees them; stack rules see the mock outputs). The same rules run in
 * `pulumi preview --policy-pack policies`; offline, values Azure computes are stand-ins, so a rule that needs
 * one may judge a stand-in.
 */
export function evaluatePolicy(resources: readonly RecordedResource[], config: PackConfig = {}): PlanFinding[] {
    const findings = evaluateResources(evaluatedResources(resources.filter((resource) => resource.custom)), config);
    return findings
        .map((finding) => ({ rule: finding.rule, level: finding.level, resource: finding.resource, message: maskMessage(finding.message) }))
        .sort(
            (a, b) =>
                compareStrings(a.level, b.level) ||
                compareStrings(a.rule, b.rule) ||
                compareStrings(a.resource, b.resource) ||
                compareStrings(a.message, b.message),
        );
}

/**
 * Rules already mask what they quote; this second pass masks anything credential-shaped left in a message,
 * because the message goes to a pull request comment.
 */
export function maskMessage(message: string): string {
    const findings = detectSecrets(message).sort((a, b) => b.start - a.start);
    let out = message;
    for (const finding of findings) {
        out = `${out.slice(0, finding.start)}${finding.masked}${out.slice(finding.end)}`;
    }
    return out;
}
