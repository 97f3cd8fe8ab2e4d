/** How much a violation matters, as `@pulumi/policy` reports it. */
export type Severity = "critical" | "high" | "medium" | "low";

/** What the engine does on a violation: block (`mandatory`), warn (`advisory`) or skip the rule (`disabled`). */
export type Level = "mandatory" | "advisory" | "disabled";

export const levels: readonly Level[] = ["mandatory", "advisory", "disabled"];

/** Where a rule comes from elsewhere: built-in Azure Policy definitions, Checkov check IDs, PSRule for Azure rules. */
export interface Anchors {
    azurePolicy?: string[];
    checkov?: string[];
    psrule?: string[];
}

/**
 * One resource as a rule sees it: plain data, with `UNKNOWN` (lib/unknown.ts) where a value is not known at
 * preview. Resource rules get the resource's inputs; stack rules get its outputs.
 */
export interface RuleResource {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
}

/** A resource in a stack check, with what the engine knows about the resources its properties came from. */
export interface StackResource extends RuleResource {
    /** URNs of the resources this one depends on. */
    dependencies?: string[];
    /** For each property, URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
    /** Names the resource, the property path and what is wrong. Never more than 4 characters of a secret. */
    message: string;
    /** For stack rules: the resource at fault (used for exemptions and the diagnostic's URN). */
    resource?: { name: string; urn?: string };
}

interface RuleMetadata {
    /** Kebab-case, unique within the pack. */
    name: string;
    description: string;
    severity: Severity;
    /** How to fix it the managed-identity way. */
    remediation: string;
    anchors: Anchors;
    defaultLevel: Level;
    /** Why the default level is what it is. */
    justification: string;
}

export interface ResourceRule extends RuleMetadata {
    /** Type tokens (`azure-native:web:WebApp`) or prefixes ending in `*` (`random:*`). Omitted: every resource. */
    resourceTypes?: string[];
    check(resource: RuleResource): Violation[];
}

export interface StackRule extends RuleMetadata {
    checkStack(resources: StackResource[]): Violation[];
}

export type KeylessRule = ResourceRule | StackRule;

export function isStackRule(rule: KeylessRule): rule is StackRule {
    return typeof (rule as StackRule).checkStack === "function";
}

/** True when the rule applies to resources of this type. */
export function appliesTo(rule: ResourceRule, type: string): boolean {
    if (!rule.resourceTypes) {
        return true;
    }
    return rule.resourceTypes.some((token) => (token.endsWith("*") ? type.startsWith(token.slice(0, -1)) : token === type));
}
