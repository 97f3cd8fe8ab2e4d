/** A copy of `props` with each dotted path set; objects on the way are created or copied, nothing else changes. */
export function applyChanges(props: Record<string, unknown>, changes: readonly { path: string; value: unknown }[]): Record<string, unknown> {
    const copy = structuredClone(props);
    for (const { path, value } of changes) {
        const keys = path.split(".");
        let current: Record<string, unknown> = copy;
        for (const key of keys.slice(0, -1)) {
            const next = current[key];
            if (next === null || typeof next !== "object" || Array.isArray(next)) {
                current[key] = {};
            }
            current = current[key] as Record<string, unknown>;
        }
        current[keys[keys.length - 1]] = value;
    }
    return copy;
}

/** The plain object behind `@pulumi/policy`'s unknown-checking proxy (its own escape hatch), or the value itself. */
export function unproxied(props: Record<string, unknown>): Record<string, unknown> {
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return target !== null && typeof target === "object" ? (target as Record<string, unknown>) : props;
}
