import { ScanContext } from "./context";
import { shannonEntropy } from "./entropy";
import { httpCredentialsRule } from "./http-credentials";
import { identifiableKeyAt, SIGNATURES } from "./identifiable";
import { providerTokenRule } from "./providers";
import {
    isEmulatorKey,
    isLikelySecretValue,
    isPlaceholder,
    isRandomBase64,
    isSecretKey,
    isWordLike,
    kindFromKey,
    percentDecode,
} from "./values";

/**
 * The detection rules, in priority order: when two candidates overlap, the earlier rule wins, so specific
 * formats (a connection string's `AccountKey=`) beat generic ones (a bare 88-character key, a keyword match).
 *
 * Linear time: every pattern is anchored by a literal or a negative lookbehind on its own character class (so
 * a long run of that class is tried only at its start), every repetition is bounded, and no quantified group
 * contains another quantifier. Look-around for context uses bounded windows or the cached segments of
 * `ScanContext`.
 */
export type Rule = (ctx: ScanContext) => void;

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
        yield m;
        if (m[0].length === 0) re.lastIndex++;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Private keys: PEM and OpenSSH. A header alone (in docs or an error message) is not a key: require a body.

const PEM_HEADER = /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |)PRIVATE KEY( BLOCK)?-----/g;
const PEM_BODY_WINDOW = 200;
const PEM_MAX_LENGTH = 20000;

export const privateKeyRule: Rule = (ctx) => {
    const { text } = ctx;
    let endMarker = -2; // -2: not searched yet, -1: none left in the text
    for (const m of matches(PEM_HEADER, text)) {
        if (ctx.full) return;
        const headerEnd = m.index + m[0].length;
        if (!hasBase64Run(text, headerEnd, Math.min(text.length, headerEnd + PEM_BODY_WINDOW), 40)) continue;
        // The next END marker at or after this header. Searched forward only, so the total work stays linear.
        if (endMarker !== -1 && endMarker < headerEnd) endMarker = text.indexOf("-----END ", headerEnd);
        let end: number;
        if (endMarker >= 0 && endMarker - headerEnd <= PEM_MAX_LENGTH) {
            // The END line's closing dashes, looked for in a bounded window.
            const close = text.slice(endMarker + 9, endMarker + 89).indexOf("-----");
            end = close >= 0 ? endMarker + 9 + close + 5 : endMarker + 9;
        } else {
            end = Math.min(text.length, headerEnd + PEM_BODY_WINDOW);
        }
        const label = m[1] === "OPENSSH " ? "OpenSSH private key" : m[1] === "PGP " ? "PGP private key block" : "PEM private key";
        ctx.add("private-key", label, m.index, end);
        PEM_HEADER.lastIndex = Math.max(PEM_HEADER.lastIndex, end);
    }
};

function hasBase64Run(text: string, from: number, to: number, length: number): boolean {
    let run = 0;
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        const b64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
        run = b64 ? run + 1 : 0;
        if (run >= length) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------------------
// JSON Web Tokens: three base64url segments whose header decodes to a JSON object with "alg".

// The header is base64url JSON: `{"` encodes as eyJ; `{ "`, `{\n`, `{\r\n` and `{\t` as eyA, ewo, ew0 and ewk.
const JWT = /(?<![A-Za-z0-9_-])e(?:yJ|yA|wo|w0|wk)[A-Za-z0-9_-]{5,2000}\.[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{0,2000}(?![A-Za-z0-9_-])/g;

export const jwtRule: Rule = (ctx) => {
    for (const m of matches(JWT, ctx.text)) {
        if (ctx.full) return;
        const [header, , signature] = m[0].split(".");
        const alg = jwtAlg(header);
        if (alg === undefined) continue;
        if (alg.toLowerCase() !== "none" && signature.length < 16) continue;
        ctx.add("jwt", "JSON Web Token", m.index, m.index + m[0].length);
    }
};

function jwtAlg(segment: string): string | undefined {
    const decoded = Buffer.from(segment, "base64url").toString("utf8");
    // Cheap checks first: most eyJ... strings are not JWTs, and a failed JSON.parse throws, which is slow.
    if (!decoded.includes('"alg"') || !decoded.trimEnd().endsWith("}")) return undefined;
    try {
        const json: unknown = JSON.parse(decoded);
        if (json && typeof json === "object" && !Array.isArray(json)) {
            const alg = (json as Record<string, unknown>).alg;
            if (typeof alg === "string") return alg;
        }
    } catch {
        // Hand-written headers are not always valid JSON (a missing quote), yet name the algorithm.
        const alg = /"alg"\s{0,8}:\s{0,8}"([A-Za-z0-9]{2,10})"/.exec(decoded);
        if (alg) return alg[1];
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Connection strings with a key: Storage/Cosmos `AccountKey=`, Service Bus/Event Hubs/IoT Hub `SharedAccessKey=`.

const ACCOUNT_KEY = /AccountKey[ \t]{0,3}=[ \t]{0,3}([A-Za-z0-9+/=%]{8,200})/gi;
const COSMOS_CONTEXT = /AccountEndpoint\s{0,3}=|documents\.azure\.com|cosmos/i;

export const accountKeyRule: Rule = (ctx) => {
    for (const m of matches(ACCOUNT_KEY, ctx.text)) {
        if (ctx.full) return;
        const value = m[1];
        if (!isRandomBase64(value, 20, 3.5)) continue;
        const start = m.index + m[0].length - value.length;
        const end = start + value.length;
        if (COSMOS_CONTEXT.test(ctx.around(start, end, 300, 300))) {
            ctx.add("cosmos-db-key", "Cosmos DB account key in a connection string", start, end);
        } else {
            ctx.add("storage-connection-string", "Storage account connection string with AccountKey", start, end);
        }
    }
};

const SHARED_ACCESS_KEY = /SharedAccessKey[ \t]{0,3}=[ \t]{0,3}([A-Za-z0-9+/=%]{8,200})/gi;

export const sharedAccessKeyRule: Rule = (ctx) => {
    for (const m of matches(SHARED_ACCESS_KEY, ctx.text)) {
        if (ctx.full) return;
        const value = m[1];
        if (!isRandomBase64(value, 20, 3.5)) continue;
        const start = m.index + m[0].length - value.length;
        ctx.add("shared-access-key", "Service Bus / Event Hubs / IoT Hub SharedAccessKey", start, start + value.length);
    }
};

// ---------------------------------------------------------------------------------------------------------
// SAS: a `sig=` signature in a query string that also carries `se=` (expiry) or `sv=` (version).

const SAS_SIG = /(?<![A-Za-z0-9_])sig=([A-Za-z0-9+/=%]{16,200})/gi;
const SAS_COMPANION = /(?:^|[?&;]|\\u0026)s[ev]=/i;

export const sasRule: Rule = (ctx) => {
    ctx.resetSegments();
    for (const m of matches(SAS_SIG, ctx.text)) {
        if (ctx.full) return;
        const value = m[1];
        if (!ctx.segmentMatches(m.index, "token", "sas", SAS_COMPANION)) continue;
        if (!isRandomBase64(value, 16, 3.5)) continue;
        const start = m.index + 4;
        ctx.add("sas-token", "Shared access signature (sig=)", start, start + value.length);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Credentials in URLs: `scheme://user:password@host`. The scheme decides the kind.

const URL_CREDENTIALS_AT = /([A-Za-z][A-Za-z0-9+.-]{1,20}):\/\/([^\s:/?#@"'<>`;]{0,128}):([^\s/?#@"'<>`;]{1,256})@(?=[A-Za-z0-9[])/y;

function isSchemeChar(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}

/** Found from each `://`: the scheme is the run of scheme characters before it (2 to 21, starting with a letter). */
function* urlsWithCredentials(text: string): Generator<RegExpExecArray> {
    for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
        let start = at;
        while (start > 0 && at - start <= 21 && isSchemeChar(text.charCodeAt(start - 1))) start--;
        if (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) continue;
        while (start < at && !/[A-Za-z]/.test(text[start])) start++;
        URL_CREDENTIALS_AT.lastIndex = start;
        const m = URL_CREDENTIALS_AT.exec(text);
        if (m) yield m;
    }
}

export const urlCredentialsRule: Rule = (ctx) => {
    for (const m of urlsWithCredentials(ctx.text)) {
        if (ctx.full) return;
        const scheme = m[1].toLowerCase();
        const password = m[3];
        const decoded = percentDecode(password);
        // `postgres:postgres@localhost`: a default development login repeated, not a credential someone chose.
        if (decoded.length < 4 || isPlaceholder(decoded) || isPlaceholder(password) || decoded === percentDecode(m[2])) continue;
        const start = m.index + m[1].length + 3 + m[2].length + 1;
        const end = start + password.length;
        if (/^rediss?$/.test(scheme)) {
            ctx.add("redis-password", "Redis URL with a password", start, end);
        } else if (/^(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|sqlserver|mssql|oracle|cockroachdb)$/.test(scheme)) {
            ctx.add("database-connection-string", "Database URL with a password", start, end);
        } else {
            ctx.add("url-credentials", "Credentials in a URL (user:password@host)", start, end);
        }
    }
};

// ---------------------------------------------------------------------------------------------------------
// `Password=` / `Pwd=` in ADO.NET, JDBC and Redis connection strings. Without connection-string context the
// keyword rule below decides, with its entropy test.

const CONNECTION_PASSWORD = /(?<![A-Za-z0-9_])(?:password|pwd)[ \t]{0,3}=[ \t]{0,3}(["'{]?)([^;,\s"'&{}]{1,200})/gi;
const REDIS_CONTEXT = /redis|:638[0-9]\b|abortConnect\s{0,3}=/i;
const DATABASE_CONTEXT =
    /(?:^|[;\s"'])(?:server|data source|host|database|initial catalog|user id|uid|username|user)\s{0,3}=|jdbc:|\.database\.windows\.net|\.(?:postgres|mysql)\.database\.azure\.com/i;

export const connectionPasswordRule: Rule = (ctx) => {
    ctx.resetSegments();
    for (const m of matches(CONNECTION_PASSWORD, ctx.text)) {
        if (ctx.full) return;
        const value = m[2];
        if (value.length < 4) continue;
        const start = m.index + m[0].length - value.length;
        const end = start + value.length;
        // Connection strings hold spaces (`User ID=`), so the context is the line, cached per line.
        const redis = ctx.segmentMatches(m.index, "line", "redis", REDIS_CONTEXT);
        if (!redis && !ctx.segmentMatches(m.index, "line", "database", DATABASE_CONTEXT)) continue;
        if (isPlaceholder(value)) continue;
        if (redis) ctx.add("redis-password", "Redis connection string with a password", start, end);
        else ctx.add("database-connection-string", "Database connection string with a password", start, end);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Azure Functions keys passed in a URL (`?code=`).

const FUNCTION_CODE = /[?&;]code=([A-Za-z0-9_\-+/=%]{20,200})/g;

export const functionKeyRule: Rule = (ctx) => {
    for (const m of matches(FUNCTION_CODE, ctx.text)) {
        if (ctx.full) return;
        const value = m[1];
        const decoded = percentDecode(value);
        if (!/^[A-Za-z0-9_\-+/]{20,200}={0,2}$/.test(decoded) || isPlaceholder(decoded) || isWordLike(decoded)) continue;
        if (shannonEntropy(decoded) < 3.5) continue;
        const start = m.index + 6;
        ctx.add("function-key", "Azure Functions key in a URL (code=)", start, start + value.length);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Tokens with a fixed prefix.

const GITHUB_TOKEN = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,240})(?![A-Za-z0-9_])/g;
const NPM_TOKEN = /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g;
// AKIA: long-term keys; ASIA: temporary (STS); ABIA: STS service bearer tokens; ACCA: context-specific credentials.
const AWS_ACCESS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const SLACK_TOKEN = /(?<![A-Za-z0-9_-])(?:xox[abposr]-[0-9]{4,20}-[A-Za-z0-9-]{8,250}|xapp-[0-9]-[A-Z0-9]{6,20}-[0-9]{6,20}-[A-Za-z0-9]{20,100})(?![A-Za-z0-9_-])/g;
const SLACK_WEBHOOK = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]{20,200})/g;

function randomTail(s: string, minEntropy: number): boolean {
    return !isPlaceholder(s) && !/example/i.test(s) && shannonEntropy(s) >= minEntropy;
}

export const prefixedTokenRule: Rule = (ctx) => {
    const { text } = ctx;
    for (const m of matches(GITHUB_TOKEN, text)) {
        if (ctx.full) return;
        const body = m[0].startsWith("github_pat_") ? m[0].slice(11) : m[0].slice(4);
        if (!randomTail(body, 3.0)) continue;
        ctx.add("github-token", "GitHub token", m.index, m.index + m[0].length);
    }
    for (const m of matches(NPM_TOKEN, text)) {
        if (ctx.full) return;
        if (!randomTail(m[0].slice(4), 3.0)) continue;
        ctx.add("npm-token", "npm access token", m.index, m.index + m[0].length);
    }
    for (const m of matches(AWS_ACCESS_KEY, text)) {
        if (ctx.full) return;
        if (!randomTail(m[0].slice(4), 2.5)) continue;
        ctx.add("aws-access-key", "AWS access key ID", m.index, m.index + m[0].length);
    }
    for (const m of matches(SLACK_TOKEN, text)) {
        if (ctx.full) return;
        if (!randomTail(m[0].slice(5), 3.0)) continue;
        // `xoxp-…-####`: the documented shape with the secret part masked out.
        if (/^[#*•]/.test(text.charAt(m.index + m[0].length))) continue;
        ctx.add("slack-token", "Slack token", m.index, m.index + m[0].length);
    }
    for (const m of matches(SLACK_WEBHOOK, text)) {
        if (ctx.full) return;
        const path = m[1];
        const last = path.slice(path.lastIndexOf("/") + 1);
        if (last.length < 16 || !randomTail(last, 3.0)) continue;
        const start = m.index + m[0].length - path.length;
        ctx.add("slack-token", "Slack webhook URL", start, start + path.length);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Entra ID client secrets: three characters, a digit (7 or 8 in Microsoft's current formats), `Q~`, then 31 to 34
// characters (34 for today's secrets; shorter tails appear in gitleaks' azure-ad-client-secret fixtures).

// A trailing "." followed by a non-secret character ends a sentence, not the secret.
const ENTRA_SECRET = /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~-]|\.[A-Za-z0-9_~.-])/g;

export const entraSecretRule: Rule = (ctx) => {
    for (const m of matches(ENTRA_SECRET, ctx.text)) {
        if (ctx.full) return;
        if (isPlaceholder(m[0]) || shannonEntropy(m[0]) < 3.5) continue;
        ctx.add("entra-client-secret", "Entra ID client secret", m.index, m.index + m[0].length);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Microsoft's identifiable keys (identifiable.ts): found by their signature, then checked for the exact shape.

export const identifiableKeyRule: Rule = (ctx) => {
    for (const m of matches(SIGNATURES, ctx.text)) {
        if (ctx.full) return;
        const key = identifiableKeyAt(ctx.text, m.index, m[0]);
        if (!key || isPlaceholder(ctx.text.slice(key.start, key.end))) continue;
        const how = key.checksum ? "identifiable key, checksum verified" : "identifiable key format";
        ctx.add(key.kind, `${key.service} key (${how})`, key.start, key.end);
    }
};

// ---------------------------------------------------------------------------------------------------------
// Bare 64-byte keys (88 base64 characters ending in `==`): storage account and Cosmos DB keys.

const COSMOS_NEARBY = /cosmos|documents\.azure\.com|AccountEndpoint|MasterKey|documentdb/i;
const NOT_A_KEY_NEARBY = /csrf|xsrf|nonce|anti-?forgery/i;

/**
 * Found from their `==` ending (rare in other text, and `indexOf` finds it fast), then checked backwards: exactly
 * 86 base64 characters before it, none before those, and nothing base64 after.
 */
export const base64KeyRule: Rule = (ctx) => {
    const { text } = ctx;
    const cosmosKey = ctx.key !== undefined && /cosmos|documentdb|masterkey/i.test(ctx.key);
    for (let pad = text.indexOf("==", 86); pad >= 0; pad = text.indexOf("==", pad + 1)) {
        if (ctx.full) return;
        // In a run of `=`, only its last pair could end a key: skip to it (keeps a long run linear).
        while (text.charCodeAt(pad + 2) === 61) pad++;
        const start = pad - 86;
        const end = pad + 2;
        if (isBase64Char(text.charCodeAt(end)) || text.charCodeAt(end) === 61 || isBase64Char(text.charCodeAt(start - 1))) continue;
        if (!allBase64(text, start, pad)) continue;
        const key = text.slice(start, end);
        if (isEmulatorKey(key) || shannonEntropy(key) < 4.2 || decodesToText(key)) continue;
        // Subresource integrity (`sha512-…` in package-lock.json): a SHA-512 digest is 64 bytes of base64 as well.
        if (/sha(?:256|384|512)-$/i.test(ctx.around(start, start, 7, 0))) continue;
        // Anti-forgery tokens and nonces are random 64-byte values too, and say so just before.
        if (NOT_A_KEY_NEARBY.test(ctx.around(start, start, 40, 0)) || (ctx.key !== undefined && NOT_A_KEY_NEARBY.test(ctx.key))) continue;
        if (cosmosKey || COSMOS_NEARBY.test(ctx.around(start, end, 200, 0))) {
            ctx.add("cosmos-db-key", "Cosmos DB account key", start, end);
        } else {
            ctx.add("storage-account-key", "Storage account key (64-byte base64)", start, end);
        }
    }
};

function isBase64Char(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

function allBase64(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (!isBase64Char(text.charCodeAt(i))) return false;
    return true;
}

/** 64 random bytes are never all printable ASCII; base64 of a sentence is not a key. */
function decodesToText(b64: string): boolean {
    const bytes = Buffer.from(b64, "base64");
    for (const b of bytes) if ((b < 32 && b !== 9 && b !== 10 && b !== 13) || b > 126) return false;
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// AWS secret access keys: 40 characters, only recognisable next to an AWS name.

// Not after "." or "/": 40 characters of a URL path (`docs.aws.amazon.com/AmazonECS/latest/...`) are not a key.
const AWS_SECRET = /(?<![A-Za-z0-9/+.])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_CONTEXT = /(?<![A-Za-z0-9+/])aws(?![A-Za-z0-9+/])|secret_?access_?key/i;
const AWS_CONTEXTS = new RegExp(AWS_CONTEXT.source, "gi");

export const awsSecretRule: Rule = (ctx) => {
    const { text } = ctx;
    const keyed = ctx.key !== undefined && AWS_CONTEXT.test(ctx.key);
    const report = (from: number, to: number, checkContext: boolean) => {
        // A bounded window (a key may start up to `to`), so that a window without a key costs only its own length.
        const window = text.slice(from, Math.min(text.length, to + 41));
        for (const w of matches(AWS_SECRET, window)) {
            if (ctx.full) return;
            const m = { index: from + w.index, 0: w[0] };
            const v = m[0];
            // The window's edges are not the text's: the run must really start and end here.
            if (/[A-Za-z0-9/+.]/.test(text.charAt(m.index - 1)) || /[A-Za-z0-9/+=]/.test(text.charAt(m.index + v.length))) continue;
            if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9+/]/.test(v)) continue;
            if (shannonEntropy(v) < 4.0 || isPlaceholder(v) || (v.includes("/") && isWordLike(v))) continue;
            if (checkContext && !AWS_CONTEXT.test(ctx.around(m.index, m.index, 120, 0))) continue;
            ctx.add("aws-secret-key", "AWS secret access key", m.index, m.index + v.length);
        }
    };
    if (keyed) return report(0, text.length, false);
    // Only the 120 characters after each AWS word can start a key: scan those windows, each once.
    let scannedTo = 0;
    for (const c of matches(AWS_CONTEXTS, text)) {
        const from = Math.max(scannedTo, c.index);
        const to = c.index + c[0].length + 120;
        if (to > from) report(from, to, true);
        scannedTo = Math.max(scannedTo, to);
        if (ctx.full) return;
    }
};

// ---------------------------------------------------------------------------------------------------------
// Keyword plus entropy inside text: `name=value`, `name: value`, `"name": "value"`, where the name says
// secret (password, token, apiKey, client_secret, ...) and the value looks random.

/** One assignment at a given position: the name, a separator, then a quoted or bare value. */
const ASSIGNMENT_AT =
    /([A-Za-z_][A-Za-z0-9_.-]{0,59})\\?["']?[ \t]{0,4}(?::=|=>|==?|:)[ \t]{0,4}(?:\\?"([^"\\\r\n]{1,300})\\?"|'([^'\r\n]{1,300})'|`([^`\r\n]{1,300})`|([^\s"'`,;&<>]{1,300}))/y;
/** The words a secret's name contains; the text is searched for these first, so most of it is read only once. */
const SECRET_WORD = /pass|pwd|secret|token|key|cred|auth|pat(?![a-z])|pw(?![a-z])/gi;
const MAX_NAME = 60;

function isNameChar(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/**
 * Found from the secret-looking words: each run of name characters (`[A-Za-z0-9_.-]`) that holds one is read once.
 * A name ends where its run ends (a separator follows) and is at most 60 characters; it starts at the run's start or
 * after a `-` inside it (`--password=`), never after `.`, `$`, `+` or `/` (`args.password`, base64). Values are
 * read whether or not they sit inside another value, so `"app --password=…"` and `"Endpoint=…;Secret=…"` are seen.
 */
export const assignmentRule: Rule = (ctx) => {
    const { text } = ctx;
    let runEnd = -1;
    for (const hit of matches(SECRET_WORD, text)) {
        if (ctx.full) return;
        if (hit.index < runEnd) continue;
        let runStart = hit.index;
        while (runStart > runEnd && runStart > 0 && isNameChar(text.charCodeAt(runStart - 1))) runStart--;
        runEnd = hit.index + hit[0].length;
        while (runEnd < text.length && isNameChar(text.charCodeAt(runEnd))) runEnd++;
        const nameStart = firstNameStart(text, runStart, runEnd);
        if (nameStart < 0 || !valueFollows(text, runEnd)) continue;
        ASSIGNMENT_AT.lastIndex = nameStart;
        const m = ASSIGNMENT_AT.exec(text);
        if (!m || nameStart + m[1].length !== runEnd) continue;
        const name = m[1];
        const quoted = m[5] === undefined;
        let value = m[2] ?? m[3] ?? m[4] ?? m[5] ?? "";
        // A bare value is one token: nothing inside it is read again (`AccountKey=AccountKey=…` stays linear).
        if (!quoted) runEnd = nameStart + m[0].length;
        if (!isSecretKey(name)) continue;
        if (!quoted) value = value.replace(/[)\]}>.]{1,10}$/, "");
        // `exports.apiToken = apiToken`, `InsecureToken: "InsecureToken"`: a name given its own name is code or an enum.
        if (name.slice(name.lastIndexOf(".") + 1) === value) continue;
        if (!isLikelySecretValue(value, quoted)) continue;
        const start = nameStart + m[0].lastIndexOf(value);
        ctx.add(kindFromKey(name, value), "Hard-coded value under a secret-looking name", start, start + value.length);
    }
};

/**
 * A cheap look past the name before the full expression runs: a separator (`:`, `=`) must follow, and what comes
 * after it must not open a nested object or array (`"password": {`), which holds no value of its own.
 */
function valueFollows(text: string, nameEnd: number): boolean {
    let i = nameEnd;
    if (text.charCodeAt(i) === 92) i++; // backslash of an escaped quote
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) i++;
    for (let n = 0; n < 4 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9); n++) i++;
    const sep = text.charCodeAt(i);
    if (sep !== 58 && sep !== 61) return false;
    i++;
    while (i < text.length && (text.charCodeAt(i) === 61 || text.charCodeAt(i) === 62 || text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const first = text.charCodeAt(i);
    return first !== 123 && first !== 91;
}

/** The leftmost position in the run where a name of at most 60 characters can start, or -1. */
function firstNameStart(text: string, runStart: number, runEnd: number): number {
    const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    for (let p = Math.max(runStart, runEnd - MAX_NAME); p < runEnd; p++) {
        if (!isLetter(text.charCodeAt(p))) continue;
        const before = p > 0 ? text.charCodeAt(p - 1) : 32;
        // Before the run: anything but `$`, `+`, `/` (the run's own characters are excluded by construction).
        if (p === runStart ? before !== 36 && before !== 43 && before !== 47 : before === 45) return p;
    }
    return -1;
}

/** The whole text is the value of a field whose name says secret (`options.key`). Runs after all other rules. */
export function keyedValueRule(ctx: ScanContext): void {
    if (!isSecretKey(ctx.key)) return;
    const { text } = ctx;
    if (text.length > 4096) return;
    const value = text.trim();
    if (!isLikelySecretValue(value, true)) return;
    const start = text.indexOf(value);
    ctx.add(kindFromKey(ctx.key, value), "Hard-coded value under a secret-looking name", start, start + value.length);
}

export const rules: readonly Rule[] = [
    privateKeyRule,
    jwtRule,
    prefixedTokenRule,
    providerTokenRule,
    entraSecretRule,
    accountKeyRule,
    sharedAccessKeyRule,
    sasRule,
    urlCredentialsRule,
    httpCredentialsRule,
    connectionPasswordRule,
    functionKeyRule,
    identifiableKeyRule,
    base64KeyRule,
    awsSecretRule,
    assignmentRule,
    keyedValueRule,
];
