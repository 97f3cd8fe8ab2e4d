import { read, show, violation } from "./props";
import { RuleResource, Violation } from "./types";
import { isUnknown } from "./unknown";

/**
 * One property judged the way an Azure Policy built-in judges it. A property left out is judged by what Azure does
 * when it is absent (`azureDefault`, as documented for the API version azure-native uses), and the message says so.
 */
export interface SettingSpec {
    path: string;
    accept(value: unknown): boolean;
    /** What Azure does when the property is absent, and whether that passes. */
    absent: { passes: boolean; azureDefault: string };
    fix: string;
}

export function checkSetting(resource: RuleResource, spec: SettingSpec): Violation[] {
    const value = read(resource.props, spec.path);
    if (isUnknown(value)) {
        return [];
    }
    if (value === undefined || value === null || value === "") {
        return spec.absent.passes ? [] : [violation(resource, spec.path, `is not set, and Azure's default is ${spec.absent.azureDefault}; ${spec.fix}`)];
    }
    return spec.accept(value) ? [] : [violation(resource, spec.path, `is ${show(value)}; ${spec.fix}`)];
}

/** Case-insensitive string match, as Azure Policy compares strings. */
export function equalsText(expected: string): (value: unknown) => boolean {
    return (value) => typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** A `SafeFix.changes` that sets `path` to `value` when the setting fails its check. */
export function setWhenFailing(spec: SettingSpec, value: unknown): (resource: RuleResource) => { path: string; value: unknown }[] {
    return (resource) => (checkSetting(resource, spec).length > 0 ? [{ path: spec.path, value }] : []);
}
