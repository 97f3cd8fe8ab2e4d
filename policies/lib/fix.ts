/**
 * A copy of `props` with each dotted path set. Only the objects on the way to a changed setting are copied; every
 * other value is kept by reference, so the SDK's secret wrappers (and unknown sentinels) go back to the engine as
 * they came. A wrapped object on the way is copied into a new wrapper of the same class, keeping it secret.
 */
export function applyChanges(props: Record<string, unknown>, changes: readonly { path: string; value: unknown }[]): Record<string, unknown> {
    let result = props;
    for (const { path, value } of changes) {
        result = setPath(result, path.split("."), value);
    }
    return result;
}

function setPath(node: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> {
    const [key, ...rest] = keys;
    const copy = { ...node };
    if (rest.length === 0) {
        copy[key] = value;
        return copy;
    }
    const child = node[key];
    if (isWrapper(child)) {
        const Wrapper = child.constructor as new (inner: unknown) => unknown;
        copy[key] = new Wrapper(setPath(plainObject(child.value), rest, value));
    } else {
        copy[key] = setPath(plainObject(child), rest, value);
    }
    return copy;
}

function plainObject(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `@pulumi/policy`'s `Secret` (an object of its own class holding `value`). */
function isWrapper(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && value.constructor?.name === "Secret" && "value" in value;
}

/** The plain object behind `@pulumi/policy`'s proxies (unknown-checking, secrets-preserving), through their own escape hatch. */
export function unproxied(props: Record<string, unknown>): Record<string, unknown> {
    let current = props;
    while (current !== null && typeof current === "object" && (current as Record<string, unknown>)["__isSpecialProxy"] === true) {
        current = (current as Record<string, unknown>)["__getSpecialProxyTarget"] as Record<string, unknown>;
    }
    return current;
}
