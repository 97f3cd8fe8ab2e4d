/**
 * Unknown values at preview.
 *
 * How `@pulumi/policy` 1.21 presents them (read from its `deserialize.js`, `proxy.js` and `server.js`):
 * - The engine marshals a value that is not known yet (an output of a resource still to be created) as one of
 *   seven sentinel strings (`04da6b54-…` for a string, `1c4a061d-…` for a boolean, and so on).
 * - `deserializeProperties` keeps the sentinels as plain strings and unwraps secrets into plain values.
 * - The props handed to a policy are wrapped in `unknownCheckingProxy`: reading a property whose value is a
 *   sentinel throws `UnknownValueError`, which the SDK turns into an advisory "can't run policy … during preview"
 *   and skips the whole policy for that resource.
 *
 * A rule here must not lose all its checks because one field is unknown, so the adapter first copies the props
 * into plain data with `materialize`: each field is read on its own, a field whose read throws that error (or whose
 * raw value is a sentinel) becomes the `UNKNOWN` marker, and rules skip exactly those fields. The same copy works on
 * plain objects (offline evaluation, tests), where unknowns appear as the raw sentinel strings.
 */

/** Sentinels of `@pulumi/policy` (proxy.js) and the engine's RPC format; stable parts of the wire protocol. */
export const unknownSentinels: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also what the engine sends for any computed value)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The marker a materialized value holds where the real value is not known yet. */
export const UNKNOWN: unique symbol = Symbol.for("keyless.policy.unknown");
export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** The error `unknownCheckingProxy` throws; matched by name because the SDK does not export the class publicly. */
export function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && (error.constructor?.name === "UnknownValueError" || /can't be known during preview$/.test(error.message));
}

const MAX_DEPTH = 64;

/**
 * Copies resource props (a proxy from `@pulumi/policy`, or plain data) into plain data, with `UNKNOWN` wherever a
 * value is not known. Never throws on an unknown field. Promises, functions and symbols are dropped; assets keep
 * their own enumerable fields.
 */
export function materialize(value: unknown, depth = 0): unknown {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof value === "string") {
        return unknownSentinels.has(value) ? UNKNOWN : value;
    }
    if (value === null || typeof value !== "object") {
        return typeof value === "function" || typeof value === "symbol" ? undefined : value;
    }
    if (value instanceof Promise || depth > MAX_DEPTH) {
        return undefined;
    }
    if (Array.isArray(value)) {
        const length = readField(value as unknown as Record<string, unknown>, "length");
        if (typeof length !== "number") {
            return UNKNOWN;
        }
        const out: unknown[] = [];
        for (let i = 0; i < length; i++) {
            out.push(materializeField(value as unknown as Record<string, unknown>, String(i), depth));
        }
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        const field = materializeField(value as Record<string, unknown>, key, depth);
        if (field !== undefined) {
            out[key] = field;
        }
    }
    return out;
}

function materializeField(container: Record<string, unknown>, key: string, depth: number): unknown {
    const raw = readField(container, key);
    return raw === UNKNOWN ? UNKNOWN : materialize(raw, depth + 1);
}

function readField(container: Record<string, unknown>, key: string): unknown {
    try {
        return container[key];
    } catch (error) {
        if (isUnknownValueError(error)) {
            return UNKNOWN;
        }
        throw error;
    }
}

/** Materializes a props bag; anything but an object becomes an empty bag. */
export function materializeProps(props: unknown): Record<string, unknown> {
    const out = materialize(props);
    return out !== null && typeof out === "object" && !Array.isArray(out) ? (out as Record<string, unknown>) : {};
}
