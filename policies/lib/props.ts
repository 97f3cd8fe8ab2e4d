import { isUnknown, UNKNOWN } from "./unknown";
import { RuleResource, Violation } from "./types";

/**
 * Reads a dotted path (`siteConfig.minTlsVersion`, `agentPoolProfiles[0].enableEncryptionAtHost`) from materialized
 * props. Returns `UNKNOWN` when the value or any object on the way is unknown, `undefined` when it is absent.
 */
export function read(props: unknown, path: string): unknown {
    let current: unknown = props;
    for (const segment of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
        if (isUnknown(current)) {
            return UNKNOWN;
        }
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string, unknown>)[segment];
    }
    return current;
}

/** The short type name for messages: `azure-native:web:WebApp` → `WebApp`. */
export function shortType(type: string): string {
    const last = type.split(":").pop() ?? type;
    return last.includes("/") ? (last.split("/").pop() ?? last) : last;
}

/** A violation whose message names the resource, the property path and the problem. */
export function violation(resource: RuleResource, path: string, problem: string): Violation {
    return { message: `${shortType(resource.type)} "${resource.name}" ${path}: ${problem}`, resource: { name: resource.name, urn: resource.urn } };
}

/** Renders a value for a message: strings quoted, absent values as "not set". Only for non-secret settings. */
export function show(value: unknown): string {
    if (value === undefined || value === null) {
        return "not set";
    }
    return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A boolean setting that must hold `expected`. Unknown values pass (they are checked again at update time, when the
 * engine knows them); `whenAbsent` says whether leaving the setting out is acceptable (Azure's default is safe).
 */
export function requireBoolean(
    resource: RuleResource,
    path: string,
    expected: boolean,
    fix: string,
    whenAbsent: "fail" | "pass" = "fail",
): Violation[] {
    const value = read(resource.props, path);
    if (isUnknown(value)) {
        return [];
    }
    if (value === undefined || value === null) {
        return whenAbsent === "pass" ? [] : [violation(resource, path, `is not set; ${fix}`)];
    }
    return value === expected ? [] : [violation(resource, path, `is ${show(value)}; ${fix}`)];
}

/** An ARM `identity.type` as a set of flags; `undefined` when unknown. */
export function identityFlags(identity: unknown): { system: boolean; user: boolean } | undefined {
    if (isUnknown(identity)) {
        return undefined;
    }
    if (identity === null || typeof identity !== "object") {
        return { system: false, user: false };
    }
    const type = (identity as Record<string, unknown>).type;
    if (isUnknown(type)) {
        return undefined;
    }
    const text = typeof type === "string" ? type.toLowerCase() : "";
    return { system: text.includes("systemassigned"), user: text.includes("userassigned") };
}

/**
 * The user-assigned identity IDs of an `identity` block. Inputs carry them as a string array (azure-native v3);
 * outputs as a map keyed by ID. Returns `UNKNOWN` if the list or any entry is unknown.
 */
export function userAssignedIds(identity: unknown): string[] | typeof UNKNOWN {
    const list = read(identity, "userAssignedIdentities");
    if (isUnknown(list)) {
        return UNKNOWN;
    }
    if (Array.isArray(list)) {
        if (list.some(isUnknown)) {
            return UNKNOWN;
        }
        return list.filter((id): id is string => typeof id === "string");
    }
    if (list !== null && typeof list === "object") {
        return Object.keys(list);
    }
    return [];
}

/** ARM IDs compare case-insensitively and without a trailing slash. */
export function sameId(a: string, b: string): boolean {
    return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}

/** Lowercase principal/object ID comparison. */
export function sameGuid(a: string, b: string): boolean {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
}
