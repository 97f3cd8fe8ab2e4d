import * as pulumi from "@pulumi/pulumi";
import { plainSecretProblem } from "../shared/secrets";

/**
 * Where a vault secret's value comes from. There is deliberately no plain-string form: a value is either
 * generated at deploy time or arrives as a Pulumi secret (config.requireSecret, a `secure:` stack value, a
 * @pulumi/random result wrapped in pulumi.secret).
 */
export type VaultSecretSource = GeneratedSecretSource | ProvidedSecretSource;

export interface GeneratedSecretSource {
    /** Generate a random password (@pulumi/random RandomPassword); it is kept in state encrypted as a secret. */
    generate: {
        /** Defaults to 32. Between 16 and 1024. */
        length?: number;
        /** Include punctuation. Defaults to true; turn off for consumers that cannot escape it. */
        special?: boolean;
    };
}

export interface ProvidedSecretSource {
    /** A Pulumi secret. A plain string is refused, and an Output not marked secret fails when it resolves. */
    value: pulumi.Output<string>;
}

export const defaultGeneratedLength = 32;
export const minGeneratedLength = 16;
export const maxGeneratedLength = 1024;

const secretNamePattern = /^[0-9A-Za-z-]{1,127}$/;

/** Key Vault object names: 1-127 characters, letters, digits and hyphens. */
export function isVaultSecretName(value: string): boolean {
    return typeof value === "string" && secretNamePattern.test(value);
}

/** The input keys a secret declaration is read from, as problems name them: `secretName`/`source`, or `secrets["db"]`. */
export interface SecretKeys {
    name: string;
    source: string;
}

/** Why a secret declaration would be refused, or an empty list. Checked before anything is declared. */
export function secretSourceProblems(keys: SecretKeys, secretName: string, source: unknown): string[] {
    const problems: string[] = [];
    if (!isVaultSecretName(secretName)) {
        problems.push(`${keys.name}: the secret name must be 1-127 letters, digits or hyphens; got "${secretName}".`);
    }
    if (!source || typeof source !== "object") {
        problems.push(`${keys.source} must be { generate: {...} } or { value: <Pulumi secret> }; got ${source === null ? "null" : typeof source}.`);
        return problems;
    }
    const record = source as Record<string, unknown>;
    const hasGenerate = "generate" in record && record.generate !== undefined;
    const hasValue = "value" in record && record.value !== undefined;
    if (hasGenerate === hasValue) {
        problems.push(`${keys.source} must set exactly one of generate or value; got ${hasValue ? "both" : "neither"}.`);
        return problems;
    }
    if (hasGenerate) {
        const generate = record.generate as Record<string, unknown>;
        if (!generate || typeof generate !== "object") {
            // A misplaced value could be the secret itself: name its type, never the value.
            problems.push(`${keys.source}.generate must be an object such as { length: 32 }; got ${generate === null ? "null" : typeof generate}.`);
            return problems;
        }
        const length = generate.length;
        if (length !== undefined && (!Number.isInteger(length) || (length as number) < minGeneratedLength || (length as number) > maxGeneratedLength)) {
            problems.push(`${keys.source}.generate.length must be an integer from ${minGeneratedLength} to ${maxGeneratedLength}; got ${JSON.stringify(length)}.`);
        }
        if (generate.special !== undefined && typeof generate.special !== "boolean") {
            problems.push(`${keys.source}.generate.special must be true or false; got ${JSON.stringify(generate.special)}.`);
        }
    } else {
        // An Output's secretness is checked when it resolves (requireSecretInput); a literal is refused now.
        const plain = plainSecretProblem(`${keys.source}.value`, record.value);
        if (plain) {
            problems.push(plain);
        }
    }
    return problems;
}
