import { randomUUID } from "crypto";

/**
 * Log rows for the access review's tests, in each table's documented columns (review/schema/tables.json cites
 * the pages), as `az monitor log-analytics query -o json` writes them: strings for dynamic columns, ISO times.
 */
export type Row = Record<string, unknown>;

export function daysAgo(now: Date, days: number, hours = 0): string {
    return new Date(now.getTime() - days * 86400000 - hours * 3600000).toISOString();
}

const storageTables = { blob: "StorageBlobLogs", queue: "StorageQueueLogs", table: "StorageTableLogs" } as const;

/** One storage request by `principal`: `account` is the account's ARM ID, `child` a container, queue or table. */
export function storageRow(service: keyof typeof storageTables, time: string, principal: string, account: string, child: string, operation: string, status = 200): Row {
    const name = account.split("/").pop()!;
    const key = service === "blob" ? `/${name}/${child}/data.json` : service === "queue" ? `/${name}/${child}/messages` : `/${name}/${child}(PartitionKey='p',RowKey='r')`;
    return {
        TimeGenerated: time,
        AccountName: name,
        OperationName: operation,
        StatusCode: String(status),
        StatusText: status === 403 ? "AuthorizationPermissionMismatch" : "Success",
        AuthenticationType: "OAuth",
        RequesterObjectId: principal,
        RequesterAppId: randomUUID(),
        ObjectKey: key,
        Uri: `https://${name}.${service}.core.windows.net${key.slice(name.length + 1)}`,
        CallerIpAddress: "10.20.1.4:50522",
        Category: /^(Get|List|Peek|Query)/.test(operation) && operation !== "GetMessages" ? "StorageRead" : operation.startsWith("Delete") ? "StorageDelete" : "StorageWrite",
        _ResourceId: `${account}/${service}Services/default`,
        CorrelationId: randomUUID(),
    };
}

export function storageTable(service: keyof typeof storageTables): string {
    return storageTables[service];
}

/** One Key Vault request: `vault` is the vault's ARM ID. */
export function vaultRow(time: string, principal: string, vault: string, secret: string, operation: string, status = 200): Row {
    const name = vault.split("/").pop()!;
    return {
        TimeGenerated: time,
        OperationName: operation,
        ResultSignature: status === 403 ? "Forbidden" : "OK",
        HttpStatusCode: status,
        Id: `https://${name}.vault.azure.net/secrets/${secret}/0f3c9a${"0".repeat(26)}`,
        Identity: JSON.stringify({ claim: { oid: principal, appid: randomUUID() } }),
        CallerIpAddress: "10.20.1.4",
        _ResourceId: vault,
        CorrelationId: randomUUID(),
    };
}

export function signInRow(time: string, principal: string, name: string, resource: string, federatedCredentialId = ""): Row {
    return {
        TimeGenerated: time,
        Id: randomUUID(),
        ServicePrincipalId: principal,
        ServicePrincipalName: name,
        AppId: randomUUID(),
        ResourceDisplayName: resource,
        ResourceIdentity: randomUUID(),
        FederatedCredentialId: federatedCredentialId,
        IPAddress: "20.61.0.10",
        ResultType: "0",
        ResultDescription: "",
        CorrelationId: randomUUID(),
    };
}

export function activityRow(time: string, caller: string, operation: string, resourceGroup: string, resourceId: string, status = "Succeeded"): Row {
    return {
        TimeGenerated: time,
        Caller: caller,
        CallerIpAddress: "203.0.113.9",
        CategoryValue: "Administrative",
        OperationNameValue: operation,
        ActivityStatusValue: status,
        ResourceGroup: resourceGroup,
        _ResourceId: resourceId,
        SubscriptionId: resourceId.split("/")[2] ?? "",
        CorrelationId: randomUUID(),
        Claims_d: JSON.stringify({ appid: randomUUID() }),
    };
}
