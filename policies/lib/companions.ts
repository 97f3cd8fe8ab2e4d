import { read } from "./props";
import { StackResource } from "./types";
import { isUnknown } from "./unknown";

/** How a companion resource (a diagnostic setting, a basic-auth policy) names the resource it configures. */
export interface CompanionKeys {
    /** The target's ARM ID as the companion holds it (`resourceUri`, or its own `id` minus a suffix), lowercased. */
    targetId?(companion: StackResource): string | undefined;
    /** The target's name as the companion holds it (a site's `name`). */
    targetName?(companion: StackResource): string | undefined;
    /** The same name read off the target; its `name` unless said otherwise. */
    nameOfTarget?(target: StackResource): string | undefined;
}

/**
 * Finds the companions of each target in one pass: by the engine's dependency on the target (always known, even at
 * preview), by ARM ID, or by name. Returns a lookup from target to companions.
 */
export function companionsOf(companions: readonly StackResource[], keys: CompanionKeys): (target: StackResource) => StackResource[] {
    const byUrn = new Map<string, StackResource[]>();
    const byId = new Map<string, StackResource[]>();
    const byName = new Map<string, StackResource[]>();
    const add = (map: Map<string, StackResource[]>, key: string | undefined, companion: StackResource) => {
        if (key) {
            map.set(key, [...(map.get(key) ?? []), companion]);
        }
    };
    for (const companion of companions) {
        const urns = new Set([...(companion.dependencies ?? []), ...Object.values(companion.propertyDependencies ?? {}).flat()]);
        urns.forEach((urn) => add(byUrn, urn, companion));
        add(byId, keys.targetId?.(companion)?.toLowerCase(), companion);
        add(byName, keys.targetName?.(companion), companion);
    }
    return (target) => {
        const id = text(read(target.props, "id"))?.toLowerCase();
        const name = keys.nameOfTarget ? keys.nameOfTarget(target) : text(read(target.props, "name"));
        const found = [...(target.urn ? (byUrn.get(target.urn) ?? []) : []), ...(id ? (byId.get(id) ?? []) : []), ...(name ? (byName.get(name) ?? []) : [])];
        return [...new Set(found)];
    };
}

export function text(value: unknown): string | undefined {
    return !isUnknown(value) && typeof value === "string" && value.length > 0 ? value : undefined;
}
