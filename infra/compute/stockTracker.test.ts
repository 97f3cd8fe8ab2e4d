import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHmac, randomBytes, randomUUID } from "crypto";
import { mkdtempSync, rmSync } from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { ProcessRun, runProcess } from "../testing/process";

/**
 * Runs the real app script against a fake instance metadata service and a fake Key Vault on 127.0.0.1.
 * The script only accepts loopback overrides, so these tests exercise the same code paths as on a VM.
 */

const script = path.join(__dirname, "app", "stock-tracker.py");

interface Seen {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
}

interface Fake {
    url: string;
    seen: Seen[];
    close(): Promise<void>;
}

async function fakeServer(respond: (request: Seen, count: number) => { status: number; body: unknown }): Promise<Fake> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
        const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers };
        seen.push(request);
        const { status, body } = respond(request, seen.length);
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    // No proxy variables: requests to the fakes must go straight to 127.0.0.1.
    return { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1", KEYLESS_RETRY_BASE: "0.05", ...extra };
}

function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20000): Promise<ProcessRun> {
    return runProcess("python3", [script, ...args], { env, timeout: timeoutMs, killSignal: "SIGKILL" });
}

function randomSecret(): string {
    return randomBytes(24).toString("base64url");
}

function imdsHandler(token: string) {
    return () => ({ status: 200, body: { access_token: token, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: "https://vault.azure.net", token_type: "Bearer" } });
}

function vaultHandler(secretName: string, value: string, version: string) {
    return (request: Seen) =>
        request.url.startsWith(`/secrets/${secretName}?`)
            ? { status: 200, body: { value, id: `https://kv-stock.vault.azure.net/secrets/${secretName}/${version}`, attributes: { enabled: true } } }
            : { status: 404, body: { error: { code: "SecretNotFound", message: "not here" } } };
}

describe("stock-tracker.py", () => {
    const fakes: Fake[] = [];
    const children: ChildProcess[] = [];

    afterEach(async () => {
        for (const child of children.splice(0)) {
            child.kill("SIGKILL");
        }
        await Promise.all(fakes.splice(0).map((fake) => fake.close()));
    });

    it("compiles with python3", () => {
        const cache = mkdtempSync(path.join(tmpdir(), "keyless-pycache-"));
        try {
            const result = spawnSync("python3", ["-m", "py_compile", script], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache }, encoding: "utf8", timeout: 30000 });
            expect(result.stderr).toBe("");
            expect(result.status).toBe(0);
        } finally {
            rmSync(cache, { recursive: true, force: true });
        }
    });

    it("gets a Key Vault token for its user-assigned identity, reads the secret with it, and never prints either", async () => {
        const token = `eyJ${randomBytes(48).toString("base64url")}`;
        const secret = randomSecret();
        const clientId = randomUUID();
        const version = randomBytes(16).toString("hex");
        const imds = await fakeServer(imdsHandler(token));
        const vault = await fakeServer(vaultHandler("report-signing-key", secret, version));
        fakes.push(imds, vault);

        const run = await runScript(
            ["--once"],
            baseEnv({
                KEYLESS_VAULT_NAME: "kv-stock",
                KEYLESS_SECRET_NAME: "report-signing-key",
                KEYLESS_CLIENT_ID: clientId,
                KEYLESS_IMDS_ENDPOINT: `${imds.url}/metadata/identity/oauth2/token`,
                KEYLESS_VAULT_URL: vault.url,
            }),
        );
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);

        expect(imds.seen).toHaveLength(1);
        const tokenRequest = new URL(imds.seen[0].url, imds.url);
        expect(imds.seen[0].method).toBe("GET");
        expect(tokenRequest.pathname).toBe("/metadata/identity/oauth2/token");
        expect(imds.seen[0].url).toContain("resource=https%3A%2F%2Fvault.azure.net");
        expect(Object.fromEntries(tokenRequest.searchParams)).toEqual({ "api-version": "2018-02-01", resource: "https://vault.azure.net", client_id: clientId });
        expect(imds.seen[0].headers.metadata).toBe("true");
        expect(imds.seen[0].headers.authorization).toBeUndefined();

        expect(vault.seen).toHaveLength(1);
        const secretRequest = new URL(vault.seen[0].url, vault.url);
        expect(vault.seen[0].method).toBe("GET");
        expect(secretRequest.pathname).toBe("/secrets/report-signing-key");
        expect(Object.fromEntries(secretRequest.searchParams)).toEqual({ "api-version": "7.4" });
        expect(vault.seen[0].headers.authorization).toBe(`Bearer ${token}`);

        const output = run.stdout + run.stderr;
        expect(output).toContain(`signing key report-signing-key loaded (version ${version})`);
        expect(output).not.toContain(secret);
        expect(output).not.toContain(token);
        // The secret is used: the report's signature is an HMAC of the report under it.
        const report = /report (\{.*\}) signature=([0-9a-f]{64})/.exec(run.stdout);
        expect(report).not.toBeNull();
        const [, body, signature] = report as RegExpExecArray;
        expect(createHmac("sha256", secret).update(body).digest("hex")).toBe(signature);
        expect(JSON.parse(body)).toMatchObject({ items: { widget: 12, gadget: 4 }, total: 16 });
    });

    it("uses the system-assigned identity when no client ID is set, and retries while the role assignment propagates", async () => {
        const token = `eyJ${randomBytes(48).toString("base64url")}`;
        const secret = randomSecret();
        const imds = await fakeServer(imdsHandler(token));
        const serve = vaultHandler("signing", secret, "v1");
        const detail = `Caller is not authorized ${randomBytes(6).toString("hex")}`;
        const vault = await fakeServer((request, count) =>
            count <= 2 ? { status: 403, body: { error: { code: "Forbidden", message: detail, innererror: { code: "ForbiddenByRbac" } } } } : serve(request),
        );
        fakes.push(imds, vault);

        const run = await runScript(
            ["--once"],
            baseEnv({ KEYLESS_VAULT_NAME: "kv-stock", KEYLESS_SECRET_NAME: "signing", KEYLESS_IMDS_ENDPOINT: `${imds.url}/token`, KEYLESS_VAULT_URL: vault.url }),
        );
        expect(run.code).toBe(0);
        expect(new URL(imds.seen[0].url, imds.url).searchParams.has("client_id")).toBe(false);
        expect(vault.seen).toHaveLength(3);
        // The token is reused while valid; IMDS is asked once.
        expect(imds.seen).toHaveLength(1);
        expect(run.stdout).toContain("Key Vault secret signing: HTTP 403 ForbiddenByRbac; retry 1 in");
        expect(run.stdout).toContain("Key Vault secret signing: HTTP 403 ForbiddenByRbac; retry 2 in");
        expect(run.stdout).toContain("signing key signing loaded (version v1)");
        expect(run.stdout).not.toContain(detail);
        expect(run.stdout + run.stderr).not.toContain(secret);
        expect(run.stdout + run.stderr).not.toContain(token);
    });

    it("gives up after the allowed attempts with a non-zero exit and no token in the log", async () => {
        const token = `eyJ${randomBytes(48).toString("base64url")}`;
        const imds = await fakeServer(imdsHandler(token));
        const vault = await fakeServer(() => ({ status: 401, body: { error: { code: "Unauthorized", message: "AKV10032: Invalid issuer." } } }));
        fakes.push(imds, vault);

        const run = await runScript(
            ["--once", "--attempts", "2"],
            baseEnv({ KEYLESS_VAULT_NAME: "kv-stock", KEYLESS_SECRET_NAME: "signing", KEYLESS_IMDS_ENDPOINT: `${imds.url}/token`, KEYLESS_VAULT_URL: vault.url }),
        );
        expect(run.code).toBe(1);
        expect(vault.seen).toHaveLength(2);
        // A 401 drops the cached token, so the retry asks IMDS for a fresh one.
        expect(imds.seen).toHaveLength(2);
        expect(run.stdout).toContain("giving up: Key Vault secret signing: HTTP 401 Unauthorized");
        expect(run.stdout + run.stderr).not.toContain(token);
    });

    it("retries while the metadata service has no token yet", async () => {
        const token = `eyJ${randomBytes(48).toString("base64url")}`;
        const secret = randomSecret();
        const ok = imdsHandler(token);
        const imds = await fakeServer((_request, count) => (count === 1 ? { status: 404, body: { error: "invalid_request", error_description: "Identity not found" } } : ok()));
        const vault = await fakeServer(vaultHandler("signing", secret, "v2"));
        fakes.push(imds, vault);

        const run = await runScript(
            ["--once"],
            baseEnv({ KEYLESS_VAULT_NAME: "kv-stock", KEYLESS_SECRET_NAME: "signing", KEYLESS_IMDS_ENDPOINT: `${imds.url}/token`, KEYLESS_VAULT_URL: vault.url }),
        );
        expect(run.code).toBe(0);
        expect(imds.seen).toHaveLength(2);
        expect(run.stdout).toContain("managed identity token: HTTP 404 invalid_request; retry 1 in");
    });

    it.each([
        ["a non-loopback vault URL", { KEYLESS_VAULT_URL: "http://kv-stock.example.test" }, "KEYLESS_VAULT_URL may only point at a loopback address"],
        ["a non-loopback metadata endpoint", { KEYLESS_IMDS_ENDPOINT: "http://203.0.113.9/token" }, "KEYLESS_IMDS_ENDPOINT may only point at a loopback address"],
        ["a vault name that is not a name", { KEYLESS_VAULT_NAME: "kv/../x" }, "KEYLESS_VAULT_NAME must be a Key Vault name"],
        ["a client ID that is not a GUID", { KEYLESS_CLIENT_ID: "abc" }, "KEYLESS_CLIENT_ID must be a GUID"],
    ])("refuses %s before sending any request", async (_label, override, message) => {
        const run = await runScript(["--once"], baseEnv({ KEYLESS_VAULT_NAME: "kv-stock", KEYLESS_SECRET_NAME: "signing", ...override }), 10000);
        expect(run.code).toBe(2);
        expect(run.stdout).toContain(`configuration error: ${message}`);
    });

    it("serves stock levels on localhost and logs reports signed with the secret", async () => {
        const token = `eyJ${randomBytes(48).toString("base64url")}`;
        const secret = randomSecret();
        const imds = await fakeServer(imdsHandler(token));
        const vault = await fakeServer(vaultHandler("signing", secret, "v3"));
        fakes.push(imds, vault);
        const probe = http.createServer();
        await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
        const port = (probe.address() as AddressInfo).port;
        await new Promise<void>((resolve) => probe.close(() => resolve()));

        const child = spawn("python3", [script], {
            env: baseEnv({
                KEYLESS_VAULT_NAME: "kv-stock",
                KEYLESS_SECRET_NAME: "signing",
                KEYLESS_IMDS_ENDPOINT: `${imds.url}/token`,
                KEYLESS_VAULT_URL: vault.url,
                KEYLESS_HEALTH_PORT: String(port),
                KEYLESS_REPORT_INTERVAL: "1",
                KEYLESS_STOCK_ITEMS: "widget=5,bolt=100",
            }),
            timeout: 20000,
            killSignal: "SIGKILL",
        });
        children.push(child);
        let stdout = "";
        const waitFor = (pattern: RegExp) =>
            new Promise<RegExpExecArray>((resolve, reject) => {
                const check = () => {
                    const match = pattern.exec(stdout);
                    if (match) {
                        child.stdout?.off("data", onData);
                        resolve(match);
                    }
                };
                const onData = (chunk: Buffer) => {
                    stdout += chunk.toString();
                    check();
                };
                child.stdout?.on("data", onData);
                child.once("close", () => reject(new Error(`app exited early:\n${stdout}`)));
                check();
            });
        await waitFor(/signing key signing loaded \(version v3\)/);

        const call = async (method: string, route: string, body?: unknown) => {
            const response = await fetch(`http://127.0.0.1:${port}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
            return { status: response.status, json: (await response.json()) as Record<string, unknown> };
        };
        expect(await call("GET", "/healthz")).toEqual({ status: 200, json: { status: "ok", secretVersion: "v3" } });
        expect(await call("POST", "/stock/widget", { delta: -2 })).toEqual({ status: 200, json: { sku: "widget", level: 3 } });
        expect((await call("POST", "/stock/widget", { delta: -10 })).status).toBe(400);
        expect(await call("GET", "/stock")).toEqual({ status: 200, json: { items: { widget: 3, bolt: 100 }, total: 103 } });

        const [, body, signature] = await waitFor(/report (\{[^\n]*"total":103[^\n]*\}) signature=([0-9a-f]{64})/);
        expect(createHmac("sha256", secret).update(body).digest("hex")).toBe(signature);
        expect(stdout).not.toContain(secret);
        expect(stdout).not.toContain(token);
    });
});
