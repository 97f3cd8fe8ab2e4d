import { Level, levels } from "./types";

/** One resource a rule does not apply to, and why. */
export interface Exemption {
    /** The resource's logical name or its full URN. */
    resource: string;
    /** Why the resource is exempt; shown in reviews. Required and non-empty. */
    reason: string;
}

export interface RuleConfig {
    exemptions?: Exemption[];
}

/**
 * The config schema every rule declares. The engine validates `--policy-pack-config` against it (JSON Schema) before
 * the pack runs, so an exemption without a reason never reaches a rule; `parseRuleConfig` checks the same again for
 * callers that skip the engine. `enforcementLevel` is added by the engine itself and must not be declared here.
 */
export const ruleConfigSchema = {
    properties: {
        exemptions: {
            type: "array" as const,
            description: "Resources this rule does not apply to, each with the reason.",
            items: {
                type: "object" as const,
                properties: {
                    resource: { type: "string" as const, minLength: 1, description: "Logical name or URN of the resource." },
                    reason: { type: "string" as const, minLength: 1, pattern: "\\S", description: "Why the resource is exempt." },
                },
                required: ["resource", "reason"],
                additionalProperties: false,
            },
            default: [],
        },
    },
};

/** Checks a rule's config (as `getConfig()` returns it), throwing an error that names the rule and the bad entry. */
export function parseRuleConfig(ruleName: string, config: unknown): Required<RuleConfig> {
    if (config === undefined || config === null) {
        return { exemptions: [] };
    }
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new Error(`Policy "${ruleName}" config must be an object like { "exemptions": [...] }; got ${describe(config)}.`);
    }
    const raw = (config as Record<string, unknown>).exemptions;
    if (raw === undefined || raw === null) {
        return { exemptions: [] };
    }
    if (!Array.isArray(raw)) {
        throw new Error(`Policy "${ruleName}" config: exemptions must be an array of { resource, reason }; got ${describe(raw)}.`);
    }
    const exemptions = raw.map((entry, index): Exemption => {
        const where = `Policy "${ruleName}" config: exemptions[${index}]`;
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            throw new Error(`${where} must be an object { resource, reason }; got ${describe(entry)}.`);
        }
        const { resource, reason } = entry as Record<string, unknown>;
        if (typeof resource !== "string" || resource.trim().length === 0) {
            throw new Error(`${where}.resource must be the resource's logical name or URN; got ${describe(resource)}.`);
        }
        if (typeof reason !== "string" || reason.trim().length === 0) {
            throw new Error(`${where}.reason must be a non-empty explanation of why "${resource}" is exempt; got ${describe(reason)}.`);
        }
        return { resource, reason };
    });
    return { exemptions };
}

/** True when an exemption names this resource by logical name or URN. */
export function isExempt(exemptions: readonly Exemption[], name: string, urn?: string): boolean {
    return exemptions.some((exemption) => exemption.resource === name || (urn !== undefined && exemption.resource === urn));
}

/**
 * A policy pack config file (`--policy-pack-config`): per rule either a level, or an object with
 * `enforcementLevel` and the rule's own settings.
 */
export type PackConfig = Record<string, Level | ({ enforcementLevel?: Level } & RuleConfig)>;

/** Splits a pack config entry into its level (if any) and the rule's own config. */
export function ruleEntry(ruleName: string, entry: PackConfig[string] | undefined): { level?: Level; config: Required<RuleConfig> } {
    if (entry === undefined) {
        return { config: { exemptions: [] } };
    }
    if (typeof entry === "string") {
        return { level: checkLevel(ruleName, entry), config: { exemptions: [] } };
    }
    const { enforcementLevel, ...rest } = entry;
    return {
        level: enforcementLevel === undefined ? undefined : checkLevel(ruleName, enforcementLevel),
        config: parseRuleConfig(ruleName, rest),
    };
}

function checkLevel(ruleName: string, level: unknown): Level {
    if (typeof level !== "string" || !(levels as readonly string[]).includes(level)) {
        throw new Error(`Policy "${ruleName}": enforcementLevel must be one of ${levels.join(", ")}; got ${describe(level)}.`);
    }
    return level as Level;
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    return Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
}
