import { EvaluatedResource } from "./evaluate";
import { urnOf } from "./testing";

/**
 * Test fixtures: one well-configured resource of each kind the pack judges, leaving out every setting whose Azure
 * default is already right (site TLS, remote debugging, CORS, storage HTTPS, AKS RBAC, Key Vault soft delete, SQL
 * TDE, ACR admin user), and declaring the rest. The pack must find nothing in them (defaults.test.ts); rule tests
 * change one field at a time. Not imported by the pack.
 */

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001";
const rg = `${sub}/resourceGroups/rg`;
export const ids = {
    identity: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
    subnet: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps`,
    vault: `${rg}/providers/Microsoft.KeyVault/vaults/kv-app`,
};
export const principalId = "00000000-0000-4000-8000-0000000000a1";
const tenantId = "00000000-0000-4000-8000-000000000002";
const userAssigned = { type: "UserAssigned", userAssignedIdentities: [ids.identity] };

function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<EvaluatedResource> = {}): EvaluatedResource {
    return { type, name, urn: urnOf(type, name), props, ...extra };
}

/** A companion (diagnostic setting, basic-auth policy) that the engine reports as depending on its target. */
function companion(type: string, name: string, props: Record<string, unknown>, target: EvaluatedResource): EvaluatedResource {
    return resource(type, name, props, { dependencies: [target.urn] });
}

export function wellConfigured(): EvaluatedResource[] {
    const vault = resource("azure-native:keyvault:Vault", "kv", {
        resourceGroupName: "rg",
        properties: {
            tenantId,
            sku: { family: "A", name: "standard" },
            enableRbacAuthorization: true,
            enablePurgeProtection: true,
            networkAcls: { defaultAction: "Deny", bypass: "None" },
            publicNetworkAccess: "Disabled",
        },
    });
    const site = resource("azure-native:web:WebApp", "api", {
        resourceGroupName: "rg",
        kind: "app,linux",
        name: "app-api",
        httpsOnly: true,
        publicNetworkAccess: "Disabled",
        virtualNetworkSubnetId: ids.subnet,
        identity: userAssigned,
        keyVaultReferenceIdentity: ids.identity,
        siteConfig: {
            ftpsState: "Disabled",
            appSettings: [{ name: "Db", value: `@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db)` }],
        },
    });
    const cluster = resource("azure-native:containerservice:ManagedCluster", "aks", {
        resourceGroupName: "rg",
        identity: userAssigned,
        disableLocalAccounts: true,
        aadProfile: { managed: true, enableAzureRBAC: true },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        apiServerAccessProfile: { enablePrivateCluster: true },
        agentPoolProfiles: [{ name: "system", mode: "System", count: 3, enableEncryptionAtHost: true, securityProfile: { sshAccess: "Disabled" } }],
    });
    const workflow = resource("azure-native:logic:Workflow", "orders", { resourceGroupName: "rg", identity: { type: "SystemAssigned" } });
    const bus = resource("azure-native:servicebus:Namespace", "bus", { resourceGroupName: "rg", sku: { name: "Premium" }, disableLocalAuth: true, publicNetworkAccess: "Disabled" });
    const sql = resource("azure-native:sql:Server", "sql", {
        resourceGroupName: "rg",
        serverName: "sql-app",
        minimalTlsVersion: "1.2",
        publicNetworkAccess: "Disabled",
        administrators: { administratorType: "ActiveDirectory", azureADOnlyAuthentication: true, login: "sql-admins", sid: principalId, principalType: "Group", tenantId },
    });
    const diagnostics = [vault, site, cluster, workflow, bus].map((target) =>
        companion("azure-native:monitor:DiagnosticSetting", `${target.name}-diagnostics`, { resourceUri: `${rg}/${target.name}`, logs: [{ categoryGroup: "allLogs", enabled: true }] }, target),
    );
    return [
        resource("azure-native:managedidentity:UserAssignedIdentity", "app-id", { resourceGroupName: "rg", resourceName: "id-app" }, { outputs: { name: "id-app", id: ids.identity, principalId } }),
        resource("azure-native:authorization:RoleAssignment", "app-id-kv", {
            principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
            scope: ids.vault,
        }),
        vault,
        resource("azure-native:keyvault:Secret", "db", { resourceGroupName: "rg", vaultName: "kv-app", secretName: "db", properties: { attributes: { expires: 1893456000 } } }),
        resource("azure-native:storage:StorageAccount", "st", {
            resourceGroupName: "rg",
            kind: "StorageV2",
            sku: { name: "Standard_ZRS" },
            allowSharedKeyAccess: false,
            allowBlobPublicAccess: false,
            minimumTlsVersion: "TLS1_2",
            networkRuleSet: { defaultAction: "Deny", bypass: "None" },
            publicNetworkAccess: "Disabled",
        }),
        site,
        companion("azure-native:web:WebAppFtpAllowed", "api-ftp", { resourceGroupName: "rg", name: "app-api", allow: false }, site),
        companion("azure-native:web:WebAppScmAllowed", "api-scm", { resourceGroupName: "rg", name: "app-api", allow: false }, site),
        resource("azure-native:compute:VirtualMachine", "vm", {
            resourceGroupName: "rg",
            identity: userAssigned,
            osProfile: { adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAA" }] } } },
            securityProfile: { encryptionAtHost: true, securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
        }),
        resource("azure-native:compute:VirtualMachineScaleSet", "vmss", {
            resourceGroupName: "rg",
            identity: userAssigned,
            virtualMachineProfile: { osProfile: { linuxConfiguration: { disablePasswordAuthentication: true } }, securityProfile: { encryptionAtHost: true } },
        }),
        cluster,
        resource("azure-native:containerregistry:Registry", "acr", {
            resourceGroupName: "rg",
            sku: { name: "Premium" },
            publicNetworkAccess: "Disabled",
            policies: { azureADAuthenticationAsArmPolicy: { status: "disabled" } },
        }),
        resource("azure-native:containerinstance:ContainerGroup", "ingest", {
            resourceGroupName: "rg",
            osType: "Linux",
            identity: userAssigned,
            subnetIds: [{ id: ids.subnet }],
            imageRegistryCredentials: [{ server: "acr.azurecr.io", identity: ids.identity }],
            containers: [{ name: "ingest", image: "acr.azurecr.io/ingest:1" }],
        }),
        resource("azure-native:app:ContainerApp", "web", {
            resourceGroupName: "rg",
            identity: userAssigned,
            configuration: {
                registries: [{ server: "acr.azurecr.io", identity: ids.identity }],
                secrets: [{ name: "db", keyVaultUrl: "https://kv-app.vault.azure.net/secrets/db", identity: ids.identity }],
            },
        }),
        workflow,
        sql,
        resource("azure-native:sql:ServerBlobAuditingPolicy", "sql-auditing", { resourceGroupName: "rg", serverName: "sql-app", state: "Enabled", isAzureMonitorTargetEnabled: true }, { dependencies: [sql.urn] }),
        resource("azure-native:sql:Database", "sql-db", { resourceGroupName: "rg", serverName: "sql-app", databaseName: "app" }),
        bus,
        resource("azure-native:eventhub:Namespace", "hub", { resourceGroupName: "rg", disableLocalAuth: true, publicNetworkAccess: "Disabled" }),
        // azure-native v2 tokens, as programs pinned to v2 send them.
        resource("azure-native:documentdb:DatabaseAccount", "cosmos", { resourceGroupName: "rg", databaseAccountOfferType: "Standard", disableLocalAuth: true, publicNetworkAccess: "Disabled" }),
        resource("azure-native:cache:Redis", "redis", { resourceGroupName: "rg", sku: { name: "Standard", family: "C", capacity: 1 }, disableAccessKeyAuthentication: true }),
        resource("azure-native:appconfiguration:ConfigurationStore", "appconfig", { resourceGroupName: "rg", sku: { name: "standard" }, disableLocalAuth: true }),
        resource("azure-native:operationalinsights:Workspace", "logs", {
            resourceGroupName: "rg",
            features: { disableLocalAuth: true },
            publicNetworkAccessForIngestion: "Disabled",
            publicNetworkAccessForQuery: "Disabled",
        }),
        resource("azure-native:network:VirtualNetwork", "vnet", {
            resourceGroupName: "rg",
            addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
            subnets: [{ name: "apps", addressPrefix: "10.0.1.0/24", defaultOutboundAccess: false }],
        }),
        resource("azure-native:network:Subnet", "data-subnet", { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefix: "10.0.2.0/24", defaultOutboundAccess: false }),
        ...diagnostics,
    ];
}

/** One resource of the well-configured set, by logical name. */
export function fixture(name: string): EvaluatedResource {
    const found = wellConfigured().find((resource) => resource.name === name);
    if (!found) {
        throw new Error(`no well-configured fixture named "${name}"`);
    }
    return found;
}
