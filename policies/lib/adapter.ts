import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isExempt, parseRuleConfig, ruleConfigSchema } from "./config";
import { applyChanges, unproxied } from "./fix";
import { canonicalType } from "./tokens";
import { appliesTo, isStackRule, KeylessRule, Level, ResourceRule, StackResource, StackRule } from "./types";
import { materializeProps } from "./unknown";

export interface PolicyOptions {
    /** Overrides the rule's `defaultLevel` in the pack itself; `--policy-pack-config` still overrides this. */
    enforcementLevel?: Level;
}

/**
 * Turns a rule into a `@pulumi/policy` policy. Props are copied into plain data first (lib/unknown.ts), so a value
 * unknown at preview skips only the checks that need it instead of the whole policy. Exemptions come from the
 * policy config (`{ "exemptions": [{ "resource": "...", "reason": "..." }] }`); the level from the rule, unless
 * the config's `enforcementLevel` says otherwise (the engine applies that).
 */
export function toPolicy(rule: ResourceRule, options?: PolicyOptions): ResourceValidationPolicy;
export function toPolicy(rule: StackRule, options?: PolicyOptions): StackValidationPolicy;
export function toPolicy(rule: KeylessRule, options?: PolicyOptions): ResourceValidationPolicy | StackValidationPolicy;
export function toPolicy(rule: KeylessRule, options: PolicyOptions = {}): ResourceValidationPolicy | StackValidationPolicy {
    const base = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: options.enforcementLevel ?? rule.defaultLevel,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        configSchema: ruleConfigSchema,
    };
    if (isStackRule(rule)) {
        return {
            ...base,
            validateStack: (args, reportViolation) => {
                const { exemptions } = parseRuleConfig(rule.name, args.getConfig());
                const resources = args.resources.map(toStackResource);
                for (const found of rule.checkStack(resources)) {
                    if (found.resource && isExempt(exemptions, found.resource.name, found.resource.urn)) {
                        continue;
                    }
                    reportViolation(found.message, found.resource?.urn);
                }
            },
        };
    }
    const fix = rule.fix;
    return {
        ...base,
        validateResource: (args, reportViolation) => {
            const type = canonicalType(args.type);
            if (!appliesTo(rule, type)) {
                return;
            }
            const { exemptions } = parseRuleConfig(rule.name, args.getConfig());
            if (isExempt(exemptions, args.name, args.urn)) {
                return;
            }
            const props = materializeProps(args.props);
            for (const found of rule.check({ type, name: args.name, urn: args.urn, props })) {
                reportViolation(found.message);
            }
        },
        // Runs only when the config sets this rule to `remediate`; returns nothing when there is nothing to change.
        ...(fix && {
            remediateResource: (args) => {
                const type = canonicalType(args.type);
                if (!appliesTo(rule, type) || isExempt(parseRuleConfig(rule.name, args.getConfig()).exemptions, args.name, args.urn)) {
                    return undefined;
                }
                const changes = fix.changes({ type, name: args.name, urn: args.urn, props: materializeProps(args.props) });
                return changes.length === 0 ? undefined : applyChanges(unproxied(args.props), changes);
            },
        }),
    };
}

function toStackResource(resource: PolicyResource): StackResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, list] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[key] = list.map((dependency) => dependency.urn);
    }
    return {
        type: canonicalType(resource.type),
        name: resource.name,
        urn: resource.urn,
        props: materializeProps(resource.props),
        dependencies: (resource.dependencies ?? []).map((dependency) => dependency.urn),
        propertyDependencies,
    };
}
