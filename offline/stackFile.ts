import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: a flat map of fully
 * qualified keys to text (structured values as JSON), plus the keys that were `secure:`. Secure values are
 * never decrypted here: they become an opaque placeholder, so nothing offline can print them.
 */
export interface StackFile {
    stack: string;
    path: string;
    config: Record<string, string>;
    secretKeys: string[];
}

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** What an offline run sees instead of a `secure:` value. */
export const opaqueSecret = "[secret]";

export function listStacks(root: string): string[] {
    return fs
        .readdirSync(root)
        .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

function hasSecure(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(hasSecure);
    }
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        return (Object.keys(record).length === 1 && typeof record.secure === "string") || Object.values(record).some(hasSecure);
    }
    return false;
}

function replaceSecure(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(replaceSecure);
    }
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record.secure === "string") {
            return opaqueSecret;
        }
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, replaceSecure(inner)]));
    }
    return value;
}

export function loadStackFile(root: string, stack: string): StackFile {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`Invalid stack name "${stack}": expected letters, digits, '-', '_' or '.'.`);
    }
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const known = listStacks(root);
        throw new StackFileError(
            `Unknown stack "${stack}": ${path.basename(file)} does not exist. Expected one of: ${known.length ? known.join(", ") : "(no stack files found)"}.`,
        );
    }
    const text = fs.readFileSync(file, "utf8");
    const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (document.errors.length > 0) {
        const first = document.errors[0];
        const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
        throw new StackFileError(`Malformed stack file ${path.basename(file)}${where}: ${first.message.split("\n")[0]}`);
    }
    const parsed = document.toJS() as unknown;
    if (parsed === null || parsed === undefined) {
        throw new StackFileError(`Malformed stack file ${path.basename(file)}: the file is empty; expected a top-level "config:" map.`);
    }
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new StackFileError(`Malformed stack file ${path.basename(file)}: expected a YAML map with a "config:" key.`);
    }
    const configSection = (parsed as Record<string, unknown>).config ?? {};
    if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
        throw new StackFileError(`Malformed stack file ${path.basename(file)}: "config" must be a map of namespaced keys.`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(configSection as Record<string, unknown>)) {
        if (!key.includes(":")) {
            throw new StackFileError(`Malformed stack file ${path.basename(file)}: config key "${key}" needs a namespace, such as keyless:${key}.`);
        }
        if (hasSecure(value)) {
            secretKeys.push(key);
        }
        const plain = replaceSecure(value);
        config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    }
    return { stack, path: file, config, secretKeys };
}
