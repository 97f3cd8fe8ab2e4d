import { createHash } from "crypto";

/**
 * Azure naming rules for the resources whose physical names we choose. Names follow the Cloud Adoption
 * Framework abbreviations (kv-, st, id-, ...) so that an operator recognises a resource in the portal.
 */
export interface NameRule {
    /** CAF abbreviation placed before the name. */
    prefix: string;
    maxLength: number;
    /** Storage accounts and registries allow only lowercase letters and digits. */
    alphanumericOnly?: boolean;
}

export const nameRules = {
    resourceGroup: { prefix: "rg-", maxLength: 90 },
    vault: { prefix: "kv-", maxLength: 24 },
    storageAccount: { prefix: "st", maxLength: 24, alphanumericOnly: true },
    containerRegistry: { prefix: "cr", maxLength: 50, alphanumericOnly: true },
    identity: { prefix: "id-", maxLength: 128 },
    virtualMachine: { prefix: "vm-", maxLength: 64 },
    windowsComputerName: { prefix: "", maxLength: 15 },
    virtualNetwork: { prefix: "vnet-", maxLength: 64 },
    networkSecurityGroup: { prefix: "nsg-", maxLength: 80 },
    networkInterface: { prefix: "nic-", maxLength: 80 },
    publicIp: { prefix: "pip-", maxLength: 80 },
    webApp: { prefix: "app-", maxLength: 60 },
    functionApp: { prefix: "func-", maxLength: 60 },
    appServicePlan: { prefix: "asp-", maxLength: 60 },
    logAnalytics: { prefix: "log-", maxLength: 63 },
    containerGroup: { prefix: "ci-", maxLength: 63 },
    aksCluster: { prefix: "aks-", maxLength: 63 },
    logicApp: { prefix: "logic-", maxLength: 80 },
    sqlServer: { prefix: "sql-", maxLength: 63 },
    serviceBusNamespace: { prefix: "sbns-", maxLength: 50 },
    eventHubsNamespace: { prefix: "evhns-", maxLength: 50 },
    privateEndpoint: { prefix: "pe-", maxLength: 64 },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof nameRules;

/** Lowercases and keeps only the characters every Azure name accepts. */
export function sanitizeName(value: string, alphanumericOnly = false): string {
    const lowered = value.toLowerCase();
    return alphanumericOnly ? lowered.replace(/[^a-z0-9]/g, "") : lowered.replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-");
}

/**
 * Builds a physical name `<prefix><base>[-<suffix>]` that fits the kind's length limit. The base is cut,
 * never the suffix, because the suffix is what keeps globally unique names (vaults, storage) apart.
 */
export function physicalName(kind: NameKind, base: string, suffix?: string): string {
    const rule: NameRule = nameRules[kind];
    const alnum = rule.alphanumericOnly === true;
    const tail = suffix ? (alnum ? "" : "-") + sanitizeName(suffix, alnum) : "";
    const room = rule.maxLength - rule.prefix.length - tail.length;
    if (room < 1) {
        throw new Error(`Cannot name a ${kind}: suffix "${suffix}" leaves no room within ${rule.maxLength} characters.`);
    }
    const cleaned = sanitizeName(base, alnum).slice(0, room).replace(/-+$/, "");
    return `${rule.prefix}${cleaned}${tail}`;
}

/** A short stable hash, for names that must be unique per stack but reproducible. */
export function shortHash(input: string, length = 6): string {
    return createHash("sha256").update(input).digest("hex").slice(0, length);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
    return uuidPattern.test(value);
}

/** RFC 4122 namespace for Keyless role-assignment names. Fixed forever: changing it renames every grant. */
export const keylessNamespace = "6f1e0c84-1b7a-5c3e-9d2f-4b8a7e5c1d90";

/** RFC 4122 / RFC 9562 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string = keylessNamespace): string {
    if (!isGuid(namespace)) {
        throw new Error(`uuidV5 namespace must be a UUID, got "${namespace}".`);
    }
    const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
    const bytes = createHash("sha1").update(Buffer.concat([ns, Buffer.from(name, "utf8")])).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The deterministic name of a role assignment. Scope and role definition IDs are compared
 * case-insensitively by Azure, so they are lowercased first: the same grant always gets the same name.
 */
export function roleAssignmentName(scope: string, principalId: string, roleDefinitionId: string): string {
    return uuidV5([scope, principalId, roleDefinitionId].map((part) => part.toLowerCase()).join("|"));
}
