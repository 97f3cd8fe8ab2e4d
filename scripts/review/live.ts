import type { TokenCredential } from "@azure/core-auth";
import { checkRows, TableRows } from "./logs";
import { TableSchema, tableQuery } from "./schema";
import { ReviewInputError } from "./types";

/**
 * Live mode: the same per-table rows an offline export holds, fetched from the workspace with Azure's own client
 * (@azure/monitor-query-logs), read-only. DefaultAzureCredential takes `az login` locally and OIDC in the workflow;
 * the bootstrap grants the preview identity Log Analytics Reader on the workspace for this. Throttling (429 with
 * Retry-After) is retried by the client's pipeline; a partial result or a table the workspace lacks is reported.
 */
export interface LiveOptions {
    workspaceId: string;
    days: number;
    schemas: Record<string, TableSchema>;
    /** Defaults to DefaultAzureCredential. */
    credential?: TokenCredential;
    /** Defaults to the public cloud's Log Analytics API (https://api.loganalytics.io/v1). */
    endpoint?: string;
    /** Other workspaces queried together with `workspaceId` (the bootstrap's audit workspace). */
    additionalWorkspaces?: string[];
    /** Extra CA certificate (PEM) to trust, for a private endpoint or a test server. */
    ca?: string;
    log?: (line: string) => void;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workspace has never received the table: the query service says it cannot resolve the name. */
function isMissingTable(error: unknown): boolean {
    // A RestError carries the service's error body in `details` and the raw text on `response`.
    const rest = error as { code?: string; details?: unknown; response?: { bodyAsText?: string } };
    const text = `${rest?.code ?? ""} ${JSON.stringify(rest?.details ?? "")} ${rest?.response?.bodyAsText ?? ""}`;
    return /Failed to resolve table or column expression|could not be resolved|SEM0100/i.test(text);
}

function plainValue(value: unknown): unknown {
    return value instanceof Date ? value.toISOString() : value;
}

export async function queryWorkspace(options: LiveOptions): Promise<{ tables: TableRows[]; notes: string[] }> {
    if (!guid.test(options.workspaceId)) {
        throw new ReviewInputError(`--workspace must be the workspace ID (a GUID, the workspace's customerId), got ${JSON.stringify(options.workspaceId)}.`);
    }
    for (const extra of options.additionalWorkspaces ?? []) {
        if (!guid.test(extra)) {
            throw new ReviewInputError(`--audit-workspace must be a workspace ID (a GUID: the bootstrap's auditWorkspaceCustomerId output), got ${JSON.stringify(extra)}.`);
        }
    }
    const { LogsQueryClient, LogsQueryResultStatus } = await import("@azure/monitor-query-logs");
    const credential = options.credential ?? new (await import("@azure/identity")).DefaultAzureCredential();
    const client = new LogsQueryClient(credential, { ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}) });
    const tables: TableRows[] = [];
    const notes: string[] = [];
    for (const [name, schema] of Object.entries(options.schemas)) {
        options.log?.(`Querying ${name} for ${options.days} days...`);
        try {
            const result = await client.queryWorkspace(options.workspaceId, tableQuery(name, options.days), { duration: `P${options.days}D` }, options.additionalWorkspaces?.length ? { additionalWorkspaces: options.additionalWorkspaces } : {});
            const partial = result.status === LogsQueryResultStatus.PartialFailure;
            const table = partial ? result.partialTables[0] : result.tables[0];
            const objects = (table?.rows ?? []).map((row) => Object.fromEntries(table.columnDescriptors.map((column, index) => [column.name ?? `column${index}`, plainValue(row[index])])));
            const rows = checkRows(`${name} (live query)`, name, schema, objects);
            const note = partial ? `partial result: ${result.partialError.code ?? ""} ${result.partialError.message ?? ""}`.trim() : undefined;
            if (note) {
                notes.push(`${name}: ${note}; findings from it may be incomplete.`);
            }
            tables.push({ table: { name, status: partial ? "partial" : "read", rows: rows.length, ...(note ? { note } : {}) }, rows });
        } catch (error) {
            if (isMissingTable(error)) {
                tables.push({ table: { name, status: "missing", rows: 0, note: "the workspace has no such table (no diagnostic setting sends it)" }, rows: [] });
                continue;
            }
            throw error;
        }
    }
    return { tables, notes };
}
