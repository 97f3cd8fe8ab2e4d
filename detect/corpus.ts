import { createHash, randomInt } from "crypto";
import { IdentifiableFormat, identifiableFormats } from "./identifiable";
import { marvin32 } from "./marvin";
import { SecretKind, secretKinds } from "./types";
import { AZURITE_ACCOUNT_KEY, COSMOS_EMULATOR_KEY } from "./values";

/**
 * Labelled strings for the detector, written from the public format descriptions. Every piece of key material
 * is generated here at run time from a seed, so this file holds no credential-shaped literal and the
 * repository scanner stays clean. Used by the detector tests and by the benchmark (precision and recall per
 * kind, and the same corpus through other scanners).
 */
export interface LabelledSample {
    /** The expected kind, or null when nothing must be reported. */
    kind: SecretKind | null;
    /** Field or setting name the text is found under (`detectSecrets(text, { key })`). */
    key?: string;
    text: string;
    note: string;
    /** For positives: the exact credential inside `text` (what a finding must cover and a mask must hide). */
    secret?: string;
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ALNUM = LOWER + UPPER + DIGITS;
const BASE64 = ALNUM + "+/";
const ENTRA = ALNUM + "_~.-";
const BASE32 = UPPER + "234567";
const SYMBOLS = "!@%^*+?~";

/** Deterministic bytes from a seed (SHA-256 in counter mode), so a failing sample can be reproduced. */
export class SeededRandom {
    private counter = 0;
    private pool: Buffer = Buffer.alloc(0);
    private offset = 0;

    constructor(readonly seed: number) {}

    bytes(n: number): Buffer {
        const out = Buffer.alloc(n);
        for (let i = 0; i < n; i++) {
            if (this.offset >= this.pool.length) {
                this.pool = createHash("sha256").update(`keyless-corpus:${this.seed}:${this.counter++}`).digest();
                this.offset = 0;
            }
            out[i] = this.pool[this.offset++];
        }
        return out;
    }

    int(max: number): number {
        return this.bytes(4).readUInt32BE(0) % max;
    }

    from(alphabet: string, n: number): string {
        let s = "";
        for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
        return s;
    }

    base64(nBytes: number): string {
        return this.bytes(nBytes).toString("base64");
    }

    base64url(nBytes: number): string {
        return this.bytes(nBytes).toString("base64url");
    }

    hex(nChars: number): string {
        return this.from("0123456789abcdef", nChars);
    }

    guid(): string {
        const h = this.hex(32);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    }

    /** A generated password: every class present, so it is what a password generator would produce. */
    password(n: number): string {
        const chars = [this.from(LOWER, 1), this.from(UPPER, 1), this.from(DIGITS, 1), this.from(SYMBOLS, 1), this.from(ALNUM + SYMBOLS, n - 4)].join("").split("");
        for (let i = chars.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            [chars[i], chars[j]] = [chars[j], chars[i]];
        }
        return chars.join("");
    }

    /** A 40-character AWS-style secret with upper, lower and digits. */
    awsSecret(): string {
        return this.from(UPPER, 2) + this.from(LOWER, 2) + this.from(DIGITS, 2) + this.from(BASE64, 34);
    }

    /** An Entra ID client secret: three characters, a digit, `Q~`, then 34 more (31 to 33 in older secrets). */
    entraSecret(tail = 34): string {
        return this.from(ALNUM, 3) + this.from(DIGITS, 1) + "Q" + "~" + this.from(ENTRA, tail);
    }

    /**
     * A key in one of Microsoft's identifiable formats: random bytes, the signature at its offset, zero bits up to
     * the checksum, then the Marvin32 checksum of everything before it (little-endian) in the last four bytes.
     * `checksum: false` leaves a wrong checksum (the shape alone, as test templates have).
     */
    identifiableKey(format: IdentifiableFormat, options: { seed?: bigint; checksum?: boolean } = {}): string {
        const { layout } = format;
        const encoding = layout.urlSafe ? "base64url" : "base64";
        const text = this.from(layout.urlSafe ? `${ALNUM}-_` : BASE64, layout.signatureAt) + format.signature + "A".repeat(layout.length - layout.signatureAt - 4 - layout.padding);
        const raw = Buffer.from(text, encoding);
        const sum = marvin32(raw.subarray(0, raw.length - 4), options.seed ?? format.seeds[0] ?? 0n);
        raw.writeUInt32LE(options.checksum === false ? (sum ^ 1) >>> 0 : sum, raw.length - 4);
        const encoded = raw.toString(encoding);
        return layout.urlSafe ? encoded + "=".repeat(layout.padding) : encoded;
    }

    /** A 64-byte key as base64: storage and Cosmos DB account keys. */
    accountKey(): string {
        return this.base64(64);
    }
}

function pemBlock(label: string, body: string): string {
    const lines = body.match(/.{1,64}/g) ?? [];
    const dashes = "-----";
    return [`${dashes}BEGIN ${label}${dashes}`, ...lines, `${dashes}END ${label}${dashes}`].join("\n");
}

function jwt(r: SeededRandom, header: object, sigBytes: number): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${enc(header)}.${enc({ sub: r.guid(), iss: "https://login.microsoftonline.com/" + r.guid() + "/v2.0", exp: 1900000000 + r.int(1000000) })}.${r.base64url(sigBytes)}`;
}

function sshPublicBlob(r: SeededRandom, type: string, keyBytes: number): string {
    const part = (b: Buffer) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(b.length, 0);
        return Buffer.concat([len, b]);
    };
    return Buffer.concat([part(Buffer.from(type)), part(r.bytes(keyBytes))]).toString("base64");
}

/**
 * Builds the corpus. The same seed gives the same strings; without one, a random seed is used (read it from
 * `corpusSeed(corpus)` to reproduce a run).
 */
export function buildCorpus(seed: number = randomInt(0, 2 ** 31)): LabelledSample[] {
    const r = new SeededRandom(seed);
    const out: LabelledSample[] = [];
    const pos = (kind: SecretKind, text: string, secret: string, note: string, key?: string) => {
        if (!text.includes(secret)) throw new Error(`corpus: secret not inside text for "${note}"`);
        out.push({ kind, key, text, note, secret });
    };
    const neg = (text: string, note: string, key?: string) => out.push({ kind: null, key, text, note });
    seeds.set(out, seed);

    // ---- Storage account keys: 64 random bytes, base64, 88 characters ending in ==.
    {
        const k = () => r.accountKey();
        let s = k();
        pos("storage-account-key", s, s, "bare 64-byte key");
        s = k();
        pos("storage-account-key", `{"keys":[{"keyName":"key1","value":"${s}","permissions":"FULL"}]}`, s, "listKeys output");
        s = k();
        pos("storage-account-key", s, s, "key under a key-ish setting name", "storageAccountKey");
        s = k();
        pos("storage-account-key", `primaryKey: ${s}`, s, "YAML line");
        s = k();
        pos("storage-account-key", `STORAGE_KEY=${s}`, s, "env file line");
        s = k();
        pos("storage-account-key", `const key = "${s}";`, s, "TypeScript literal");
        neg(AZURITE_ACCOUNT_KEY, "Azurite development key is public");
        neg(COSMOS_EMULATOR_KEY, "Cosmos DB emulator key is public");
        neg(`"integrity": "sha512-${r.accountKey()}"`, "package-lock integrity digest (SHA-512)");
        neg(`AccountEndpoint=https://localhost:8081/;AccountKey=${COSMOS_EMULATOR_KEY}`, "Cosmos DB emulator connection string");
        neg(`${"A".repeat(86)}==`, "base64 of zero bytes is not a key");
        neg(Buffer.from("0123".repeat(16)).toString("base64"), "88-char base64 of text is not a key");
        neg(r.base64(32), "32-byte base64 without context cannot be told from any hash");
        neg(r.base64(66), "88 characters without padding is not a 64-byte key");
        neg(`ssh-ed25519 ${sshPublicBlob(r, "ssh-ed25519", 32)} deploy@build`, "SSH ed25519 public key");
        neg(`ssh-rsa ${sshPublicBlob(r, "ssh-rsa", 256)} admin@vm`, "SSH RSA public key");
        neg(Buffer.from("The quick brown fox jumps over the lazy dog while reading the logs").toString("base64"), "base64 of a sentence");
    }

    // ---- Storage connection strings: AccountKey=.
    {
        const name = () => `st${r.from(LOWER + DIGITS, 10)}`;
        let k = r.accountKey();
        pos("storage-connection-string", `DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k};EndpointSuffix=core.windows.net`, k, "standard connection string");
        k = r.accountKey();
        const acct = name();
        pos(
            "storage-connection-string",
            `BlobEndpoint=https://${acct}.blob.core.windows.net/;QueueEndpoint=https://${acct}.queue.core.windows.net/;AccountName=${acct};AccountKey=${k}`,
            k,
            "explicit endpoints",
        );
        k = r.accountKey();
        pos("storage-connection-string", `{"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k}"}`, k, "Functions host storage in app settings JSON");
        k = r.accountKey();
        pos("storage-connection-string", `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k}"`, k, "env var");
        k = r.accountKey();
        pos("storage-connection-string", `DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k};TableEndpoint=https://x.table.core.windows.net/`, k, "table endpoint");
        k = encodeURIComponent(r.accountKey());
        pos("storage-connection-string", `DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k}`, k, "URL-encoded key");
        k = r.base64(32);
        pos("storage-connection-string", `DefaultEndpointsProtocol=https;AccountName=${name()};AccountKey=${k};EndpointSuffix=core.windows.net`, k, "shorter key still a key");
        neg(
            `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
            "Azurite connection string",
        );
        neg("UseDevelopmentStorage=true", "emulator shortcut");
        neg("DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=<your-account-key>;EndpointSuffix=core.windows.net", "placeholder in angle brackets");
        neg("DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=${STORAGE_KEY}", "variable placeholder");
        neg("AzureWebJobsStorage__accountName=stapp", "identity-based host storage");
        neg("DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=;EndpointSuffix=core.windows.net", "empty key");
        neg("DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "x placeholder");
    }

    // ---- SAS tokens and URLs: sig= with se= or sv=.
    {
        const sig = () => encodeURIComponent(r.base64(32));
        let s = sig();
        pos(
            "sas-token",
            `https://st${r.hex(8)}.blob.core.windows.net/data/report.csv?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${s}`,
            s,
            "blob SAS URL",
        );
        s = sig();
        pos("sas-token", `sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupx&se=2031-06-01T00:00:00Z&spr=https&sig=${s}`, s, "account SAS token");
        s = sig();
        pos("sas-token", `?se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=${s}`, s, "service SAS without sv");
        s = sig();
        pos("sas-token", `BlobEndpoint=https://stapp.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sp=r&se=2030-01-01&sig=${s}`, s, "SAS connection string");
        s = sig();
        pos(
            "sas-token",
            `SharedAccessSignature sr=https%3A%2F%2Fns-app.servicebus.windows.net%2Forders&sig=${s}&se=${1900000000 + r.int(100000)}&skn=RootManageSharedAccessKey`,
            s,
            "Service Bus SAS",
        );
        s = r.base64(32);
        pos("sas-token", `{"uploadUrl": "https://stapp.blob.core.windows.net/in/x?sv=2021-08-06&se=2030-01-01&sr=c&sp=w&sig=${s}"}`, s, "unencoded signature in JSON");
        neg("https://stapp.blob.core.windows.net/data/report.csv", "blob URL without SAS");
        neg("https://stapp.blob.core.windows.net/data?sv=2022-11-02&se=2030-01-01&sp=r&sig=<signature>", "placeholder signature");
        neg(`https://hooks.internal.test/notify?sig=${encodeURIComponent(r.base64(32))}`, "sig without se or sv is not a SAS");
        neg("?sv=2022-11-02&se=2030-01-01T00:00:00Z&sp=r", "SAS parameters without signature");
        neg("https://stapp.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sig=%3Csignature%3E", "encoded placeholder signature");
        neg(`https://stapp.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sig=${"A".repeat(43)}%3D`, "constant signature");
    }

    // ---- Service Bus, Event Hubs, IoT Hub: SharedAccessKey=.
    {
        const key = () => r.base64(32);
        let k = key();
        pos("shared-access-key", `Endpoint=sb://ns-${r.hex(6)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${k}`, k, "Service Bus namespace");
        k = key();
        pos("shared-access-key", `Endpoint=sb://evh-${r.hex(6)}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${k};EntityPath=telemetry`, k, "Event Hubs with EntityPath");
        k = key();
        pos("shared-access-key", `HostName=iot-${r.hex(6)}.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${k}`, k, "IoT Hub owner");
        k = key();
        pos("shared-access-key", `HostName=iot-${r.hex(6)}.azure-devices.net;DeviceId=sensor-01;SharedAccessKey=${k}`, k, "IoT device");
        k = key();
        pos("shared-access-key", `{"ServiceBusConnection": "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${k}"}`, k, "app settings JSON");
        neg("Endpoint=sb://ns-app.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey", "key name only");
        neg("ServiceBusConnection__fullyQualifiedNamespace=ns-app.servicebus.windows.net", "identity-based connection");
        neg("Endpoint=sb://ns-app.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SB_KEY}", "variable placeholder");
        neg("Endpoint=sb://ns-app.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=<key>", "angle placeholder");
    }

    // ---- Cosmos DB keys.
    {
        let k = r.accountKey();
        pos("cosmos-db-key", `AccountEndpoint=https://cosmos-${r.hex(6)}.documents.azure.com:443/;AccountKey=${k};`, k, "Cosmos connection string");
        k = r.accountKey();
        pos("cosmos-db-key", `AccountEndpoint=https://cosmos-${r.hex(6)}.documents.azure.com:443/;AccountKey=${k};Database=orders`, k, "with database");
        k = r.accountKey();
        pos("cosmos-db-key", k, k, "bare key under a Cosmos name", "cosmosPrimaryKey");
        k = r.accountKey();
        pos("cosmos-db-key", `{"primaryMasterKey": "${k}"}`, k, "listKeys output");
        k = r.accountKey();
        pos("cosmos-db-key", `DefaultEndpointsProtocol=https;AccountName=cosmos-app;AccountKey=${k};TableEndpoint=https://cosmos-app.table.cosmos.azure.com:443/;`, k, "Table API");
        neg("AccountEndpoint=https://cosmos-app.documents.azure.com:443/;", "endpoint only (identity)");
        neg("COSMOS_ENDPOINT=https://cosmos-app.documents.azure.com:443/", "endpoint setting");
        neg("cosmos-app-prod", "account name", "cosmosAccountName");
    }

    // ---- Redis.
    {
        let p = r.base64(32);
        pos("redis-password", `redis-${r.hex(6)}.redis.cache.windows.net:6380,password=${p},ssl=True,abortConnect=False`, p, "StackExchange.Redis connection string");
        p = encodeURIComponent(r.password(24));
        pos("redis-password", `rediss://:${p}@redis-app.redis.cache.windows.net:6380`, p, "rediss URL");
        p = encodeURIComponent(r.password(20));
        pos("redis-password", `redis://default:${p}@10.0.0.4:6379/0`, p, "redis URL with user");
        p = r.password(18);
        pos("redis-password", p, p, "value under a Redis name", "redisPassword");
        p = r.base64(32);
        pos("redis-password", `REDIS_URL=rediss://app:${encodeURIComponent(p)}@cache:6380`, encodeURIComponent(p), "env var URL");
        neg("redis-app.redis.cache.windows.net:6380,ssl=True,abortConnect=False", "Entra-authenticated, no password");
        neg("redis-app.redis.cache.windows.net:6380,password=${REDIS_KEY},ssl=True", "placeholder");
        neg("redis://localhost:6379", "local URL");
        neg("rediss://redis-app.redis.cache.windows.net:6380", "URL without credentials");
    }

    // ---- Database connection strings and URLs.
    {
        let p = r.password(20);
        pos(
            "database-connection-string",
            `Server=tcp:sql-${r.hex(6)}.database.windows.net,1433;Initial Catalog=orders;Persist Security Info=False;User ID=sqladmin;Password=${p};Encrypt=True;`,
            p,
            "Azure SQL ADO.NET",
        );
        p = r.password(16);
        pos("database-connection-string", `Server=tcp:sql-app,1433;Database=db;Uid=sa;Pwd=${p};`, p, "Pwd=");
        p = r.password(22);
        pos("database-connection-string", `Host=pg-${r.hex(6)}.postgres.database.azure.com;Database=app;Username=app;Password=${p};Ssl Mode=Require`, p, "Npgsql");
        p = r.base64url(18);
        pos("database-connection-string", `postgres://app:${p}@pg-app.postgres.database.azure.com:5432/app?sslmode=require`, p, "postgres URL");
        p = r.base64url(15);
        pos("database-connection-string", `mysql://root:${p}@mysql-app.mysql.database.azure.com:3306/shop`, p, "mysql URL");
        p = r.base64url(15);
        pos("database-connection-string", `mongodb+srv://app:${p}@cluster0.mongo.cosmos.azure.com/?tls=true`, p, "mongodb+srv URL");
        p = r.password(18);
        pos("database-connection-string", `jdbc:sqlserver://sql-app.database.windows.net:1433;database=db;user=app@sql-app;password=${p};encrypt=true`, p, "JDBC");
        p = r.password(14);
        pos("database-connection-string", `Server=mysql-app.mysql.database.azure.com;Port=3306;Database=shop;Uid=app;Pwd=${p};SslMode=Required;`, p, "MySQL ADO.NET");
        neg("Server=tcp:sql-app.database.windows.net,1433;Database=db;Authentication=Active Directory Managed Identity;", "managed identity");
        neg("Server=tcp:sql-app.database.windows.net,1433;Database=db;User ID=app;Password=${DB_PASSWORD};", "placeholder");
        neg("Server=tcp:sql-app.database.windows.net,1433;Database=db;User ID=app;Password=;", "empty password");
        neg("postgres://app@pg-app.postgres.database.azure.com:5432/app", "URL without password");
        neg("Host=pg-app;Database=app;Username=app;Password=<from-key-vault>", "angle placeholder");
        neg("postgresql://localhost/app", "local URL");
    }

    // ---- Entra ID client secrets.
    {
        let s = r.entraSecret();
        pos("entra-client-secret", s, s, "bare client secret");
        s = r.entraSecret();
        pos("entra-client-secret", `AZURE_CLIENT_SECRET=${s}`, s, "env var");
        s = r.entraSecret();
        pos("entra-client-secret", s, s, "under clientSecret", "clientSecret");
        s = r.entraSecret();
        pos("entra-client-secret", `{"appId": "${r.guid()}", "password": "${s}", "tenant": "${r.guid()}"}`, s, "service principal creation output");
        s = r.entraSecret();
        pos("entra-client-secret", `client-secret: ${s}`, s, "YAML");
        for (const tail of [31, 32, 33]) {
            s = r.entraSecret(tail);
            pos("entra-client-secret", `secret: ${s}`, s, `older secret, ${tail} characters after the marker`, "SETTING_1");
        }
        neg(r.entraSecret(30), "30 characters after the marker is too short for a client secret");
        neg(r.from(ALNUM, 40), "40 random characters without the marker");
        neg(r.from(ALNUM, 4) + r.from(DIGITS, 1) + "Q" + "~" + r.from(ENTRA, 33), "marker at the wrong index");
        neg(r.guid(), "client ID", "clientId");
        neg(`AZURE_CLIENT_ID=${r.guid()}`, "client ID setting");
        neg(r.guid(), "secret's key ID", "clientSecretId");
    }

    // ---- Microsoft's identifiable keys: found by signature and shape, whatever the name around them.
    for (const format of identifiableFormats) {
        let s = r.identifiableKey(format);
        pos(format.kind, s, s, `${format.service} identifiable key under a neutral name`, "SETTING_1");
        s = r.identifiableKey(format, { checksum: false });
        pos(format.kind, `value: "${s}"`, s, `${format.service} key shape with a wrong checksum`);
        s = r.identifiableKey(format, { seed: format.seeds[format.seeds.length - 1] });
        pos(format.kind, `${s}`, s, `${format.service} key, last variant's seed`);
        const longer = r.identifiableKey(format);
        neg(`${longer.slice(0, 3)}${longer}`, `${format.service} signature inside a longer base64 run`);
    }
    {
        const cask = () => r.from(ALNUM, 52) + "JQQJ9" + "9" + r.from(ALNUM, 1) + r.from("ABCDEFGHIJKL", 1) + r.from(ALNUM, 16) + r.from(LOWER + UPPER, 1) + r.from(ALNUM, 7);
        for (let i = 0; i < 3; i++) {
            const s = i === 2 ? `${cask()}${r.from(ALNUM, 2)}==` : cask();
            pos("ai-services-key", `AZURE_OPENAI_API_KEY=${s}`.slice(i === 1 ? 21 : 0), s, "common annotated security key (Azure AI services)");
        }
        neg(`${r.from(ALNUM, 40)}JQQJ9${r.from(ALNUM, 30)}`, "signature at the wrong offset");
    }

    // ---- Other providers' prefixed tokens, found without a name.
    {
        const hex = (n: number) => r.hex(n);
        const tokens = [
            ["gl", "pat-", r.from(ALNUM, 20)],
            ["sk", "_live_", r.from(ALNUM, 24)],
            ["rk", "_live_", r.from(ALNUM, 24)],
            ["hf", "_", r.from(LOWER + UPPER, 34)],
            ["gl", "sa_", r.from(ALNUM, 32), "_", hex(8)],
            ["vc", "p_", r.from(ALNUM, 56)],
            ["da", "pi", hex(32)],
            ["pu", "l-", hex(40)],
            ["sk-", "ant-api03-", r.from(ALNUM + "_-", 95)],
            ["sk-", "proj-", r.from(ALNUM + "_-", 120)],
            ["S", "G.", r.from(ALNUM + "_-", 22), ".", r.from(ALNUM + "_-", 43)],
            ["shp", "at_", r.from(ALNUM, 32)],
            ["hv", "s.", r.from(ALNUM + "_-", 90)],
            [r.from(ALNUM, 14), ".atlas", "v1.", r.from(ALNUM, 67)],
            ["nt", "n_", r.from(DIGITS, 11), r.from(ALNUM, 35)],
            ["op", "s_eyJ", r.from(BASE64, 300)],
            ["A3-", r.from(UPPER + DIGITS, 6), "-", r.from(UPPER + DIGITS, 11), "-", r.from(UPPER + DIGITS, 5), "-", r.from(UPPER + DIGITS, 5), "-", r.from(UPPER + DIGITS, 5)],
            ["sntry", "s_eyJ", r.from(ALNUM, 150)],
            ["fo", "1_", r.from(ALNUM + "_-", 43)],
            ["sg", "p_", r.from(ALNUM, 16), "_", hex(40)],
            ["sha256", "~", r.from(ALNUM + "_-", 43)],
            ["AP", "I-", r.from(UPPER + DIGITS, 26)],
            ["EA", "AC", r.from(ALNUM, 150)],
            ["dckr", "_pat_", r.from(ALNUM + "_-", 27)],
            ["CLOJARS", "_", r.from(LOWER + DIGITS, 60)],
            [hex(32), "-us", String(1 + r.int(20))],
        ].map((parts) => parts.join(""));
        for (const t of tokens) pos("provider-token", `SETTING_1=${t}`, t, `prefixed token ${t.slice(0, 4)}`);
        neg(["sk", "_live_", "x".repeat(24)].join(""), "documentation placeholder with the prefix");
        neg(`${["xo", "xp-"].join("")}${r.from(DIGITS, 12)}-${r.from(DIGITS, 12)}-${r.from(DIGITS, 12)}-${"#".repeat(20)}`, "Slack token with its secret part masked out");
        neg(["gl", "pat-"].join(""), "prefix alone");
        neg(`/docs/${["hf", "_"].join("")}${r.from(LOWER, 34)}/index.html`, "path segment that merely starts like a token");
    }

    // ---- Credentials in HTTP requests: curl -u and literal Authorization headers.
    {
        let p = r.password(16);
        pos("http-credentials", `curl -u admin:${p} https://api.internal.test/v1/items`, p, "curl -u user:password");
        p = r.password(18);
        pos("http-credentials", `curl --user 'deploy:${p}' -X POST https://ci.internal.test/hook`, p, "curl --user in quotes");
        let t = r.base64url(32);
        pos("http-credentials", `curl -H "Authorization: Bearer ${t}" https://api.internal.test/`, t, "Authorization: Bearer in curl");
        t = Buffer.from(`svc:${r.password(14)}`).toString("base64");
        pos("http-credentials", `{"headers": {"Authorization": "Basic ${t}"}}`, t, "Authorization: Basic in a JSON header map");
        neg(`curl -u "$USER:$PASSWORD" https://api.internal.test/`, "curl -u with variables");
        neg(`curl -H "Authorization: Bearer $TOKEN" https://api.internal.test/`, "Authorization with a variable");
        neg(`curl -H "Authorization: Bearer \${{ secrets.API_TOKEN }}" https://api.internal.test/`, "Authorization with a workflow secret");
        neg(`tar -u archive.tar file:name`, "-u of another tool");
    }

    // ---- Azure Functions keys in URLs.
    {
        const fk = () => `${r.base64url(40)}==`;
        let k = fk();
        pos("function-key", `https://func-${r.hex(6)}.azurewebsites.net/api/Ingest?code=${k}`, k, "function URL");
        k = encodeURIComponent(fk());
        pos("function-key", `https://func-app.azurewebsites.net/api/Ingest?clientId=default&code=${k}`, k, "encoded, second parameter");
        k = fk();
        pos("function-key", k, k, "x-functions-key header", "x-functions-key");
        k = fk();
        pos("function-key", k, k, "function key setting", "functionKey");
        k = fk();
        pos("function-key", `{"headers": {"x-functions-key": "${k}"}}`, k, "header in JSON");
        neg("https://func-app.azurewebsites.net/api/Ingest?code=200", "short code");
        neg("https://func-app.azurewebsites.net/api/Ingest?code=${FUNCTION_KEY}", "placeholder");
        neg("https://func-app.azurewebsites.net/api/Ingest", "no key");
        neg("https://app.contoso.test/callback?code=abc123&state=xyz", "short OAuth code");
        neg("https://func-app.azurewebsites.net/api/Ingest?code=SomeLongReadableValueHere", "readable identifier");
    }

    // ---- Private keys.
    {
        const body = (n: number) => r.base64(n);
        let k = pemBlock("PRIVATE KEY", body(1216));
        pos("private-key", k, k, "PKCS#8");
        k = pemBlock("RSA PRIVATE KEY", body(1190));
        pos("private-key", k, k, "PKCS#1 RSA");
        k = pemBlock("EC PRIVATE KEY", body(121));
        pos("private-key", k, k, "EC");
        k = pemBlock("OPENSSH PRIVATE KEY", Buffer.concat([Buffer.from("openssh-key-v1\0"), r.bytes(380)]).toString("base64"));
        pos("private-key", k, k, "OpenSSH");
        k = pemBlock("ENCRYPTED PRIVATE KEY", body(1300));
        pos("private-key", k, k, "encrypted PKCS#8");
        k = pemBlock("PRIVATE KEY", body(121)).replace(/\n/g, "\\n");
        pos("private-key", `{"type": "service_account", "private_key": "${k}\\n"}`, k, "JSON-escaped newlines");
        neg(pemBlock("CERTIFICATE", body(900)), "certificate");
        neg(pemBlock("PUBLIC KEY", body(294)), "public key");
        neg(pemBlock("RSA PUBLIC KEY", body(270)), "RSA public key");
        neg(`Paste the key that starts with -----BEGIN ${"PRIVATE"} KEY----- into the vault, never here.`, "header mentioned in prose");
        neg(`ssh-ed25519 ${sshPublicBlob(r, "ssh-ed25519", 32)}`, "SSH public key");
    }

    // ---- JSON Web Tokens.
    {
        let t = jwt(r, { alg: "HS256", typ: "JWT" }, 32);
        pos("jwt", t, t, "HS256");
        for (const header of ['{ "typ" : "JWT", "alg" : "HS256" }', '{\n  "alg": "HS256"\n}', '{\r\n"alg":"RS256"}']) {
            const [, claims, signature] = jwt(r, {}, 32).split(".");
            t = [Buffer.from(header).toString("base64url"), claims, signature].join(".");
            pos("jwt", t, t, `hand-written header ${JSON.stringify(header.slice(0, 3))}`, "SETTING_1");
        }
        t = jwt(r, { alg: "RS256", typ: "JWT", kid: r.hex(16) }, 256);
        pos("jwt", t, t, "RS256");
        t = jwt(r, { alg: "RS256", typ: "JWT" }, 256);
        pos("jwt", `Authorization: Bearer ${t}`, t, "bearer header");
        t = jwt(r, { alg: "ES256", kid: r.hex(8) }, 64);
        pos("jwt", `{"access_token": "${t}", "token_type": "Bearer"}`, t, "token response");
        t = jwt(r, { alg: "PS256", typ: "at+jwt" }, 256);
        pos("jwt", t, t, "under idToken", "idToken");
        neg(`eyJ${r.base64url(30)}.${r.base64url(40)}.${r.base64url(32)}`, "eyJ prefix but header is not JSON");
        neg(jwt(r, { typ: "JWT" }, 32), "header without alg");
        neg(`${Buffer.from(JSON.stringify({ alg: "HS256" })).toString("base64url")}.${r.base64url(20)}`, "two segments");
        neg("version 1.2.3 of the chart", "dotted version");
        neg(jwt(r, { alg: "HS256", typ: "JWT" }, 32).replace(/\.[^.]+$/, ".abc"), "truncated signature");
    }

    // ---- GitHub tokens.
    {
        for (const prefix of ["ghp", "gho", "ghs", "ghr"]) {
            const t = `${prefix}_${r.from(ALNUM, 36)}`;
            pos("github-token", `GH_TOKEN=${t}`, t, `${prefix}_ token`);
        }
        const pat = `github_pat_${r.from(ALNUM, 22)}_${r.from(ALNUM, 59)}`;
        pos("github-token", pat, pat, "fine-grained PAT");
        neg(`ghp_${"x".repeat(36)}`, "x placeholder");
        neg("ghp_short", "too short");
        neg("https://github.com/keyless-org/keyless", "repository URL");
        neg("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", "Actions secret reference");
    }

    // ---- npm tokens.
    {
        let t = `npm_${r.from(ALNUM, 36)}`;
        pos("npm-token", t, t, "bare");
        t = `npm_${r.from(ALNUM, 36)}`;
        pos("npm-token", `//registry.npmjs.org/:_authToken=${t}`, t, ".npmrc");
        t = `npm_${r.from(ALNUM, 36)}`;
        pos("npm-token", `NPM_TOKEN=${t}`, t, "env var");
        t = `npm_${r.from(ALNUM, 36)}`;
        pos("npm-token", t, t, "under a token name", "npmToken");
        neg("npm_config_registry=https://registry.npmjs.org/", "npm config variable");
        neg(`npm_${r.from(ALNUM, 20)}`, "too short");
        neg("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", ".npmrc placeholder");
    }

    // ---- AWS access key IDs.
    {
        let t = `AKIA${r.from(BASE32, 16)}`;
        pos("aws-access-key", t, t, "AKIA");
        t = `ASIA${r.from(BASE32, 16)}`;
        pos("aws-access-key", t, t, "ASIA (temporary)");
        t = `AKIA${r.from(BASE32, 16)}`;
        pos("aws-access-key", `aws_access_key_id = ${t}`, t, "credentials file");
        t = `AKIA${r.from(BASE32, 16)}`;
        pos("aws-access-key", `{"AccessKeyId": "${t}"}`, t, "JSON");
        t = `ABIA${r.from(BASE32, 16)}`;
        pos("aws-access-key", t, t, "ABIA (STS service bearer token)");
        t = `ACCA${r.from(BASE32, 16)}`;
        pos("aws-access-key", t, t, "ACCA (context-specific credential)");
        neg(`AKIA${r.from(BASE32, 9)}${"EXAMPLE"}`, "documentation example marker");
        neg(`AKIA${r.from(BASE32, 10)}`, "too short");
        neg(`akia${r.from(LOWER, 16)}`, "lowercase");
    }

    // ---- AWS secret access keys.
    {
        let t = r.awsSecret();
        pos("aws-secret-key", `aws_secret_access_key = ${t}`, t, "credentials file");
        t = r.awsSecret();
        pos("aws-secret-key", `AWS_SECRET_ACCESS_KEY=${t}`, t, "env var");
        t = r.awsSecret();
        pos("aws-secret-key", t, t, "under an AWS name", "awsSecretAccessKey");
        t = r.awsSecret();
        pos("aws-secret-key", `{"SecretAccessKey": "${t}", "SessionToken": null}`, t, "JSON");
        neg(`build-id ${r.awsSecret()}`, "40 random characters without AWS context");
        neg(`aws-cdk commit ${r.hex(40)}`, "commit SHA near aws");
        neg("aws_secret_access_key = ${AWS_SECRET}", "placeholder");
    }

    // ---- Slack.
    {
        let t = `xoxb-${r.from(DIGITS, 12)}-${r.from(DIGITS, 13)}-${r.from(ALNUM, 24)}`;
        pos("slack-token", t, t, "bot token");
        t = `xoxp-${r.from(DIGITS, 12)}-${r.from(DIGITS, 12)}-${r.from(DIGITS, 13)}-${r.hex(32)}`;
        pos("slack-token", `SLACK_TOKEN=${t}`, t, "user token");
        const path = `T${r.from(UPPER + DIGITS, 10)}/B${r.from(UPPER + DIGITS, 10)}/${r.from(ALNUM, 24)}`;
        pos("slack-token", `https://hooks.slack.com/services/${path}`, path, "incoming webhook");
        t = `xapp-1-A${r.from(UPPER + DIGITS, 10)}-${r.from(DIGITS, 13)}-${r.hex(64)}`;
        pos("slack-token", t, t, "app-level token");
        neg("xoxb-your-token", "placeholder");
        neg("https://hooks.slack.com/services/", "webhook base");
        neg(`xoxz-${r.from(DIGITS, 12)}-${r.from(ALNUM, 24)}`, "unknown token type");
    }

    // ---- Credentials in URLs.
    {
        let p = encodeURIComponent(r.password(16));
        pos("url-credentials", `https://deploy:${p}@artifacts.contoso.test/repo`, p, "basic auth in https URL");
        p = encodeURIComponent(r.password(12));
        pos("url-credentials", `ftp://upload:${p}@ftp.contoso.test/incoming`, p, "ftp");
        p = encodeURIComponent(r.base64(32));
        pos("url-credentials", `amqps://RootManageSharedAccessKey:${p}@ns-app.servicebus.windows.net`, p, "AMQP URL");
        p = `ghs_${r.from(ALNUM, 36)}`;
        pos("github-token", `git clone https://x-access-token:${p}@github.com/org/repo.git`, p, "token in clone URL (the token format wins)");
        p = encodeURIComponent(r.password(20));
        pos("url-credentials", `sftp://backup:${p}@10.1.2.3:22/backups`, p, "sftp");
        neg("https://deploy@artifacts.contoso.test/repo", "user without password");
        neg("https://artifacts.contoso.test:8443/repo", "port, no credentials");
        neg("https://${USER}:${PASS}@artifacts.contoso.test/repo", "placeholders");
        neg("git@github.com:keyless-org/keyless.git", "SSH remote");
        neg("ssh://git@github.com/keyless-org/keyless.git", "SSH URL");
        neg("https://deploy:****@artifacts.contoso.test/repo", "masked password");
    }

    // ---- Generic keyword plus entropy.
    {
        for (const name of ["credentials", "creds", "auth", "basicAuth", "dbCreds"]) {
            const c = r.base64url(24);
            pos("generic-secret", c, c, `under "${name}"`, name);
        }
        let c = r.base64(32);
        pos("shared-access-key", c, c, "camelCase service name", "EventHubKey");
        c = r.base64url(32);
        pos("generic-secret", `Endpoint=https://appcs-${r.from(LOWER, 6)}.azconfig.io;Id=${r.from(ALNUM, 4)}-l0-s0:${r.from(ALNUM, 6)};Secret=${c}`, c, "App Configuration connection string (Secret=)");
        c = r.password(20).replace(/["'\s]/g, "x");
        pos("generic-secret", `"command": "app --user admin --password=${c} --verbose"`, c, "--password= inside a quoted command line");
        neg(`keyVaultToStoreSecrets: kv-${r.from(LOWER + DIGITS, 12)}`, "the name of a vault, not a secret");
        neg(`publicToken = "${r.base64url(32)}"`, "a publishable token is public by design");
        neg(`notes = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"`, "Java artifact coordinates");
        neg(`DOCKER_TOKEN=not_a_real_token`, "says it is not real");
        neg(`password: REPLACE_WITH_PASSWORD`, "REPLACE_WITH_ placeholder");
        neg(`token: "${"ab".repeat(3)}${"5".repeat(8)}${r.from(ALNUM, 12)}"`, "filler run of one character");
        neg("DATABASE_URL=postgres://postgres:postgres@localhost:5432/app", "default development login");
        neg(`csrf-token=${r.accountKey()}`, "anti-forgery token, 64 random bytes");
        let p = r.password(16);
        pos("generic-secret", p, p, "password field", "password");
        p = r.password(20);
        pos("generic-secret", p, p, "VM admin password", "adminPassword");
        p = r.hex(32);
        pos("generic-secret", p, p, "hex API key", "apiKey");
        p = r.base64url(32);
        pos("generic-secret", p, p, "third-party client secret", "client_secret");
        p = r.password(18);
        pos("generic-secret", `DB_PASSWORD=${p}`, p, "env file");
        p = r.hex(40);
        pos("generic-secret", `{"apiKey": "${p}", "endpoint": "https://api.contoso.test"}`, p, "JSON");
        p = r.password(14);
        pos("generic-secret", `secret: ${p}`, p, "YAML");
        p = r.base64(24);
        pos("generic-secret", `api_key = '${p}'`, p, "single-quoted");
        p = r.base64url(30);
        pos("generic-secret", `const accessToken = "${p}";`, p, "TypeScript constant");
        p = r.base64url(32);
        pos("generic-secret", p, p, "private key material as a field", "privateKey");
        p = r.password(32);
        pos("generic-secret", p, p, "webhook secret", "webhookSecret");
        p = r.password(15);
        pos("generic-secret", `https://legacy.contoso.test/login?user=ops&password=${p}`, p, "password query parameter");
        p = r.base64(24);
        pos("generic-secret", `export SENDGRID_API_KEY="${p}"`, p, "shell export");
        p = r.password(16);
        pos("generic-secret", `password := "${p}"`, p, "Go assignment");

        neg("${DB_PASSWORD}", "shell placeholder", "password");
        neg("$(DB_PASSWORD)", "pipeline variable", "password");
        neg("{{ db_password }}", "template", "password");
        neg("<set-me>", "angle placeholder", "apiKey");
        neg("changeme", "obvious placeholder", "password");
        neg("***", "masked", "secret");
        neg("REPLACE_ME", "replace marker", "token");
        neg("%DB_PASSWORD%", "Windows variable", "password");
        neg("__DB_PASSWORD__", "token replacement", "password");
        neg("db-password", "secret name", "secretName");
        neg("https://kv-app.vault.azure.net/secrets/db-password", "secret URI", "secretUri");
        neg("24", "password length", "passwordLength");
        neg("https://login.microsoftonline.com/organizations/oauth2/v2.0/token", "token endpoint", "tokenEndpoint");
        neg("api://AzureADTokenExchange", "token audience", "tokenAudience");
        neg("kv-app-prod-7f3a", "vault name", "keyVaultName");
        neg('password: config.requireSecret("dbPassword")', "code reading a secret");
        neg("token: process.env.GITHUB_TOKEN", "environment lookup");
        neg("clientSecret: args.clientSecret,", "argument pass-through");
        neg("apiKey: apiKeyFromVault,", "variable name");
        neg("password: string;", "type annotation");
        neg("@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db-password/)", "Key Vault reference (SecretUri)", "DB_PASSWORD");
        neg("@Microsoft.KeyVault(VaultName=kv-app;SecretName=db-password)", "Key Vault reference (VaultName)", "password");
        neg(r.guid(), "GUID", "clientSecret");
        neg("readable-setting-value", "readable value", "apiKey");
        neg(r.base64url(24), "pagination token", "nextToken");
        neg("Rotate the password every 90 days; the token expires after an hour.", "prose");
        neg('const secret = new keyvault.Secret("db-password", { vaultName });', "code creating a secret");
        neg("secretRef: db-password", "Container Apps secret reference");
        neg("disablePasswordAuthentication: true", "VM setting");
    }

    // ---- Known non-secrets.
    {
        const ikey = r.guid();
        neg(
            `InstrumentationKey=${ikey};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=${r.guid()}`,
            "Application Insights connection string",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
        );
        neg(ikey, "instrumentation key", "instrumentationKey");
        neg(`/subscriptions/${r.guid()}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app/secrets/db-password`, "resource ID");
        neg("https://kv-app.vault.azure.net/", "vault URL");
        neg("https://vault.azure.net", "Key Vault audience");
        neg("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net", "IMDS token URL");
        neg("4633458b-17de-408a-b874-0445c86b69e6", "role definition GUID", "roleDefinitionId");
        neg(`crapp.azurecr.io/api@sha256:${r.hex(64)}`, "image digest");
        neg(`sha256:${r.hex(64)}`, "bare digest");
        neg(r.hex(40), "commit SHA");
        neg(r.hex(40), "commit SHA under a name", "commitSha");
        neg("mystorage", "identity-based storage", "AzureWebJobsStorage__accountName");
        neg("managedidentity", "identity credential", "AzureWebJobsStorage__credential");
        neg(r.guid(), "user-assigned client ID", "AzureWebJobsStorage__clientId");
        neg("https://stapp.blob.core.windows.net", "identity service URI", "AzureWebJobsStorage__blobServiceUri");
        neg("https://stapp.queue.core.windows.net", "identity service URI", "AzureWebJobsStorage__queueServiceUri");
        neg("https://token.actions.githubusercontent.com", "OIDC issuer");
        neg("repo:keyless-org/keyless:environment:prod", "federated subject");
        neg("stkeylessprod01", "storage account name", "storageAccountName");
        neg("Server=tcp:sql-app.database.windows.net;Database=db;Authentication=Active Directory Default;", "Entra SQL auth");
        neg(`${r.guid()} ${r.guid()} ${r.guid()}`, "GUID list");
        neg(r.hex(64), "checksum", "checksum");
        neg(Buffer.from(JSON.stringify({ tier: "prod", region: "westeurope" })).toString("base64url"), "base64url of plain JSON");
        neg("sv=2022-11-02", "SAS version alone");
        neg(pemBlock("CERTIFICATE", r.base64(700)), "certificate under a cert name", "certificate");
    }

    return out;
}

const seeds = new WeakMap<LabelledSample[], number>();

/** The seed a corpus was built from, to reproduce a failing run. */
export function corpusSeed(corpus: LabelledSample[]): number | undefined {
    return seeds.get(corpus);
}

export interface KindScore {
    tp: number;
    fp: number;
    fn: number;
    /** tp / (tp + fp); 1 when nothing was predicted. */
    precision: number;
    /** tp / (tp + fn); 1 when there was nothing to find. */
    recall: number;
}

export interface PrecisionRecall {
    /** Per labelled kind: a positive counts when a finding of that kind is reported for it. */
    byKind: Record<string, KindScore>;
    /** Secret or not, whatever the kind: the number that compares with scanners that name kinds differently. */
    anySecret: KindScore & { tn: number };
    /** Samples the detector got wrong, for reading (no secret values, only notes and kinds). */
    mistakes: { note: string; expected: string | null; got: string[] }[];
}

/** A detector under evaluation: the text and its field name in, the kinds it reports out. */
export type CorpusDetector = (text: string, key?: string) => ReadonlyArray<{ kind: string }>;

function score(tp: number, fp: number, fn: number): KindScore {
    return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

/** Precision and recall of `detector` over a labelled corpus, per kind and for "any secret". Pure. */
export function precisionRecall(corpus: readonly LabelledSample[], detector: CorpusDetector): PrecisionRecall {
    const counts = new Map<string, { tp: number; fp: number; fn: number }>();
    for (const k of secretKinds) counts.set(k, { tp: 0, fp: 0, fn: 0 });
    const get = (k: string) => {
        let c = counts.get(k);
        if (!c) counts.set(k, (c = { tp: 0, fp: 0, fn: 0 }));
        return c;
    };
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    const mistakes: PrecisionRecall["mistakes"] = [];
    for (const sample of corpus) {
        const got = [...new Set(detector(sample.text, sample.key).map((f) => f.kind))];
        if (sample.kind !== null) {
            if (got.includes(sample.kind)) get(sample.kind).tp++;
            else get(sample.kind).fn++;
        }
        for (const k of got) if (k !== sample.kind) get(k).fp++;
        if (sample.kind !== null && got.length > 0) tp++;
        else if (sample.kind !== null) fn++;
        else if (got.length > 0) fp++;
        else tn++;
        if ((sample.kind === null && got.length > 0) || (sample.kind !== null && (got.length !== 1 || got[0] !== sample.kind))) {
            mistakes.push({ note: sample.note, expected: sample.kind, got });
        }
    }
    const byKind: Record<string, KindScore> = {};
    for (const [k, c] of counts) byKind[k] = score(c.tp, c.fp, c.fn);
    return { byKind, anySecret: { ...score(tp, fp, fn), tn }, mistakes };
}
