import { LogRow } from "./logs";

/** A data-plane request, whichever table it came from, in the terms the review matches on. */
export interface DataEvent {
    time: string;
    principalId: string;
    service: "blob" | "queue" | "table" | "vault";
    /** ARM ID of the object touched, lowercased: `.../containers/stock`, `.../vaults/kv/secrets/name`; the account or vault when none. */
    objectId: string;
    /** `container stock`, `secret stock-api-key`: for messages. */
    objectLabel: string;
    operation: string;
    status: number;
    read: boolean;
    detail: string;
}

const storageServices = {
    StorageBlobLogs: { service: "blob", path: "blobServices/default/containers", label: "container" },
    StorageQueueLogs: { service: "queue", path: "queueServices/default/queues", label: "queue" },
    StorageTableLogs: { service: "table", path: "tableServices/default/tables", label: "table" },
} as const;

/** Operations that change nothing. GetMessages dequeues (it hides the message), so it is not a read. */
function isRead(service: DataEvent["service"], operation: string): boolean {
    if (service === "vault") {
        return /^(Secret|Key|Certificate)(Get|List)|^VaultGet$/.test(operation);
    }
    if (operation === "GetMessages" || operation === "GetMessage") {
        return false;
    }
    return /^(Get|List|Peek|Query|Head)/.test(operation);
}

function str(value: unknown): string {
    return typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
}

/** The storage account's ID from a log's _ResourceId, which names the service sub-resource (`.../blobServices/default`). */
function accountId(resourceId: string): string {
    return resourceId.toLowerCase().replace(/\/(blob|queue|table|file)services\/default.*$/, "");
}

export function storageEvent(table: keyof typeof storageServices, row: LogRow): DataEvent | undefined {
    if (str(row.AuthenticationType) !== "OAuth" || !str(row.RequesterObjectId)) {
        return undefined;
    }
    const { service, path, label } = storageServices[table];
    // ObjectKey is `/<account>/<container>/<blob>`, `/<account>/<queue>/messages`, `/<account>/<table>(keys)`.
    const child = str(row.ObjectKey).replace(/^"|"$/g, "").split("/")[2]?.replace(/\(.*$/, "") ?? "";
    const account = accountId(str(row._ResourceId));
    const operation = str(row.OperationName);
    return {
        time: str(row.TimeGenerated),
        principalId: str(row.RequesterObjectId).toLowerCase(),
        service,
        objectId: child ? `${account}/${path}/${child}`.toLowerCase() : account,
        objectLabel: child ? `${label} ${child}` : `account ${account.split("/").pop()}`,
        operation,
        status: Number(str(row.StatusCode)) || 0,
        read: isRead(service, operation),
        detail: str(row.StatusText),
    };
}

function claim(identity: unknown, name: string): string {
    const claims = identity && typeof identity === "object" ? (identity as Record<string, unknown>).claim : undefined;
    return claims && typeof claims === "object" ? str((claims as Record<string, unknown>)[name]) : "";
}

export function vaultEvent(row: LogRow): DataEvent | undefined {
    const principal = claim(row.Identity, "oid") || claim(row.Identity, "http://schemas.microsoft.com/identity/claims/objectidentifier");
    if (!principal) {
        return undefined;
    }
    const vault = str(row._ResourceId).toLowerCase();
    // Id is the object's URI: https://<vault>.vault.azure.net/secrets/<name>/<version>.
    const match = /\/(secrets|keys|certificates)\/([^/?]+)/i.exec(str(row.Id));
    const operation = str(row.OperationName);
    return {
        time: str(row.TimeGenerated),
        principalId: principal.toLowerCase(),
        service: "vault",
        objectId: match ? `${vault}/${match[1].toLowerCase()}/${match[2].toLowerCase()}` : vault,
        objectLabel: match ? `${match[1].replace(/s$/, "")} ${match[2]}` : `vault ${vault.split("/").pop()}`,
        operation,
        status: Number(row.HttpStatusCode) || Number(str(row.ResultSignature)) || 0,
        read: isRead("vault", operation),
        detail: str(row.ResultSignature),
    };
}

export function dataEvents(tables: Record<string, LogRow[]>): DataEvent[] {
    const events: (DataEvent | undefined)[] = [];
    for (const table of Object.keys(storageServices) as (keyof typeof storageServices)[]) {
        events.push(...(tables[table] ?? []).map((row) => storageEvent(table, row)));
    }
    events.push(...(tables.AZKVAuditLogs ?? []).map(vaultEvent));
    return events.filter((event): event is DataEvent => event !== undefined);
}
