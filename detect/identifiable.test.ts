import { randomInt } from "crypto";
import { SeededRandom } from "./corpus";
import { detectSecrets } from "./detect";
import { identifiableFormats } from "./identifiable";
import { marvin32 } from "./marvin";

const r = new SeededRandom(randomInt(0, 2 ** 31));
const format = (signature: string) => identifiableFormats.find((f) => f.signature === signature)!;

describe("marvin32", () => {
    it("matches the checksum in microsoft/security-utilities' own test key (seed 42, signature TEST)", () => {
        // IdentifiableSecrets_TryValidateBase64Key_ChecksAlphabet in src/Tests.Microsoft.Security.Utilities.Core.
        const key = ["83Tv3p0dtmc/cw7eEVxcC7lh6ZM+MgPG3", "TEST", "LBLKt4="].join("");
        const bytes = Buffer.from(key, "base64");
        expect(marvin32(bytes.subarray(0, 28), 42n)).toBe(bytes.readUInt32LE(28));
        expect(marvin32(bytes.subarray(0, 28), 43n)).not.toBe(bytes.readUInt32LE(28));
    });

    it("handles every tail length (0 to 3 bytes past the last word) differently", () => {
        const data = Buffer.from([1, 2, 3, 4, 5, 6, 7]);
        const sums = [4, 5, 6, 7].map((n) => marvin32(data.subarray(0, n), 7n));
        expect(new Set(sums).size).toBe(4);
    });
});

describe("Microsoft's identifiable keys", () => {
    it.each([
        ["+ASb", 44, "shared-access-key", /Service Bus/],
        ["+AEh", 44, "shared-access-key", /Event Hubs/],
        ["AzCa", 44, "redis-password", /Redis/],
        ["AzSe", 52, "search-key", /Search/],
        ["+ACR", 52, "container-registry-key", /Container Registry/],
        ["AzFu", 56, "function-key", /Functions/],
        ["+ASt", 88, "storage-account-key", /Storage/],
        ["ACDb", 88, "cosmos-db-key", /Cosmos DB/],
        ["APIM", 88, "api-management-key", /API Management/],
    ])("finds a %s key (%i characters) with no name around it, checksum verified", (signature, length, kind, service) => {
        const key = r.identifiableKey(format(signature));
        expect(key).toHaveLength(length);
        const text = `settings:\n  SETTING_1: ${key}\n`;
        const findings = detectSecrets(text);
        expect(findings).toEqual([expect.objectContaining({ kind, start: text.indexOf(key), end: text.indexOf(key) + length })]);
        expect(findings[0].description).toMatch(service);
        expect(findings[0].description).toMatch(/checksum verified/);
        expect(findings[0].masked).toBe(`${key.slice(0, 4)}…(${length} chars)`);
    });

    it("checks every published seed of a key type (send, listen and manage keys)", () => {
        for (const seed of format("+ASb").seeds) {
            expect(detectSecrets(r.identifiableKey(format("+ASb"), { seed }))[0].description).toMatch(/checksum verified/);
        }
    });

    it("still reports the exact shape with a wrong checksum, without claiming it is verified", () => {
        const key = r.identifiableKey(format("AzCa"), { checksum: false });
        const [finding] = detectSecrets(key);
        expect(finding.kind).toBe("redis-password");
        expect(finding.description).not.toMatch(/verified/);
    });

    it("ignores the signature at another offset, inside a longer run, or followed by the wrong characters", () => {
        const key = r.identifiableKey(format("+AEh"));
        expect(detectSecrets(`x${key.slice(1, 33)}+AEh${key.slice(37)}`)).toHaveLength(1);
        expect(detectSecrets(`${key.slice(1, 33)}+AEh${key.slice(37)}`)).toEqual([]);
        expect(detectSecrets(`abcd${key}`)).toEqual([]);
        expect(detectSecrets(`${key}AAAA`)).toEqual([]);
        expect(detectSecrets(`KEY=${key}`)).toHaveLength(1);
        // After a 32-byte key's signature comes a character from A to P (the checksum's leading zero bits).
        expect(detectSecrets(`${key.slice(0, 37)}Z${key.slice(38)}`)).toEqual([]);
    });

    it("finds Functions keys in their URL-safe alphabet, and not the standard one", () => {
        const key = r.identifiableKey(format("AzFu"));
        expect(detectSecrets(`https://fn.azurewebsites.net/api/run?x=1&k=${key}`)).toEqual([expect.objectContaining({ kind: "function-key" })]);
        expect(detectSecrets(`${key.slice(0, 10)}+${key.slice(11)}`)).toEqual([]);
    });

    it("finds Entra ID client secrets with 31 to 34 characters after the marker, not 30 or 35", () => {
        for (const tail of [31, 32, 33, 34]) {
            const secret = r.entraSecret(tail);
            expect(detectSecrets(`SETTING_1=${secret}`)).toEqual([expect.objectContaining({ kind: "entra-client-secret" })]);
        }
        expect(detectSecrets(`SETTING_1=${r.entraSecret(30)}`)).toEqual([]);
        // A tail that ends in "." reads as a 34-character secret ending a sentence, which the rule reports on
        // purpose; a 35-character tail ending in anything else is no Entra secret.
        const long = r.entraSecret(35).replace(/\.$/, "a");
        expect(detectSecrets(`SETTING_1=${long}`)).toEqual([]);
    });
});
