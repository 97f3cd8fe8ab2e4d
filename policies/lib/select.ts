import { PackConfig } from "./config";
import { KeylessRule, Level, services, Severity } from "./types";

/** Which rules to run: any rule matching every given list (a list left out matches all). */
export interface Selection {
    services?: string[];
    severities?: string[];
    /** Microsoft cloud security benchmark controls, e.g. `IM-1`, `NS-2`. */
    controls?: string[];
}

const severities: readonly Severity[] = ["critical", "high", "medium", "low"];

/** Checks a selection's values, naming the first bad one and what is expected. */
function validate(selection: Selection, rules: readonly KeylessRule[]): void {
    const known = { services: [...services] as string[], severities: [...severities] as string[], controls: [...new Set(rules.flatMap((rule) => rule.mcsb))].sort() };
    for (const key of ["services", "severities", "controls"] as const) {
        for (const value of selection[key] ?? []) {
            if (!known[key].includes(value)) {
                throw new Error(`Rule selection: ${key} has ${JSON.stringify(value)}; expected one of ${known[key].join(", ")}.`);
            }
        }
    }
}

export function selectRules(rules: readonly KeylessRule[], selection: Selection): KeylessRule[] {
    validate(selection, rules);
    const matches = (list: string[] | undefined, values: string[]) => list === undefined || list.length === 0 || values.some((value) => list.includes(value));
    return rules.filter(
        (rule) => matches(selection.services, [rule.service]) && matches(selection.severities, [rule.severity]) && matches(selection.controls, rule.mcsb),
    );
}

/**
 * A `--policy-pack-config` that runs only the selected rules: the engine's `all` key turns every rule off, then each
 * selected rule gets its own level (its default, or `level`). Other config (exemptions) can be merged in per rule.
 */
export function selectionConfig(rules: readonly KeylessRule[], selection: Selection, level?: Exclude<Level, "disabled" | "remediate">): PackConfig {
    const config: PackConfig = { all: "disabled" };
    for (const rule of selectRules(rules, selection)) {
        config[rule.name] = level ?? rule.defaultLevel;
    }
    return config;
}
