import { marvin32 } from "./marvin";
import { SecretKind } from "./types";

/**
 * Microsoft's identifiable keys: base64 keys that carry a fixed four-character signature at a fixed offset, then a
 * Marvin32 checksum of the bytes before it (seeded per key type) in the last four bytes. Recognised without any
 * name around them. Facts from microsoft/security-utilities (IdentifiableMetadata.cs for signatures and seeds;
 * Azure32ByteIdentifiableKeys.cs, Azure64ByteIdentifiableKeys.cs, SEC101_166/176 (39-byte) and SEC101_158
 * (Functions, URL-safe) for the layouts; SEC101_200 for the common annotated security key).
 */

export interface KeyLayout {
    /** Characters in the key, padding included. */
    length: number;
    /** Offset of the four-character signature. */
    signatureAt: number;
    /** What follows the signature, as a regular expression source (the encoded checksum and padding). */
    tail: string;
    /** Trailing `=` characters. */
    padding: number;
    urlSafe: boolean;
}

const B64 = "[A-Za-z0-9+/]";
const B64URL = "[A-Za-z0-9_-]";

/** The key sizes Microsoft uses, by decoded length in bytes. */
export const layouts = {
    bytes32: { length: 44, signatureAt: 33, tail: `[A-P]${B64}{5}=`, padding: 1, urlSafe: false },
    bytes39: { length: 52, signatureAt: 42, tail: `[A-D]${B64}{5}`, padding: 0, urlSafe: false },
    bytes40url: { length: 56, signatureAt: 44, tail: `${B64URL}{5}[AQgw]==`, padding: 2, urlSafe: true },
    bytes64: { length: 88, signatureAt: 76, tail: `${B64}{5}[AQgw]==`, padding: 2, urlSafe: false },
} satisfies Record<string, KeyLayout>;

export interface IdentifiableFormat {
    signature: string;
    layout: KeyLayout;
    service: string;
    kind: SecretKind;
    /** Marvin32 seeds of this key type's variants (send/listen/manage, query/admin, ...); empty when not published. */
    seeds: readonly bigint[];
}

/** The seeds are eight ASCII characters read as a big-endian 64-bit number ("Send0000", "Listen00", ...). */
const seed = (ascii: string): bigint => BigInt(`0x${Buffer.from(ascii, "latin1").toString("hex")}`);
const messagingSeeds = [seed("Send0000"), seed("Listen00"), seed("Manage00"), seed("System00")];

export const identifiableFormats: readonly IdentifiableFormat[] = [
    { signature: "+ASb", layout: layouts.bytes32, service: "Service Bus", kind: "shared-access-key", seeds: messagingSeeds },
    { signature: "+AEh", layout: layouts.bytes32, service: "Event Hubs", kind: "shared-access-key", seeds: messagingSeeds },
    { signature: "+ARm", layout: layouts.bytes32, service: "Relay", kind: "shared-access-key", seeds: messagingSeeds },
    { signature: "AIoT", layout: layouts.bytes32, service: "IoT Hub / Device Provisioning", kind: "shared-access-key", seeds: [seed("IoTHub00"), seed("DpsKey00"), seed("Device00")] },
    { signature: "AzCa", layout: layouts.bytes32, service: "Azure Cache for Redis", kind: "redis-password", seeds: [seed("Access00")] },
    { signature: "AZEG", layout: layouts.bytes32, service: "Event Grid", kind: "azure-service-key", seeds: [] },
    { signature: "AzSe", layout: layouts.bytes39, service: "AI Search", kind: "search-key", seeds: [seed("Query000"), seed("PAdmin00")] },
    { signature: "+ACR", layout: layouts.bytes39, service: "Container Registry", kind: "container-registry-key", seeds: [seed("ACRDflt0")] },
    { signature: "AzFu", layout: layouts.bytes40url, service: "Functions", kind: "function-key", seeds: [seed("Functi00"), seed("Master00"), seed("System00")] },
    { signature: "+ASt", layout: layouts.bytes64, service: "Storage", kind: "storage-account-key", seeds: [seed("Default0")] },
    { signature: "ACDb", layout: layouts.bytes64, service: "Cosmos DB", kind: "cosmos-db-key", seeds: [seed("MastRW00"), seed("MastRO00"), seed("Resour00")] },
    { signature: "+ABa", layout: layouts.bytes64, service: "Batch", kind: "azure-service-key", seeds: [seed("AbAcct00")] },
    { signature: "+AMC", layout: layouts.bytes64, service: "Machine Learning (classic) web service", kind: "azure-service-key", seeds: [seed("Classic0")] },
    { signature: "APIM", layout: layouts.bytes64, service: "API Management", kind: "api-management-key", seeds: [seed("Tenant00"), seed("IoTHub00"), seed("Gatewy00"), seed("GitKey00")] },
];

/** Common annotated security keys (Azure AI services, OpenAI and newer keys): 84 base62 characters, or 88 ending `==`. */
const CASK = /[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?/y;
const CASK_SIGNATURE_AT = 52;

/** Finds every signature, including the common annotated key's, in one pass. */
export const SIGNATURES = new RegExp(
    [...new Set(identifiableFormats.map((f) => f.signature)), "JQQJ9"].map((s) => s.replace(/\+/g, "\\+")).join("|"),
    "g",
);

const bySignature = new Map<string, { format: IdentifiableFormat; shape: RegExp }[]>();
for (const format of identifiableFormats) {
    const { layout } = format;
    const body = layout.urlSafe ? B64URL : B64;
    const shape = new RegExp(`${body}{${layout.signatureAt}}${format.signature.replace(/\+/g, "\\+")}${layout.tail}`, "y");
    bySignature.set(format.signature, [...(bySignature.get(format.signature) ?? []), { format, shape }]);
}

export interface IdentifiableMatch {
    start: number;
    end: number;
    service: string;
    kind: SecretKind;
    /** True when the key's Marvin32 checksum matches one of its type's seeds: certainly a key of this type. */
    checksum: boolean;
}

function isKeyChar(c: number, urlSafe: boolean): boolean {
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return true;
    return urlSafe ? c === 45 || c === 95 : c === 43 || c === 47;
}

/** The identifiable key whose signature starts at `at`, if the text around it has the key's exact shape. */
export function identifiableKeyAt(text: string, at: number, signature: string): IdentifiableMatch | undefined {
    if (signature === "JQQJ9") {
        const start = at - CASK_SIGNATURE_AT;
        if (start < 0 || isKeyChar(text.charCodeAt(start - 1), false)) return undefined;
        CASK.lastIndex = start;
        const m = CASK.exec(text);
        if (!m) return undefined;
        const end = start + m[0].length;
        if (isKeyChar(text.charCodeAt(end), false) || text.charCodeAt(end) === 61) return undefined;
        return { start, end, service: "Azure AI services (common annotated security key)", kind: "ai-services-key", checksum: false };
    }
    for (const { format, shape } of bySignature.get(signature) ?? []) {
        const { layout } = format;
        const start = at - layout.signatureAt;
        if (start < 0) continue;
        // Whole keys only: a run of base64 longer than the key is something else (a certificate, a blob).
        if (isKeyChar(text.charCodeAt(start - 1), layout.urlSafe)) continue;
        shape.lastIndex = start;
        if (!shape.test(text)) continue;
        const end = start + layout.length;
        const after = text.charCodeAt(end);
        if (isKeyChar(after, layout.urlSafe) || after === 61) continue;
        return { start, end, service: format.service, kind: format.kind, checksum: checksumMatches(text.slice(start, end), format) };
    }
    return undefined;
}

/** The last four decoded bytes are the little-endian Marvin32 of the bytes before them, under one of the type's seeds. */
export function checksumMatches(key: string, format: IdentifiableFormat): boolean {
    if (format.seeds.length === 0) return false;
    const bytes = Buffer.from(key, format.layout.urlSafe ? "base64url" : "base64");
    if (bytes.length < 8) return false;
    const expected = bytes.readUInt32LE(bytes.length - 4);
    const data = bytes.subarray(0, bytes.length - 4);
    return format.seeds.some((s) => marvin32(data, s) === expected);
}
