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
    /**
     * What happens when the property is absent, and whether that passes: Azure's default, or (`whose`) the default
     * the provider sends for it, as the classic `@pulumi/azure` provider does.
     */
    absent: { passes: boolean; azureDefault: string; whose?: string };
    fix: string;
}

export function checkSetting(resource: RuleResource, spec: SettingSpec): Violation[] {
    const value = read(resource.props, spec.path);
    if (isUnknown(value)) {
        return [];
    }
    if (value === undefined || value === null || value === "") {
        const whose = spec.absent.whose ?? "Azure's";
        return spec.absent.passes ? [] : [violation(resource, spec.path, `is not set, and ${whose} default is ${spec.absent.azureDefault}; ${spec.fix}`)];
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

/** Runs the specs listed for the resource's type (a rule that judges several providers' shapes). */
export function checkSettingsByType(resource: RuleResource, specs: Record<string, SettingSpec[]>): Violation[] {
    return (specs[resource.type] ?? []).flatMap((spec) => checkSetting(resource, spec));
}

/** A `SafeFix.changes` for `checkSettingsByType`: each failing setting of the resource's type gets its value from `values`. */
export function fixSettingsByType(specs: Record<string, SettingSpec[]>, values: Record<string, unknown>): (resource: RuleResource) => { path: string; value: unknown }[] {
    return (resource) =>
        (specs[resource.type] ?? []).filter((spec) => spec.path in values && checkSetting(resource, spec).length > 0).map((spec) => ({ path: spec.path, value: values[spec.path] }));
}
