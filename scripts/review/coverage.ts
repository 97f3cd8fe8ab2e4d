/**
 * Every diagnostic category the stacks send, by resource type, as Microsoft lists it for that type (docs), with
 * the resource-specific table it lands in and the review query that reads it, or why nothing reads it yet.
 */
export interface CategoryCoverage {
    table: string;
    /** The review query (review/queries/<name>.kql) that reads the table. */
    query?: string;
    /** Why no query reads it, when none does. */
    notReviewed?: string;
}

export interface ResourceTypeCoverage {
    /** Microsoft's list of log categories for the resource type. */
    docs: string;
    categories: Record<string, CategoryCoverage>;
}

const supportedLogs = (slug: string) => `https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/${slug}-logs`;
const storage = (table: string): Record<string, CategoryCoverage> =>
    Object.fromEntries(["StorageRead", "StorageWrite", "StorageDelete"].map((category) => [category, { table, query: "data-plane-operations" }]));
const operational = "operational logs of the service itself, not what an identity did";
/** Service Bus and Event Hubs namespaces send the same categories to the same AZMS tables. */
const messaging: Record<string, CategoryCoverage> = {
    OperationalLogs: { table: "AZMSOperationalLogs", notReviewed: "management operations on the namespace, which AzureActivity already holds" },
    RuntimeAuditLogs: { table: "AZMSRunTimeAuditLogs", notReviewed: "aggregated data-plane access (Premium only); matching its caller columns to grants is not built yet" },
};

export const diagnosticCoverage: Record<string, ResourceTypeCoverage> = {
    "microsoft.keyvault/vaults": { docs: supportedLogs("microsoft-keyvault-vaults"), categories: { AuditEvent: { table: "AZKVAuditLogs", query: "data-plane-operations" } } },
    "microsoft.storage/storageaccounts/blobservices": { docs: supportedLogs("microsoft-storage-storageaccounts-blobservices"), categories: storage("StorageBlobLogs") },
    "microsoft.storage/storageaccounts/queueservices": { docs: supportedLogs("microsoft-storage-storageaccounts-queueservices"), categories: storage("StorageQueueLogs") },
    "microsoft.storage/storageaccounts/tableservices": { docs: supportedLogs("microsoft-storage-storageaccounts-tableservices"), categories: storage("StorageTableLogs") },
    "microsoft.servicebus/namespaces": {
        docs: supportedLogs("microsoft-servicebus-namespaces"),
        categories: messaging,
    },
    "microsoft.eventhub/namespaces": {
        docs: supportedLogs("microsoft-eventhub-namespaces"),
        categories: messaging,
    },
    "microsoft.containerregistry/registries": {
        docs: supportedLogs("microsoft-containerregistry-registries"),
        categories: {
            ContainerRegistryLoginEvents: { table: "ContainerRegistryLoginEvents", notReviewed: "registry sign-ins; AcrPull grants are listed as not reviewed until a query matches its identity column" },
            ContainerRegistryRepositoryEvents: { table: "ContainerRegistryRepositoryEvents", notReviewed: "pushes and pulls; AcrPull grants are listed as not reviewed until a query matches its identity column" },
        },
    },
    "microsoft.sql/servers/databases": {
        docs: supportedLogs("microsoft-sql-servers-databases"),
        categories: { SQLSecurityAuditEvents: { table: "AzureDiagnostics", notReviewed: "SQL auditing lands in AzureDiagnostics, not a resource-specific table; database grants are T-SQL, outside the plan's role assignments" } },
    },
    "microsoft.containerservice/managedclusters": {
        docs: supportedLogs("microsoft-containerservice-managedclusters"),
        categories: {
            "kube-audit-admin": { table: "AKSAuditAdmin", notReviewed: "Kubernetes RBAC inside the cluster, not Azure role assignments" },
            guard: { table: "AKSControlPlane", notReviewed: "Entra sign-ins to the API server; not matched to grants yet" },
        },
    },
    "microsoft.logic/workflows": { docs: supportedLogs("microsoft-logic-workflows"), categories: { WorkflowRuntime: { table: "LogicAppWorkflowRuntime", notReviewed: operational } } },
    "microsoft.web/sites": {
        docs: supportedLogs("microsoft-web-sites"),
        categories: {
            AppServiceHTTPLogs: { table: "AppServiceHTTPLogs", notReviewed: "requests to the app from its users" },
            AppServiceConsoleLogs: { table: "AppServiceConsoleLogs", notReviewed: operational },
            AppServiceAppLogs: { table: "AppServiceAppLogs", notReviewed: operational },
            AppServiceAuditLogs: { table: "AppServiceAuditLogs", notReviewed: "publishing sign-ins (FTP, Kudu); publishing credentials are off in Keyless" },
            FunctionAppLogs: { table: "FunctionAppLogs", notReviewed: operational },
        },
    },
};

/** `microsoft.storage/storageaccounts/blobservices` for `/subscriptions/.../storageAccounts/st/blobServices/default`. */
export function resourceTypeOf(resourceId: string): string {
    const parts = resourceId.split("/providers/").pop()!.split("/");
    return [parts[0], ...parts.slice(1).filter((_, index) => index % 2 === 0)].join("/").toLowerCase();
}
