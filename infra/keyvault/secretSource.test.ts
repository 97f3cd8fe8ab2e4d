import * as pulumi from "@pulumi/pulumi";
import { checkVaultSecret, isVaultSecretName, secretSourceProblems } from "./secretSource";
import { isVaultName } from "./Vault";

describe("isVaultSecretName", () => {
    it.each(["a", "db-password", "A1-b2", "x".repeat(127)])("accepts %s", (name) => expect(isVaultSecretName(name)).toBe(true));
    it.each(["", "db_password", "db.password", "db password", "x".repeat(128)])("refuses %j", (name) => expect(isVaultSecretName(name)).toBe(false));
});

describe("isVaultName", () => {
    it.each(["kv-app-a1b2c", "kv1", "k".repeat(24)])("accepts %s", (name) => expect(isVaultName(name)).toBe(true));
    it.each(["kv", "1kv-app", "kv-app-", "kv--app", "KV-app", "k".repeat(25)])("refuses %j", (name) => expect(isVaultName(name)).toBe(false));
});

describe("secretSourceProblems", () => {
    const label = 'Vault "app" secret "s"';

    it("accepts a generated source with defaults or with bounds", () => {
        expect(secretSourceProblems(label, "s", { generate: {} })).toEqual([]);
        expect(secretSourceProblems(label, "s", { generate: { length: 16, special: false } })).toEqual([]);
        expect(secretSourceProblems(label, "s", { generate: { length: 1024 } })).toEqual([]);
    });

    it("refuses lengths out of range or not whole", () => {
        for (const length of [15, 1025, 20.5, "32"]) {
            expect(secretSourceProblems(label, "s", { generate: { length } })).toEqual([
                `${label} generate.length must be an integer from 16 to 1024; got ${JSON.stringify(length)}.`,
            ]);
        }
    });

    it("refuses a missing source and a source with both forms", () => {
        expect(secretSourceProblems(label, "s", undefined)[0]).toMatch(/must be \{ generate: \{\.\.\.\} \} or \{ value: <Pulumi secret> \}; got undefined/);
        expect(secretSourceProblems(label, "s", {})).toEqual([`${label} must set exactly one of generate or value.`]);
    });
});

describe("checkVaultSecret", () => {
    it("refuses a plain string with requireSecretInput's message", () => {
        expect(() => checkVaultSecret('Vault "app" secret "s"', "s", { value: "literal" })).toThrow(
            /^Vault "app" secret "s" must be a Pulumi secret .* got a plain string/,
        );
    });

    it("accepts an Output (its secretness is checked when it resolves)", () => {
        expect(() => checkVaultSecret('Vault "app" secret "s"', "s", { value: pulumi.secret("v") })).not.toThrow();
    });

    it("reports every problem at once", () => {
        expect(() => checkVaultSecret("L", "bad name", { generate: { length: 4 } })).toThrow(/L:\n {2}- L: the secret name .*\n {2}- L generate.length/);
    });
});
