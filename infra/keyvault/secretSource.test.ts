import * as pulumi from "@pulumi/pulumi";
import { isVaultSecretName, secretSourceProblems } from "./secretSource";
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
    const keys = { name: "secretName", source: "source" };

    it("accepts a generated source with defaults or with bounds", () => {
        expect(secretSourceProblems(keys, "s", { generate: {} })).toEqual([]);
        expect(secretSourceProblems(keys, "s", { generate: { length: 16, special: false } })).toEqual([]);
        expect(secretSourceProblems(keys, "s", { generate: { length: 1024 } })).toEqual([]);
    });

    it("refuses lengths out of range or not whole", () => {
        for (const length of [15, 1025, 20.5, "32"]) {
            expect(secretSourceProblems(keys, "s", { generate: { length } })).toEqual([
                `source.generate.length must be an integer from 16 to 1024; got ${JSON.stringify(length)}.`,
            ]);
        }
    });

    it("refuses a missing source and a source with both forms or neither", () => {
        expect(secretSourceProblems(keys, "s", undefined)).toEqual(["source must be { generate: {...} } or { value: <Pulumi secret> }; got undefined."]);
        expect(secretSourceProblems(keys, "s", {})).toEqual(["source must set exactly one of generate or value; got neither."]);
        expect(secretSourceProblems(keys, "s", { generate: {}, value: pulumi.secret("v") })).toEqual(["source must set exactly one of generate or value; got both."]);
    });

    it("refuses a plain string with requireSecretInput's message, naming the value's key", () => {
        expect(secretSourceProblems(keys, "s", { value: "literal" })).toEqual([
            "source.value must be a Pulumi secret (from config.requireSecret, a secure: stack value, or a @pulumi/random value); " +
                "got a plain string, which would be stored and shown in clear text.",
        ]);
    });

    it("names the type of a misplaced generate value, never the value", () => {
        const misplaced = ["hunter", "2"].join("");
        expect(secretSourceProblems(keys, "s", { generate: misplaced })).toEqual(["source.generate must be an object such as { length: 32 }; got string."]);
    });

    it("accepts an Output (its secretness is checked when it resolves)", () => {
        expect(secretSourceProblems(keys, "s", { value: pulumi.secret("v") })).toEqual([]);
    });

    it("reports a bad name and a bad source together, each under its own key", () => {
        expect(secretSourceProblems({ name: 'secrets["bad name"]', source: 'secrets["bad name"]' }, "bad name", { generate: { length: 4, special: "no" } })).toEqual([
            'secrets["bad name"]: the secret name must be 1-127 letters, digits or hyphens; got "bad name".',
            'secrets["bad name"].generate.length must be an integer from 16 to 1024; got 4.',
            'secrets["bad name"].generate.special must be true or false; got "no".',
        ]);
    });
});
