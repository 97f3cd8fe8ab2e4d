import { shannonEntropy } from "./entropy";
import { SecretKind } from "./types";

/**
 * Classification of names and values shared by the rules. Everything here runs on short, bounded strings
 * (keys and candidate values are capped before they get here) and uses no unbounded backtracking.
 */

/** The Azurite emulator's published development key: public by design, so never a finding. */
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/**
 * The Cosmos DB emulator's well-known key, the same for every installation
 * (https://learn.microsoft.com/en-us/azure/cosmos-db/emulator, "authenticate requests").
 */
export const COSMOS_EMULATOR_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** Keys published by Microsoft for local emulators: reporting them would only teach people to ignore findings. */
export function isEmulatorKey(value: string): boolean {
    return value === AZURITE_ACCOUNT_KEY || value === COSMOS_EMULATOR_KEY;
}

const MAX_KEY_LENGTH = 200;

/** Splits a field or setting name into lowercase words: `AZURE_CLIENT_SECRET`, `dbPassword`, `myapp:apiKey`, `x-functions-key`. */
export function keyWords(key: string): string[] {
    let k = key.length > MAX_KEY_LENGTH ? key.slice(-MAX_KEY_LENGTH) : key;
    // The last component of a dotted path or Pulumi config namespace is the name that matters.
    const parts = k.split(/[.:/\\[\]]+/).filter((p) => p.length > 0);
    k = parts.length > 0 ? parts[parts.length - 1] : "";
    return k
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]{1,100})([A-Z][a-z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0);
}

/** Trailing words that qualify a secret without changing what it is (`passwordValue`, `apiKeyB64`). */
const QUALIFIERS = new Set(["value", "plain", "plaintext", "raw", "b64", "base64", "encoded", "text", "str", "string", "txt"]);
/** Words that make a `...token` name something else: pagination and cancellation tokens are not credentials. */
const NOT_CREDENTIAL_TOKEN = new Set(["next", "continuation", "page", "paging", "skip", "cancellation", "sync", "csrf", "xsrf", "public", "publishable"]);
/** Names ending in one of these (after joining words) hold a credential. */
const SECRET_SUFFIXES = [
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "secrets",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "accountkey",
    "sharedaccesskey",
    "authkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "secretkey",
    "storagekey",
    "primarykey",
    "secondarykey",
    "functionkey",
    "functionskey",
    "hostkey",
    "subscriptionkey",
    "credentials",
    "credential",
    "creds",
];
/** Azure services authenticated by a shared key. */
const SERVICE_WORDS = new Set(["cosmos", "cosmosdb", "storage", "redis", "servicebus", "eventhub", "eventhubs", "signalr", "search", "openai", "cognitive", "webpubsub", "relay", "iot", "iothub"]);
const SERVICE_NAMES = [...SERVICE_WORDS];
/** Whole last words that name a credential but are too short to match as suffixes (`bypass` is not a password). */
const SECRET_LAST_WORDS = new Set(["pass", "pat", "pw", "auth", "cred"]);

/**
 * True when a field or setting name says its value is a credential: `password`, `dbPassword`, `AZURE_CLIENT_SECRET`,
 * `apiKey`, `access_key`, `privateKey`, `githubToken`. Names that point at a secret rather than hold one
 * (`secretName`, `secretUri`, `passwordLength`, `tokenEndpoint`, `keyVaultName`) are not.
 */
export function isSecretKey(key: string | undefined): boolean {
    if (!key) return false;
    let known = secretKeyCache.get(key);
    if (known === undefined) {
        known = classifyKey(key);
        // Names repeat (every `name: value` in a file); a small bounded memo keeps the keyword rule cheap.
        if (secretKeyCache.size >= 2000) secretKeyCache.clear();
        secretKeyCache.set(key, known);
    }
    return known;
}

const secretKeyCache = new Map<string, boolean>();

function classifyKey(key: string): boolean {
    const words = keyWords(key);
    while (words.length > 0 && (QUALIFIERS.has(words[words.length - 1]) || /^[0-9]{1,3}$/.test(words[words.length - 1]))) words.pop();
    if (words.length === 0) return false;
    const last = words[words.length - 1];
    if (SECRET_LAST_WORDS.has(last)) return true;
    const joined = words.join("");
    // `cosmosKey`, `redisKey`, `searchAdminKey`: a key named after a keyed service is that service's key.
    // Joined, so that camelCase and snake_case splits agree: `EventHubKey` and `event_hub_key` both name Event Hubs.
    if (joined.endsWith("key") && !joined.endsWith("publickey") && SERVICE_NAMES.some((w) => joined.includes(w))) return true;
    if (!SECRET_SUFFIXES.some((s) => joined.endsWith(s))) return false;
    if (joined.endsWith("token") && words.some((w) => NOT_CREDENTIAL_TOKEN.has(w))) return false;
    // `keyVaultToStoreSecrets`, `vaultForSecrets`: the name of a place that keeps secrets, not one.
    if (/secrets?$/.test(last) && words.includes("vault")) return false;
    return true;
}

/** The kind a keyword-based finding gets from its name: `x-functions-key` is a function key, `redisPassword` a Redis password. */
export function kindFromKey(key: string | undefined, value: string): SecretKind {
    if (!key) return "generic-secret";
    const joined = keyWords(key).join("");
    if (/functions?key$|hostkey$/.test(joined)) return "function-key";
    if (joined.includes("aws") && /secret(access)?key$/.test(joined) && /^[A-Za-z0-9/+]{40}$/.test(value)) return "aws-secret-key";
    if (joined.includes("redis")) return "redis-password";
    if (joined.endsWith("sharedaccesskey") || (/eventhubs?|servicebus|relay|iothub/.test(joined) && joined.endsWith("key"))) return "shared-access-key";
    if (joined.includes("cosmos") && joined.endsWith("key")) return "cosmos-db-key";
    if (/(?:storage|storageaccount)(?:access)?key$/.test(joined)) return "storage-account-key";
    return "generic-secret";
}

const PLACEHOLDER_EXACT = new Set([
    "changeme",
    "changeit",
    "replaceme",
    "replacethis",
    "placeholder",
    "example",
    "sample",
    "dummy",
    "fake",
    "test",
    "testing",
    "todo",
    "tbd",
    "fixme",
    "redacted",
    "secret",
    "password",
    "passw0rd",
    "pass",
    "pwd",
    "token",
    "apikey",
    "key",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "default",
    "true",
    "false",
    "notasecret",
    "notsecret",
    "setme",
]);
const PLACEHOLDER_SUBSTRINGS = [
    "changeme",
    "change_me",
    "change-me",
    "replaceme",
    "replace_me",
    "replace-me",
    "placeholder",
    "example",
    "your_",
    "your-",
    "yourpassword",
    "yoursecret",
    "yourkey",
    "yourtoken",
    "xxxxx",
    "*****",
    "•••",
    "redacted",
    "dummy",
    "set-me",
    "set_me",
    "${",
    "$(",
    "{{",
    "}}",
    "#{",
    "%(",
    "replace_with",
    "replace-with",
    "not_a_real",
    "not-a-real",
    "notareal",
    "####",
];

/**
 * True for values that stand in for a secret instead of being one: `${VAR}`, `$(VAR)`, `{{ var }}`, `<set-me>`,
 * `changeme`, `***`, `REPLACE_ME`, `$VAR`, `%VAR%`, `__TOKEN__`, a run of one character.
 */
export function isPlaceholder(value: string): boolean {
    const v = value.trim();
    if (v.length === 0) return true;
    if (v.length > 4096) return false;
    const lower = v.toLowerCase();
    const squashed = lower.replace(/[-_ .]/g, "");
    if (PLACEHOLDER_EXACT.has(lower) || PLACEHOLDER_EXACT.has(squashed)) return true;
    if (PLACEHOLDER_SUBSTRINGS.some((s) => lower.includes(s))) return true;
    if (/^<[^<>]{0,200}>$/.test(v) || /^\[[^[\]]{0,200}\]$/.test(v) || /^\{[A-Za-z0-9_. -]{1,200}\}$/.test(v)) return true;
    // `$VAR`, `%VAR%`, `__VAR__`, `@@VAR@@` name a variable; a random string between the markers is a value.
    const variable = /^(?:\$([A-Za-z_][A-Za-z0-9_]{0,200})|%([A-Za-z_][A-Za-z0-9_]{0,200})%|__([A-Za-z0-9_]{1,200})__|@@([A-Za-z0-9_]{1,200})@@)$/.exec(v);
    if (variable && isWordLike(variable[1] ?? variable[2] ?? variable[3] ?? variable[4] ?? "")) return true;
    let same = true;
    for (let i = 1; i < v.length && same; i++) same = v.charCodeAt(i) === v.charCodeAt(0);
    // Only in token-length values: a short password such as `1234567a` is weak, but it is a password.
    return same || (v.length >= 20 && hasFillerRun(v));
}

/**
 * Hand-typed stand-ins: seven of one character (`5555555`, `aaaaaaa`) or a counting run of seven (`1234567`,
 * `abcdefg`). Either occurs by chance in a random 100-character token well under once in a million.
 */
function hasFillerRun(v: string): boolean {
    let same = 1;
    let up = 1;
    for (let i = 1; i < v.length; i++) {
        const d = v.charCodeAt(i) - v.charCodeAt(i - 1);
        same = d === 0 ? same + 1 : 1;
        up = d === 1 ? up + 1 : 1;
        if (same >= 7 || up >= 7) return true;
    }
    return false;
}

const GUID = /^[{(]?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[)}]?$/;

export function isGuid(value: string): boolean {
    return GUID.test(value);
}

/**
 * Values that look random but are documented as not secret, or are references to a secret held elsewhere:
 * Key Vault references, GUIDs, resource IDs, URLs, image digests, SSH public keys, public certificates,
 * Application Insights connection strings, plain numbers and booleans.
 */
export function isKnownNonSecret(value: string): boolean {
    const v = value.trim();
    if (/^@Microsoft\.KeyVault\(/i.test(v)) return true;
    if (GUID.test(v)) return true;
    if (/^\/(?:subscriptions|providers)\//i.test(v)) return true;
    if (/^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\//.test(v)) return true;
    if (/^sha(?:1|256|384|512):[0-9a-fA-F]{40,128}$/.test(v)) return true;
    if (/^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp[0-9]{3}|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/.test(v)) return true;
    if (/^-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE)-----/.test(v)) return true;
    if (/^InstrumentationKey=[0-9a-fA-F-]{36}(?:;|$)/i.test(v)) return true;
    if (/^(?:true|false|yes|no|on|off)$/i.test(v)) return true;
    if (/^[-+]?[0-9][0-9_.,:]{0,100}$/.test(v)) return true;
    // A build artifact's name ends with its version (`jjwt-jackson-0.11.2`, `group:artifact:1.2.3`).
    if (/^[A-Za-z][A-Za-z0-9_.-]{0,100}[-:][0-9]{1,4}(?:\.[0-9]{1,6}){1,3}(?:[-.][A-Za-z0-9]{1,20})?$/.test(v)) return true;
    return isEmulatorKey(v);
}

type CharClass = 0 | 1 | 2 | 3;
function charClass(c: number): CharClass {
    if (c >= 97 && c <= 122) return 0; // lower
    if (c >= 65 && c <= 90) return 1; // upper
    if (c >= 48 && c <= 57) return 2; // digit
    return 3;
}

/** How many of lowercase, uppercase, digits and symbols appear. */
export function charClassCount(v: string): number {
    let mask = 0;
    for (let i = 0; i < v.length; i++) mask |= 1 << charClass(v.charCodeAt(i));
    return ((mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1)) as number;
}

function isSeparator(c: number): boolean {
    return c === 45 || c === 95 || c === 46 || c === 47 || c === 58; // - _ . / :
}

/**
 * True for names made of words (`keyvault/db-password`, `MySecretName`, `key2Value`, `process.env.GITHUB_TOKEN`):
 * letters, a few short numbers and separators, where each part is lowercase words, an uppercase name, or
 * camelCase (capitals start words, so they are a minority of the letters). Random strings fail one of these:
 * a lone letter between digits or case changes, many digit groups, or as many capitals as lowercase letters.
 */
export function isWordLike(v: string): boolean {
    const n = v.length;
    let i = 0;
    let tokens = 0;
    let digitGroups = 0;
    let partUpper = 0;
    let partLower = 0;
    let shortWords = 0;
    const partOk = () => partUpper === 0 || partLower === 0 || partUpper <= 0.4 * (partUpper + partLower);
    while (i < n) {
        const c = v.charCodeAt(i);
        if (isSeparator(c)) {
            if (!partOk()) return false;
            partUpper = 0;
            partLower = 0;
            i++;
            continue;
        }
        const cls = charClass(c);
        if (cls === 3) return false;
        let j = i;
        while (j < n && charClass(v.charCodeAt(j)) === cls) j++;
        if (cls === 2) {
            if (j - i > 4 || ++digitGroups > 2) return false;
            i = j;
            tokens++;
            continue;
        }
        if (cls === 1) {
            let k = j;
            while (k < n && charClass(v.charCodeAt(k)) === 0) k++;
            const upperRun = j - i;
            const lowerRun = k - j;
            // An acronym (`API`, `DB`) or a capitalised word (`Value`, or `APIKey` where the last capital starts
            // the word). A single capital alone, or followed by one lowercase letter, is a random-looking fragment.
            if (lowerRun === 0 ? upperRun < 2 : lowerRun < 2 && !(upperRun === 1 && lowerRun === 1 && ++shortWords <= 1)) return false;
            if (lowerRun > 0 && !pronounceable(v, j - 1, k)) return false;
            // `IDBValid`, `HTTPServer`: an acronym then a word; the acronym's capitals do not make it look random.
            partUpper += upperRun > 1 && lowerRun >= 3 && upperRun <= 5 ? 1 : upperRun;
            if (upperRun > 1 && lowerRun >= 3 && upperRun <= 5) partLower += upperRun - 1;
            partLower += lowerRun;
            i = k;
            tokens++;
            continue;
        }
        if (j - i < 2 || !pronounceable(v, i, j)) return false;
        partLower += j - i;
        i = j;
        tokens++;
    }
    return tokens > 0 && partOk();
}

/** A word of four or more letters has a vowel and no run of six consonants (`y` counts as a vowel; `passthrough` has five). */
function pronounceable(v: string, from: number, to: number): boolean {
    if (to - from < 4) return true;
    let vowels = 0;
    let consonants = 0;
    for (let i = from; i < to; i++) {
        const vowel = "aeiouyAEIOUY".includes(v[i]);
        if (vowel) {
            vowels++;
            consonants = 0;
        } else if (++consonants >= 6) return false;
    }
    return vowels > 0;
}

/** The entropy a random-looking value of this length must reach: short strings cannot reach high values. */
export function entropyThreshold(length: number): number {
    return Math.min(2.75, Math.log2(Math.max(length, 2)) * 0.8);
}

/**
 * The keyword-plus-entropy test for a value found under a secret-looking name. `quoted` is false for values
 * found bare in text, where code (`config.requireSecret(...)`, `args.password`) is far more common.
 */
export function isLikelySecretValue(value: string, quoted: boolean): boolean {
    const v = value.trim();
    if (v.length < 8 || v.length > 4096) return false;
    if (/\s/.test(v)) return false;
    // Bare values: code and templates (`f(x)`, `{a}`), or a `k=v` chain rather than one value (base64 padding is fine).
    if (!quoted && /[(){}[\]<>]/.test(v)) return false;
    // Bare member chains and negations of names are expressions in code: `_a.left`, `args.password`, `!questionToken`.
    if (!quoted && /^!{0,2}[A-Za-z_$][A-Za-z0-9_$]{0,100}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,100}){0,20}$/.test(v) && (v.includes(".") || v.startsWith("!"))) {
        const names = v.replace(/^!{1,2}/, "").split(".");
        if (names.every((n) => n.length <= 3 || isWordLike(n))) return false;
    }
    if (!quoted && v.includes("=") && !(v.length % 4 === 0 && /^[A-Za-z0-9+/_-]{6,4096}={1,2}$/.test(v))) return false;
    if (isWordLike(v) || isRepetitive(v)) return false;
    if (isPlaceholder(v) || isKnownNonSecret(v)) return false;
    if (charClassCount(v) < 2) return false;
    return shannonEntropy(v) >= entropyThreshold(v.length);
}

/** True when the value repeats a unit of up to 32 characters (`abcabcabc...`, `AccountKey=AccountKey=...`). */
export function isRepetitive(v: string): boolean {
    const n = v.length;
    for (let p = 1; p <= 32 && p * 2 <= n; p++) {
        let i = p;
        while (i < n && v.charCodeAt(i) === v.charCodeAt(i - p)) i++;
        if (i === n) return true;
    }
    return false;
}

/** Decodes `%2B`-style escapes for validation; invalid escapes leave the text as is. */
export function percentDecode(s: string): string {
    if (!s.includes("%")) return s;
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** True for a standard base64 string of at least `minLength` characters whose characters look random. */
export function isRandomBase64(s: string, minLength: number, minEntropy: number): boolean {
    const v = percentDecode(s);
    if (v.length < minLength || v.length > 1024) return false;
    if (!/^[A-Za-z0-9+/]{8,1024}={0,2}$/.test(v)) return false;
    if (isEmulatorKey(v)) return false;
    if (isPlaceholder(v)) return false;
    return shannonEntropy(v) >= minEntropy;
}
