/**
 * ARM resource ID helpers. Scopes are compared by ID prefix, the way Azure RBAC inherits: a grant on
 * `/subscriptions/s/resourceGroups/g` reaches everything whose ID starts with it.
 */

/** Lower-cased, without a trailing slash: ARM IDs are case-insensitive. */
export function normalizeId(id: string): string {
    return id.replace(/\/+$/, "").toLowerCase();
}

/** True when `outer` contains `inner` (an ancestor scope), and they differ. */
export function isAncestorScope(outer: string, inner: string): boolean {
    const a = normalizeId(outer);
    const b = normalizeId(inner);
    return a !== b && (a === "/" || b.startsWith(`${a}/`));
}

/** The ID with its last `segments` path segments removed, or undefined when nothing is left. */
export function trimSegments(id: string, segments: number): string | undefined {
    const parts = id.replace(/\/+$/, "").split("/");
    if (parts.length - segments <= 1) {
        return undefined;
    }
    return parts.slice(0, parts.length - segments).join("/");
}

export function lastSegment(id: string): string {
    const parts = id.replace(/\/+$/, "").split("/");
    return parts[parts.length - 1] ?? id;
}

/** What an ID names when the stack does not declare it: a subscription, a resource group, or some other resource. */
export function classifyUndeclaredId(id: string): { kind: string; name: string } {
    const subscription = /^\/subscriptions\/([^/]+)$/i.exec(id.replace(/\/+$/, ""));
    if (subscription) {
        return { kind: "subscription", name: subscription[1] };
    }
    const group = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(id.replace(/\/+$/, ""));
    if (group) {
        return { kind: "resourceGroup", name: group[1] };
    }
    const managementGroup = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(id.replace(/\/+$/, ""));
    if (managementGroup) {
        return { kind: "managementGroup", name: managementGroup[1] };
    }
    const provider = /\/providers\/([^/]+\/[^/]+)\/([^/]+)(?:\/.*)?$/i.exec(id);
    if (provider) {
        return { kind: "resource", name: `${provider[1]} ${lastSegment(id)}` };
    }
    return { kind: "resource", name: lastSegment(id) };
}
