import { ServiceGroup } from "./types";

/**
 * The network-guarded data services the check knows, and how each admits callers. Sources for the trusted-service
 * lists (they differ per target type):
 * - Key Vault: https://learn.microsoft.com/en-us/azure/key-vault/general/overview-vnet-service-endpoints (App
 *   Service apps, Logic Apps, AKS, Container Instances and VMs are not on the trusted list).
 * - Storage: https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security-trusted-azure-services
 *   (trusted access by managed identity includes `Microsoft.Logic/workflows`; resource instance rules and trusted
 *   access stay in effect with public network access disabled).
 * - Container Registry: https://learn.microsoft.com/en-us/azure/container-registry/allow-access-trusted-services
 *   (Container Instances pulls as a trusted service; App Service does not).
 * - Consumption Logic Apps reach a firewalled storage account in their region only as a trusted service:
 *   https://learn.microsoft.com/en-us/connectors/azureblobconnector/ (known issues).
 * - Customer-managed keys: see `keyAccess` below.
 */

export type TargetKind = "vault" | "storage" | "sql" | "registry" | "serviceBus" | "eventHubs";

export interface TargetType {
    kind: TargetKind;
    /** ARM type, lower case. */
    arm: string;
    /** Properties holding the Azure name, in the order tried (outputs carry `name`). */
    nameProps: string[];
    /** The service endpoint a source subnet needs for a virtual network rule to count. */
    serviceEndpoint: string;
    /** Resource types (azure-native tokens) this target admits as trusted services when its bypass allows it. */
    trusted: string[];
    /** The host suffix of its data plane (`.vault.azure.net`), for settings that name it by URL. */
    hosts: { suffix: string; service: ServiceGroup }[];
    /** The group ID a private endpoint needs, by the service called; one entry when the target has one service. */
    defaultService: ServiceGroup;
}

export const targetTypes: Record<string, TargetType> = {
    "azure-native:keyvault:Vault": {
        kind: "vault",
        arm: "microsoft.keyvault/vaults",
        nameProps: ["vaultName", "name"],
        serviceEndpoint: "Microsoft.KeyVault",
        trusted: [],
        hosts: [{ suffix: ".vault.azure.net", service: "vault" }],
        defaultService: "vault",
    },
    "azure-native:storage:StorageAccount": {
        kind: "storage",
        arm: "microsoft.storage/storageaccounts",
        nameProps: ["accountName", "name"],
        serviceEndpoint: "Microsoft.Storage",
        trusted: ["azure-native:logic:Workflow"],
        hosts: [
            { suffix: ".blob.core.windows.net", service: "blob" },
            { suffix: ".queue.core.windows.net", service: "queue" },
            { suffix: ".table.core.windows.net", service: "table" },
            { suffix: ".file.core.windows.net", service: "file" },
            { suffix: ".dfs.core.windows.net", service: "dfs" },
        ],
        defaultService: "blob",
    },
    "azure-native:sql:Server": {
        kind: "sql",
        arm: "microsoft.sql/servers",
        nameProps: ["serverName", "name"],
        serviceEndpoint: "Microsoft.Sql",
        trusted: [],
        hosts: [{ suffix: ".database.windows.net", service: "sqlServer" }],
        defaultService: "sqlServer",
    },
    "azure-native:containerregistry:Registry": {
        kind: "registry",
        arm: "microsoft.containerregistry/registries",
        nameProps: ["registryName", "name"],
        serviceEndpoint: "Microsoft.ContainerRegistry",
        trusted: ["azure-native:containerinstance:ContainerGroup"],
        hosts: [{ suffix: ".azurecr.io", service: "registry" }],
        defaultService: "registry",
    },
    "azure-native:servicebus:Namespace": {
        kind: "serviceBus",
        arm: "microsoft.servicebus/namespaces",
        nameProps: ["namespaceName", "name"],
        serviceEndpoint: "Microsoft.ServiceBus",
        trusted: [],
        hosts: [{ suffix: ".servicebus.windows.net", service: "namespace" }],
        defaultService: "namespace",
    },
    "azure-native:eventhub:Namespace": {
        kind: "eventHubs",
        arm: "microsoft.eventhub/namespaces",
        nameProps: ["namespaceName", "name"],
        serviceEndpoint: "Microsoft.EventHub",
        trusted: [],
        hosts: [{ suffix: ".servicebus.windows.net", service: "namespace" }],
        defaultService: "namespace",
    },
};

/** The `privatelink.*` zone a private endpoint of each group ID needs for the public name to resolve to it. */
export const privateDnsZones: Record<ServiceGroup, string> = {
    vault: "privatelink.vaultcore.azure.net",
    blob: "privatelink.blob.core.windows.net",
    queue: "privatelink.queue.core.windows.net",
    table: "privatelink.table.core.windows.net",
    file: "privatelink.file.core.windows.net",
    dfs: "privatelink.dfs.core.windows.net",
    sqlServer: "privatelink.database.windows.net",
    registry: "privatelink.azurecr.io",
    namespace: "privatelink.servicebus.windows.net",
};

/** Storage child types in a scope ID, to the sub-service they live in. */
export const storageChildService: Record<string, ServiceGroup> = {
    blobservices: "blob",
    queueservices: "queue",
    tableservices: "table",
    fileservices: "file",
};

/** Storage data roles granted on a whole account: the sub-service each works on (GUIDs of the built-in roles). */
export const storageRoleService: Record<string, ServiceGroup> = {
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "blob",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "blob",
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "blob",
    "19e7f393-937e-4f77-808e-94535e297925": "queue",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "queue",
    "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a": "queue",
    "8a0f0c08-91a1-4084-bc3d-661d67233fed": "queue",
    "76199698-9eea-4c19-bc75-cec21354c6b6": "table",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "table",
};

export const resourceTypes = {
    roleAssignment: "azure-native:authorization:RoleAssignment",
    userAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
    federatedCredential: "azure-native:managedidentity:FederatedIdentityCredential",
    virtualNetwork: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    networkInterface: "azure-native:network:NetworkInterface",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    privateDnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    virtualNetworkLink: "azure-native:privatedns:VirtualNetworkLink",
    virtualMachine: "azure-native:compute:VirtualMachine",
    webApp: "azure-native:web:WebApp",
    webAppSlot: "azure-native:web:WebAppSlot",
    webAppSettings: "azure-native:web:WebAppApplicationSettings",
    containerGroup: "azure-native:containerinstance:ContainerGroup",
    managedCluster: "azure-native:containerservice:ManagedCluster",
    logicWorkflow: "azure-native:logic:Workflow",
    sqlFirewallRule: "azure-native:sql:FirewallRule",
    sqlVirtualNetworkRule: "azure-native:sql:VirtualNetworkRule",
    serviceBusRuleSet: "azure-native:servicebus:NamespaceNetworkRuleSet",
    eventHubsRuleSet: "azure-native:eventhub:NamespaceNetworkRuleSet",
} as const;

/**
 * Data services reading their customer-managed key from a vault. The call comes from the service's platform, not
 * from a VNet, so a firewalled vault admits it only as a Key Vault trusted service (`bypass: AzureServices`, in
 * effect with public network access disabled too), and only with the identity kind the service is trusted with.
 * Storage, SQL, Container Registry, Service Bus and Event Hubs are on the trusted list for exactly this:
 * https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints#trusted-services
 */
export interface KeyAccessService {
    /** The service in messages. */
    label: string;
    /** The identity kinds Key Vault trusts the service with; anything else needs a vault open to public networks. */
    trustedWith: "any" | "systemAssigned";
    /** The page that says how the service reaches a firewalled vault. */
    source: string;
}

export const keyAccess: Record<string, KeyAccessService> = {
    "azure-native:storage:StorageAccount": {
        label: "Azure Storage",
        trustedWith: "any",
        source: "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-key-vault",
    },
    "azure-native:sql:Server": {
        label: "Azure SQL",
        trustedWith: "any",
        source: "https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-overview",
    },
    // "Currently, an Azure container registry can only bypass the firewall when using its system-managed identity."
    "azure-native:containerregistry:Registry": {
        label: "Azure Container Registry",
        trustedWith: "systemAssigned",
        source: "https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys",
    },
    "azure-native:servicebus:Namespace": {
        label: "Service Bus",
        trustedWith: "any",
        source: "https://learn.microsoft.com/azure/service-bus-messaging/configure-customer-managed-key",
    },
    "azure-native:eventhub:Namespace": {
        label: "Event Hubs",
        trustedWith: "any",
        source: "https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key",
    },
};
