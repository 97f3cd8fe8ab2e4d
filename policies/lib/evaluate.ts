import { allRules } from "../rules";
import { isExempt, PackConfig, ruleEntry } from "./config";
import { applyChanges } from "./fix";
import { canonicalType } from "./tokens";
import { appliesTo, isStackRule, KeylessRule, Level, ResourceRule } from "./types";
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
    /** A rule at `remediate` reports what its fix could not repair as `mandatory`, as the engine does. */
    level: Exclude<Level, "disabled" | "remediate">;
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
    const inputs = resources.map((resource) => ({ ...resource, type: canonicalType(resource.type), props: materializeProps(resource.props) }));
    // As the engine does: the `all` key sets every rule's level, then each rule's own entry applies on top.
    const all = config.all === undefined ? undefined : ruleEntry("all", config.all).level;
    for (const rule of rules) {
        const { level: configured, config: ruleConfig } = ruleEntry(rule.name, config[rule.name]);
        const chosen = configured ?? all ?? rule.defaultLevel;
        if (chosen === "disabled") {
            continue;
        }
        if (chosen === "remediate" && (isStackRule(rule) || !rule.fix)) {
            throw new Error(`Policy "${rule.name}": enforcementLevel "remediate" needs a rule with a safe fix; this one has none, use "mandatory".`);
        }
        const level = chosen === "remediate" ? "mandatory" : chosen;
        if (isStackRule(rule)) {
            const stack = resources.map((resource) => ({
                type: canonicalType(resource.type),
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
            for (const violation of rule.check(chosen === "remediate" ? remediated(rule, resource) : resource)) {
                findings.push({ rule: rule.name, level, resource: resource.name, urn: resource.urn, message: violation.message });
            }
        }
    }
    return findings;
}

/** The resource as the engine would create it after the rule's safe fix ran. */
function remediated<T extends { type: string; name: string; urn: string; props: Record<string, unknown> }>(rule: ResourceRule, resource: T): T {
    const changes = rule.fix?.changes(resource) ?? [];
    return changes.length === 0 ? resource : { ...resource, props: applyChanges(resource.props, changes) };
}
