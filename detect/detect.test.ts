import { randomBytes, randomInt } from "crypto";
import { buildCorpus, corpusSeed, LabelledSample, precisionRecall } from "./corpus";
import { detectSecrets, maskSecret, secretKinds, shannonEntropy } from "./index";
import { AZURITE_ACCOUNT_KEY, isPlaceholder, isSecretKey, isWordLike } from "./values";

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const alnum = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join("");

/** No 5-character window of the secret may appear in the masked text. */
function leaks(masked: string, secret: string): string | undefined {
    for (let i = 0; i + 5 <= secret.length; i++) {
        const part = secret.slice(i, i + 5);
        if (masked.includes(part)) return part;
    }
    return undefined;
}

const fixedSeeds = [1, 2, 3, 42, 2024];
const randomSeed = randomInt(0, 2 ** 31);

describe.each([...fixedSeeds, randomSeed])("labelled corpus (seed %i)", (seed) => {
    const corpus = buildCorpus(seed);
    const positives = corpus.filter((s): s is LabelledSample & { kind: NonNullable<LabelledSample["kind"]> } => s.kind !== null);
    const negatives = corpus.filter((s) => s.kind === null);

    it("is large enough and covers every kind with positives and negatives", () => {
        expect(corpusSeed(corpus)).toBe(seed);
        expect(corpus.length).toBeGreaterThanOrEqual(150);
        for (const kind of secretKinds) expect(positives.filter((s) => s.kind === kind).length).toBeGreaterThanOrEqual(3);
        expect(negatives.length).toBeGreaterThanOrEqual(60);
    });

    it("detects every positive with the right kind, covering exactly the secret", () => {
        const wrong = positives.flatMap((s) => {
            const findings = detectSecrets(s.text, { key: s.key });
            const hit = findings.find((f) => f.kind === s.kind);
            if (!hit) return [`${s.note}: expected ${s.kind}, got [${findings.map((f) => f.kind).join(", ")}]`];
            if (s.text.slice(hit.start, hit.end) !== s.secret) return [`${s.note}: span ${hit.start}-${hit.end} does not match the secret`];
            return [];
        });
        expect({ seed, wrong }).toEqual({ seed, wrong: [] });
    });

    it("reports nothing for every negative", () => {
        const wrong = negatives.flatMap((s) => {
            const findings = detectSecrets(s.text, { key: s.key });
            return findings.length === 0 ? [] : [`${s.note}: ${findings.map((f) => `${f.kind} ${f.masked}`).join(", ")}`];
        });
        expect({ seed, wrong }).toEqual({ seed, wrong: [] });
    });

    it("never reveals more than 4 characters of a secret", () => {
        for (const s of positives) {
            for (const f of detectSecrets(s.text, { key: s.key })) {
                const secret = s.text.slice(f.start, f.end);
                expect({ note: s.note, leak: leaks(f.masked, secret) }).toEqual({ note: s.note, leak: undefined });
                expect({ note: s.note, leak: leaks(f.description, secret) }).toEqual({ note: s.note, leak: undefined });
                const shown = f.masked.slice(0, f.masked.indexOf("…"));
                expect(shown.length).toBeLessThanOrEqual(4);
                expect(secret.startsWith(shown)).toBe(true);
            }
        }
    });
});

describe("precisionRecall", () => {
    const corpus = buildCorpus(7);

    it("scores the detector at full precision and recall on its corpus", () => {
        const pr = precisionRecall(corpus, (text, key) => detectSecrets(text, { key }));
        expect(pr.mistakes).toEqual([]);
        expect(pr.anySecret.precision).toBe(1);
        expect(pr.anySecret.recall).toBe(1);
        for (const kind of secretKinds) expect(pr.byKind[kind].tp).toBeGreaterThan(0);
    });

    it("counts misses and false alarms of a weaker detector", () => {
        const nothing = precisionRecall(corpus, () => []);
        const positives = corpus.filter((s) => s.kind !== null).length;
        expect(nothing.anySecret).toMatchObject({ tp: 0, fp: 0, fn: positives, recall: 0, precision: 1 });
        const everything = precisionRecall(corpus, () => [{ kind: "generic-secret" }]);
        expect(everything.anySecret.fp).toBe(corpus.length - positives);
        expect(everything.byKind["generic-secret"].recall).toBe(1);
        expect(everything.byKind["jwt"].recall).toBe(0);
    });
});

describe("maskSecret", () => {
    it("shows 4 characters of long secrets, 2 of medium ones and none of short ones", () => {
        expect(maskSecret("Abc1" + "x".repeat(84))).toBe("Abc1…(88 chars)");
        expect(maskSecret("Ab" + "z".repeat(10))).toBe("Ab…(12 chars)");
        expect(maskSecret("hunter22")).toBe("…(8 chars)");
        expect(maskSecret("")).toBe("…(0 chars)");
    });

    it("never reveals more than 4 characters, whatever the length", () => {
        for (let n = 1; n <= 300; n++) {
            const secret = randomBytes(n).toString("base64").slice(0, n);
            const masked = maskSecret(secret);
            expect(leaks(masked, secret)).toBeUndefined();
            expect(masked.indexOf("…")).toBeLessThanOrEqual(4);
        }
    });

    it("does not reveal line breaks or control characters", () => {
        expect(maskSecret("\n\tab" + "c".repeat(40))).toBe("ab…(44 chars)");
    });
});

describe("detectSecrets", () => {
    const key88 = () => randomBytes(64).toString("base64");

    it("allows the public Azurite key and its connection string", () => {
        expect(detectSecrets(AZURITE_ACCOUNT_KEY)).toEqual([]);
        expect(detectSecrets(`AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};`)).toEqual([]);
        expect(detectSecrets("UseDevelopmentStorage=true")).toEqual([]);
    });

    it("prefers the connection-string kind over the bare key it contains", () => {
        const k = key88();
        const text = `DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=${k};EndpointSuffix=core.windows.net`;
        const findings = detectSecrets(text);
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({ kind: "storage-connection-string", start: text.indexOf(k), end: text.indexOf(k) + 88 });
    });

    it("reports several secrets in one text, in order", () => {
        const a = key88();
        const b = `npm_${alnum(36)}`;
        const findings = detectSecrets(`first ${a}\nsecond ${b}\n`);
        expect(findings.map((f) => f.kind)).toEqual(["storage-account-key", "npm-token"]);
        expect(findings[0].start).toBeLessThan(findings[1].start);
    });

    it("uses the field name for values that have no format of their own", () => {
        const pw = `${randomBytes(12).toString("base64")}!`;
        expect(detectSecrets(pw)).toEqual([]);
        expect(detectSecrets(pw, { key: "adminPassword" })).toMatchObject([{ kind: "generic-secret", start: 0, end: pw.length }]);
        expect(detectSecrets(pw, { key: "adminPasswordLength" })).toEqual([]);
    });

    it("returns nothing for empty or non-string input instead of throwing", () => {
        expect(detectSecrets("")).toEqual([]);
        expect(detectSecrets(undefined as unknown as string)).toEqual([]);
        expect(detectSecrets(42 as unknown as string)).toEqual([]);
        expect(detectSecrets("x", { key: 5 as unknown as string })).toEqual([]);
    });

    it("caps the number of findings on a text full of credentials", () => {
        const many = Array.from({ length: 3000 }, () => key88()).join("\n");
        const findings = detectSecrets(many);
        expect(findings.length).toBe(500);
        expect(findings.every((f) => f.kind === "storage-account-key")).toBe(true);
    });
});

describe("value classification", () => {
    it("recognises secret-looking names and leaves names that point at secrets", () => {
        for (const k of ["password", "dbPassword", "AZURE_CLIENT_SECRET", "client_secret", "apiKey", "API_KEY", "x-api-key", "accessKey", "privateKey", "githubToken", "myapp:sqlAdminPassword", "config.db.password", "passwordValue", "adminpassword"]) {
            expect({ k, secret: isSecretKey(k) }).toEqual({ k, secret: true });
        }
        for (const k of ["secretName", "secretUri", "passwordLength", "tokenEndpoint", "tokenAudience", "keyVaultName", "publicKey", "instrumentationKey", "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__clientId", "nextToken", "bypass", "key", "passwordProfile", "connectionString"]) {
            expect({ k, secret: isSecretKey(k) }).toEqual({ k, secret: false });
        }
    });

    it("recognises placeholders", () => {
        for (const v of ["${DB_PASSWORD}", "$(DB_PASSWORD)", "{{ db_password }}", "<set-me>", "changeme", "CHANGE_ME", "***", "REPLACE_ME", "$DB_PASSWORD", "%DB_PASSWORD%", "__DB_PASSWORD__", "xxxxxxxx", "your-api-key"]) {
            expect({ v, placeholder: isPlaceholder(v) }).toEqual({ v, placeholder: true });
        }
        // A random string between variable markers is a value, not a variable name.
        expect(isPlaceholder("%Xk9mQ2vL8pR4%")).toBe(false);
        expect(isPlaceholder(randomBytes(12).toString("base64"))).toBe(false);
    });

    it("tells names from random strings", () => {
        for (const v of ["apiKeyFromVault", "process.env.GITHUB_TOKEN", "keyvault/db-password", "MySecretName", "readable-setting-value"]) expect(isWordLike(v)).toBe(true);
        for (const v of ["Xk9mQ2vL8pR4", "8vutqpJgozSRSRQ8grNDRN4EdjAQ4Has", "k3jd9slq2mxw"]) expect(isWordLike(v)).toBe(false);
    });

    it("computes Shannon entropy in bits per character", () => {
        expect(shannonEntropy("")).toBe(0);
        expect(shannonEntropy("aaaa")).toBe(0);
        expect(shannonEntropy("abab")).toBeCloseTo(1, 10);
        expect(shannonEntropy("abcdefgh")).toBeCloseTo(3, 10);
        expect(shannonEntropy("ab\u00e9\u00e9")).toBeCloseTo(1.5, 10);
    });
});

describe("boundaries", () => {
    const ENTRA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_~.-";
    const entra = () => `${alnum(3)}${randomInt(10)}Q~${Array.from({ length: 34 }, () => ENTRA[randomInt(ENTRA.length)]).join("")}`.replace(/\.$/, "x");

    it("finds a JWT or an Entra secret at the end of a sentence", () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        const token = `${enc({ alg: "HS256", typ: "JWT" })}.${enc({ sub: alnum(8) })}.${randomBytes(32).toString("base64url")}`;
        expect(detectSecrets(`The token was ${token}.`)).toMatchObject([{ kind: "jwt", end: 14 + token.length }]);
        const secret = entra();
        expect(detectSecrets(`Use ${secret}. Then rotate it.`)).toMatchObject([{ kind: "entra-client-secret", start: 4, end: 44 }]);
    });

    it("names the kind from the field when the value has no format of its own", () => {
        const b64 = randomBytes(32).toString("base64");
        expect(detectSecrets(b64, { key: "sharedAccessKey" })).toMatchObject([{ kind: "shared-access-key" }]);
        expect(detectSecrets(b64, { key: "cosmosReadOnlyKey" })).toMatchObject([{ kind: "cosmos-db-key" }]);
        expect(detectSecrets(`{"sharedAccessKey": "${b64}"}`)).toMatchObject([{ kind: "shared-access-key" }]);
    });
});
