/** How much a violation matters, as `@pulumi/policy` reports it. */
export type Severity = "critical" | "high" | "medium" | "low";

/**
 * What the engine does on a violation: block (`mandatory`), warn (`advisory`), skip the rule (`disabled`), or, for a
 * rule with a safe `fix`, change the resource's inputs before it is created (`remediate`, opt-in per rule).
 */
export type Level = "mandatory" | "advisory" | "disabled" | "remediate";

export const levels: readonly Level[] = ["mandatory", "advisory", "disabled", "remediate"];

/** Where a rule comes from elsewhere besides Azure Policy: Checkov check IDs, PSRule for Azure rules. */
export interface Anchors {
    checkov?: string[];
    psrule?: string[];
}

/**
 * An Azure Policy built-in definition the rule judges the same way (`coverage` "partial" when it judges only part of
 * it). The GUID and display name are facts checked by `npm run check:builtins` against Azure/azure-policy.
 */
export interface BuiltIn {
    id: string;
    displayName: string;
    coverage?: "partial";
}

/** The service folder a rule lives in (`rules/<service>/`), used to select rules. */
export const services = ["secrets", "identity", "web", "compute", "keyvault", "storage", "messaging", "data", "containers", "access", "network", "monitoring", "stack"] as const;
export type Service = (typeof services)[number];

/**
 * A change that cannot break a working app (`httpsOnly: true`, minimum TLS 1.2): the paths to set on the resource's
 * inputs, and why it is safe. Applied only when the rule's level is `remediate`.
 */
export interface SafeFix {
    /** The settings to write, as dotted paths; empty when the resource is already compliant or the fix does not apply. */
    changes(resource: RuleResource): { path: string; value: unknown }[];
    /** One sentence on why the change cannot break a working app. */
    whySafe: string;
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

export interface RuleMetadata {
    /** Kebab-case, unique within the pack. */
    name: string;
    description: string;
    severity: Severity;
    /** How to fix it the managed-identity way. */
    remediation: string;
    anchors: Anchors;
    /** Azure Policy built-ins this rule stands in for (empty when none exists). */
    builtins: BuiltIn[];
    /** Microsoft cloud security benchmark controls (`IM-1`, `NS-2`, `DP-3`, ...). */
    mcsb: string[];
    service: Service;
    defaultLevel: Exclude<Level, "remediate">;
    /** Why the default level is what it is. */
    justification: string;
}

export interface ResourceRule extends RuleMetadata {
    /** Type tokens (`azure-native:web:WebApp`) or prefixes ending in `*` (`random:*`). Omitted: every resource. */
    resourceTypes?: string[];
    check(resource: RuleResource): Violation[];
    /** Opt-in safe fix (level `remediate`). */
    fix?: SafeFix;
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
