import * as https from "https";
import * as selfsigned from "selfsigned";
import { AddressInfo } from "net";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { queryWorkspace } from "./live";
import { loadTableSchemas } from "./schema";

/**
 * The live path end to end against a loopback server that answers as the Log Analytics query API does
 * (POST {endpoint}/workspaces/{id}/query with {query, timespan}; 200 {tables:[{name, columns, rows}]}, a partial
 * result adding an `error`, 400 for a table the workspace lacks, 429 with Retry-After when throttled):
 * https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format
 */
const workspaceId = "7b0c3f9e-2a41-4c55-9d0e-8f1a2b3c4d5e";
const auditWorkspaceId = "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
const schemas = loadTableSchemas();
const token = ["loopback", "only"].join("-");
const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3600000 }) };

interface Seen {
    table: string;
    workspaces: string[] | undefined;
    authorization: string | undefined;
    timespan: string;
}

function columns(table: string) {
    return Object.entries(schemas[table].columns).map(([name, type]) => ({ name, type }));
}

function rowOf(table: string, values: Record<string, unknown>): unknown[] {
    return Object.keys(schemas[table].columns).map((name) => values[name] ?? null);
}

// The client sends a bearer token over TLS only: the loopback server gets a certificate made for this run.
async function certificate(): Promise<{ key: string; cert: string }> {
    const made = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
        notAfterDate: new Date(Date.now() + 86400000),
        keySize: 2048,
        extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    return { key: made.private, cert: made.cert };
}

function startServer(seen: Seen[], tls: { key: string; cert: string }): Promise<https.Server> {
    let throttled = false;
    const server = https.createServer(tls, (request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; timespan: string; workspaces?: string[] };
            const table = body.query.split(" ")[0];
            seen.push({ table, workspaces: body.workspaces, authorization: request.headers.authorization, timespan: body.timespan });
            const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
                response.writeHead(status, { "content-type": "application/json", ...headers });
                response.end(JSON.stringify(payload));
            };
            if (!request.url?.startsWith(`/workspaces/${workspaceId}/query`)) {
                return send(404, { error: { code: "PathNotFoundError", message: `unexpected ${request.url}` } });
            }
            if (table === "AzureActivity" && !throttled) {
                throttled = true;
                return send(429, { error: { code: "ThrottledError", message: "Too many requests" } }, { "retry-after": "1" });
            }
            if (table === "StorageQueueLogs") {
                return send(400, {
                    error: {
                        message: "The request had some invalid properties",
                        code: "BadArgumentError",
                        innererror: { code: "SemanticError", message: "A semantic error occurred.", innererror: { code: "SEM0100", message: "'where' operator: Failed to resolve table or column expression named 'StorageQueueLogs'" } },
                    },
                });
            }
            const rows =
                table === "AzureActivity"
                    ? [rowOf(table, { TimeGenerated: new Date().toISOString(), Caller: "ops@contoso.com", OperationNameValue: "Microsoft.Storage/storageAccounts/write", CategoryValue: "Administrative", Claims_d: "{\"appid\":\"x\"}" })]
                    : table === "StorageBlobLogs"
                      ? [rowOf(table, { TimeGenerated: new Date().toISOString(), OperationName: "GetBlob", _ResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default", StatusCode: "200" })]
                      : [];
            const payload: Record<string, unknown> = { tables: [{ name: "PrimaryResult", columns: columns(table), rows }] };
            if (table === "StorageBlobLogs") {
                payload.error = { code: "PartialError", message: "There were some errors when processing your query.", details: [{ code: "EngineError", message: "Query result set has exceeded the internal record count limit." }] };
            }
            return send(200, payload);
        });
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("npm run review, live against a loopback Log Analytics query API", () => {
    let server: https.Server;
    let ca: string;
    const seen: Seen[] = [];
    beforeAll(async () => {
        const tls = await certificate();
        ca = tls.cert;
        server = await startServer(seen, tls);
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it("queries each table with the bearer token, retries after 429, and reports partial and missing tables", async () => {
        const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const result = await queryWorkspace({ workspaceId, additionalWorkspaces: [auditWorkspaceId], days: 30, schemas, credential, endpoint, ca });
        const byName = Object.fromEntries(result.tables.map(({ table, rows }) => [table.name, { table, rows }]));

        expect(new Set(seen.map((request) => request.table))).toEqual(new Set(Object.keys(schemas)));
        expect(seen.every((request) => request.authorization === `Bearer ${token}` && request.timespan === "P30D")).toBe(true);
        // The audit workspace (Activity Log, sign-ins) is queried together with the stack's.
        expect(seen.every((request) => JSON.stringify(request.workspaces) === JSON.stringify([auditWorkspaceId]))).toBe(true);
        // Throttled once, then answered: the rows arrive, as documented columns with dynamic JSON parsed.
        expect(seen.filter((request) => request.table === "AzureActivity")).toHaveLength(2);
        expect(byName.AzureActivity.table).toEqual({ name: "AzureActivity", status: "read", rows: 1 });
        expect(byName.AzureActivity.rows[0]).toEqual(expect.objectContaining({ Caller: "ops@contoso.com", Claims_d: { appid: "x" } }));
        expect(byName.StorageBlobLogs.table).toEqual(expect.objectContaining({ status: "partial", rows: 1, note: expect.stringContaining("PartialError") }));
        expect(result.notes).toEqual([expect.stringMatching(/^StorageBlobLogs: partial result: PartialError/)]);
        expect(byName.StorageQueueLogs.table).toEqual(expect.objectContaining({ status: "missing", rows: 0 }));
    });

    it("refuses a workspace that is not a workspace ID before sending anything", async () => {
        const before = seen.length;
        await expect(queryWorkspace({ workspaceId: "log-keyless-dev", days: 30, schemas, credential, endpoint: "https://127.0.0.1:9" })).rejects.toThrow(/--workspace must be the workspace ID/);
        expect(seen.length).toBe(before);
    });
});
