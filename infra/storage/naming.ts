/** Azure naming rules for what lives inside a storage account. */
export type StorageChildKind = "container" | "queue" | "table";

// Containers and queues: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
const dnsLabelPattern = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
// Tables: 3-63 letters and digits, starting with a letter.
const tablePattern = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/** Why a container, queue or table name would be refused by Azure, or undefined when it is valid. */
export function storageChildNameProblem(kind: StorageChildKind, value: string): string | undefined {
    if (typeof value !== "string") {
        return `${kind} names must be strings; got ${JSON.stringify(value)}.`;
    }
    if (kind === "table") {
        if (!tablePattern.test(value)) {
            return `table name "${value}" must be 3-63 letters and digits, starting with a letter.`;
        }
        if (value.toLowerCase() === "tables") {
            return `table name "${value}" is reserved by Azure.`;
        }
        return undefined;
    }
    if (!dnsLabelPattern.test(value)) {
        return `${kind} name "${value}" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.`;
    }
    return undefined;
}

/** Checks a list of names: each valid, none repeated (table names compare case-insensitively, as Azure does). */
export function storageChildNamesProblems(key: string, kind: StorageChildKind, values: unknown): string[] {
    if (values === undefined) {
        return [];
    }
    if (!Array.isArray(values)) {
        return [`${key} must be a list of ${kind} names; got ${JSON.stringify(values)}.`];
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    values.forEach((value, index) => {
        const problem = storageChildNameProblem(kind, value as string);
        if (problem) {
            problems.push(`${key}[${index}]: ${problem}`);
            return;
        }
        const normalized = kind === "table" ? (value as string).toLowerCase() : (value as string);
        if (seen.has(normalized)) {
            problems.push(`${key}[${index}]: ${kind} "${value}" is listed twice.`);
        }
        seen.add(normalized);
    });
    return problems;
}
