import { allRules } from "../rules";
import { isExempt, PackConfig, ruleEntry } from "./config";
import { appliesTo, isStackRule, KeylessRule, Level } from "./types";
import { materializeProps } from "./unknown";

/** One resource of a plan or a mock run. */
export interface EvaluatedResource {
    type: string;
    name: string;
    urn: string;
    /** Inputs, as the engine's per-resource analysis sees them. Unknown values may be the engine's sentinel strings. */
    props: Record<string, unknown>;
    /** Outputs, as the end-of-run stack analysis sees them. Defaults to `props`. */
    outputs?: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface Finding {
    rule: string;
    level: Exclude<Level, "disabled">;
    /** Logical name of the resource at fault; empty for a stack-wide finding. */
    resource: string;
    urn?: string;
    message: string;
}

/**
 * Runs every rule of the pack directly, without the engine: resource rules on each resource's inputs, stack rules
 * on all resources' outputs. `config` has the shape of a `--policy-pack-config` file (`config.prod.json`): per rule a
 * level, or `{ enforcementLevel, exemptions }`. Disabled rules and exempt resources are skipped, as the engine
 * would. The offline plan and stack tests use this to prove a stack is clean.
 */
export function evaluateResources(resources: readonly EvaluatedResource[], config: PackConfig = {}, rules: readonly KeylessRule[] = allRules): Finding[] {
    const findings: Finding[] = [];
    const inputs = resources.map((resource) => ({ ...resource, props: materializeProps(resource.props) }));
    for (const rule of rules) {
        const { level: configured, config: ruleConfig } = ruleEntry(rule.name, config[rule.name]);
        const level = configured ?? rule.defaultLevel;
        if (level === "disabled") {
            continue;
        }
        if (isStackRule(rule)) {
            const stack = resources.map((resource) => ({
                type: resource.type,
                name: resource.name,
                urn: resource.urn,
                props: materializeProps(resource.outputs ?? resource.props),
                dependencies: resource.dependencies,
                propertyDependencies: resource.propertyDependencies,
            }));
            for (const violation of rule.checkStack(stack)) {
                if (violation.resource && isExempt(ruleConfig.exemptions, violation.resource.name, violation.resource.urn)) {
                    continue;
                }
                findings.push({ rule: rule.name, level, resource: violation.resource?.name ?? "", urn: violation.resource?.urn, message: violation.message });
            }
            continue;
        }
        for (const resource of inputs) {
            if (!appliesTo(rule, resource.type) || isExempt(ruleConfig.exemptions, resource.name, resource.urn)) {
                continue;
            }
            for (const violation of rule.check(resource)) {
                findings.push({ rule: rule.name, level, resource: resource.name, urn: resource.urn, message: violation.message });
            }
        }
    }
    return findings;
}
