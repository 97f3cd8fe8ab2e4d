import { randomBytes, randomInt } from "crypto";
import { gzipSync } from "zlib";
import { unknownCheckingProxy } from "@pulumi/policy";
import { scanValue } from "./index";

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const alnum = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join("");
const accountKey = () => randomBytes(64).toString("base64");
const password = () => `${alnum(14)}!${randomInt(10)}`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const storageConnection = (key: string) => `DefaultEndpointsProtocol=https;AccountName=stapp;AccountKey=${key};EndpointSuffix=core.windows.net`;

describe("scanValue", () => {
    it("names the path of a secret in nested objects and arrays", () => {
        const key = accountKey();
        const props = { location: "westeurope", properties: { keys: ["a", { primary: key }] } };
        expect(scanValue(props)).toEqual([expect.objectContaining({ kind: "storage-account-key", path: "properties.keys[1].primary" })]);
    });

    it("uses the name of { name, value } pairs as the keyword context", () => {
        const pw = password();
        const props = {
            properties: {
                siteConfig: {
                    appSettings: [
                        { name: "WEBSITE_RUN_FROM_PACKAGE", value: "1" },
                        { name: "AzureWebJobsStorage__accountName", value: "stapp" },
                        { name: "DB_PASSWORD", value: pw },
                    ],
                },
            },
        };
        expect(scanValue(props)).toEqual([expect.objectContaining({ kind: "generic-secret", path: "properties.siteConfig.appSettings[2].value" })]);
        // The same value under a neutral name has no format of its own, so it is not a finding.
        expect(scanValue({ properties: { description: pw } })).toEqual([]);
    });

    it("parses JSON held in a string and scans inside it", () => {
        const pw = password();
        const findings = scanValue({ settings: JSON.stringify({ db: { host: "pg", password: pw } }) });
        expect(findings).toEqual([expect.objectContaining({ kind: "generic-secret", path: "settings<json>.db.password" })]);
    });

    it("parses YAML held in a string, and still sees secrets in its comments, once each", () => {
        const pw = password();
        const key = accountKey();
        const manifest = `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${pw}"\n# old: ${key}\n`;
        const findings = scanValue({ template: manifest });
        expect(findings.map((f) => [f.kind, f.path])).toEqual([
            ["generic-secret", "template<yaml>.stringData.password"],
            ["storage-account-key", "template"],
        ]);
    });

    it("decodes base64 customData, then the cloud-init YAML inside", () => {
        const key = accountKey();
        const cloudInit = `#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: |\n      STORAGE=${storageConnection(key)}\n`;
        const findings = scanValue({ properties: { osProfile: { customData: b64(cloudInit) } } });
        expect(findings).toEqual([
            expect.objectContaining({ kind: "storage-connection-string", path: "properties.osProfile.customData<base64><yaml>.write_files[0].content" }),
        ]);
    });

    it("decodes userData whatever its case, with line breaks and gzip", () => {
        const token = `ghp_${alnum(36)}`;
        const script = `#!/bin/bash\nexport GH_TOKEN=${token}\n./deploy.sh\n`;
        const wrapped = b64(script).replace(/(.{60})/g, "$1\n");
        expect(scanValue({ UserData: wrapped })).toEqual([expect.objectContaining({ kind: "github-token", path: "UserData<base64>" })]);
        expect(scanValue({ userData: b64(gzipSync(script)) })).toEqual([expect.objectContaining({ kind: "github-token", path: "userData<base64>" })]);
    });

    it("decodes other base64 strings only when they hold text", () => {
        const pw = password();
        expect(scanValue({ blob: b64(`db_password=${pw}\nmode=prod\n`) })).toEqual([expect.objectContaining({ kind: "generic-secret", path: "blob<base64>" })]);
        // A key is valid base64 too, but decodes to bytes: it is reported as itself.
        const key = accountKey();
        expect(scanValue({ blob: key })).toEqual([expect.objectContaining({ kind: "storage-account-key", path: "blob" })]);
        // Base64 of a harmless script is not a finding, whatever its length.
        expect(scanValue({ customData: b64("#!/bin/sh\necho hello from the vm that has a managed identity\n") })).toEqual([]);
    });

    it("skips values the isUnknown predicate marks, without aborting the rest", () => {
        const UNKNOWN = Symbol("unknown");
        const key = accountKey();
        const isUnknown = (v: unknown) => v === UNKNOWN;
        const findings = scanValue({ a: UNKNOWN, b: [UNKNOWN, key], c: undefined }, { isUnknown });
        expect(findings).toEqual([expect.objectContaining({ path: "b[1]" })]);
    });

    it("walks Pulumi policy inputs whose unknown fields throw when read during preview", () => {
        const key = accountKey();
        const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const props = unknownCheckingProxy({ name: unknownString, properties: { id: unknownString, settings: [{ name: "KEY", value: key }] } });
        expect(() => (props as { name: string }).name).toThrow();
        expect(scanValue(props)).toEqual([expect.objectContaining({ kind: "storage-account-key", path: "properties.settings[0].value" })]);
    });

    it("survives getters and predicates that throw", () => {
        const key = accountKey();
        const odd = { ok: key };
        Object.defineProperty(odd, "bad", { enumerable: true, get: () => { throw new Error("boom"); } });
        expect(scanValue(odd)).toHaveLength(1);
        expect(scanValue({ a: key }, { isUnknown: () => { throw new Error("boom"); } })).toEqual([]);
        expect(scanValue({ a: key }, { skipPaths: () => { throw new Error("boom"); } })).toHaveLength(1);
    });

    it("visits cycles and shared objects once", () => {
        const key = accountKey();
        const a: Record<string, unknown> = { secret: key };
        a.self = a;
        const list: unknown[] = [a];
        list.push(list);
        expect(scanValue({ list, again: a })).toEqual([expect.objectContaining({ path: "list[0].secret" })]);
    });

    it("stops at a bounded depth instead of overflowing the stack", () => {
        const key = accountKey();
        let deep: unknown = { key };
        for (let i = 0; i < 100_000; i++) deep = { d: deep };
        expect(scanValue(deep)).toEqual([]);
        let shallow: unknown = { key };
        for (let i = 0; i < 10; i++) shallow = { d: shallow };
        expect(scanValue(shallow)).toHaveLength(1);
    });

    it("scans huge strings and ignores non-string leaves", () => {
        const key = accountKey();
        const huge = `${"lorem ipsum ".repeat(400_000)}${key}`;
        expect(scanValue({ huge, n: 1, b: true, f: () => key, d: new Date(), bytes: Buffer.from(key) })).toEqual([
            expect.objectContaining({ path: "huge", start: huge.length - 88 }),
        ]);
    });

    it("prefixes paths with rootPath, quotes odd keys, and honours skipPaths", () => {
        const key = accountKey();
        const value = { "a.b": { c: key }, tags: { note: key } };
        const paths = scanValue(value, { rootPath: "props", skipPaths: (p) => p === "props.tags" }).map((f) => f.path);
        expect(paths).toEqual(['props["a.b"].c']);
    });

    it("passes identity-based settings, Key Vault references and other non-secrets", () => {
        const props = {
            keyVaultReferenceIdentity: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app",
            siteConfig: {
                appSettings: [
                    { name: "AzureWebJobsStorage__accountName", value: "stapp" },
                    { name: "AzureWebJobsStorage__credential", value: "managedidentity" },
                    { name: "AzureWebJobsStorage__clientId", value: "2b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d" },
                    { name: "DB_PASSWORD", value: "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db-password/)" },
                    { name: "API_KEY", value: "@Microsoft.KeyVault(VaultName=kv-app;SecretName=api-key)" },
                    {
                        name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
                        value: "InstrumentationKey=2b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
                    },
                ],
            },
            sshPublicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(randomBytes(32)).slice(0, 43)} ops@keyless`,
        };
        expect(scanValue(props)).toEqual([]);
    });

    it("masks every reported value", () => {
        const key = accountKey();
        const [finding] = scanValue({ k: key });
        for (let i = 0; i + 5 <= key.length; i++) expect(finding.masked).not.toContain(key.slice(i, i + 5));
    });

    it("returns nothing for primitives, null and undefined", () => {
        expect(scanValue(undefined)).toEqual([]);
        expect(scanValue(null)).toEqual([]);
        expect(scanValue(42)).toEqual([]);
        expect(scanValue("plain text")).toEqual([]);
    });
});
