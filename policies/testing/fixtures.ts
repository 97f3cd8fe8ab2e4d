import { EvaluatedResource } from "../lib/evaluate";
import { urnOf } from ".";

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
    key: `${rg}/providers/Microsoft.KeyVault/vaults/kv-app/keys/cmk`,
};
/** The customer-managed key's versionless URI, as Storage, the registry and the namespaces take it (rotation needs no redeploy). */
export const keyUri = "https://kv-app.vault.azure.net/keys/cmk";
/** SQL takes the key's current version and follows rotation through its encryption protector (infra/data/tdeProtector.ts). */
export const keyVersionUri = `${keyUri}/0123456789abcdef0123456789abcdef`;
export const clientId = "00000000-0000-4000-8000-0000000000c1";
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
    const bus = resource("azure-native:servicebus:Namespace", "bus", {
        resourceGroupName: "rg",
        sku: { name: "Premium" },
        disableLocalAuth: true,
        publicNetworkAccess: "Disabled",
        identity: userAssigned,
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: [{ keyName: "cmk", keyVaultUri: "https://kv-app.vault.azure.net", identity: { userAssignedIdentity: ids.identity } }] },
    });
    const sql = resource("azure-native:sql:Server", "sql", {
        resourceGroupName: "rg",
        serverName: "sql-app",
        minimalTlsVersion: "1.2",
        publicNetworkAccess: "Disabled",
        identity: userAssigned,
        primaryUserAssignedIdentityId: ids.identity,
        keyId: keyVersionUri,
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
        resource("azure-native:keyvault:Key", "cmk", {
            resourceGroupName: "rg",
            vaultName: "kv-app",
            keyName: "cmk",
            properties: {
                kty: "RSA",
                keySize: 3072,
                rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }] },
            },
        }),
        // The services' identity may wrap and unwrap with that one key only.
        resource("azure-native:authorization:RoleAssignment", "app-id-cmk", {
            principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6`,
            scope: ids.key,
        }),
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
            identity: userAssigned,
            encryption: {
                keySource: "Microsoft.Keyvault",
                keyVaultProperties: { keyVaultUri: "https://kv-app.vault.azure.net", keyName: "cmk" },
                encryptionIdentity: { encryptionUserAssignedIdentity: ids.identity },
            },
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
            identity: userAssigned,
            encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: keyUri, identity: clientId } },
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

/**
 * The same for the classic `@pulumi/azure` provider, in its own shape (property names from its 6.x SDK), leaving out
 * what the provider already defaults safely (site and SQL TLS 1.2, ftpsState Disabled, storage HTTPS and TLS 1.2,
 * Linux VM password login off, AKS RBAC, ACR admin user off).
 */
export function wellConfiguredClassic(): EvaluatedResource[] {
    const identity = { type: "UserAssigned", identityIds: [ids.identity] };
    const site = (type: string, name: string, extra: Record<string, unknown> = {}) =>
        resource(type, name, {
            resourceGroupName: "rg",
            location: "westeurope",
            servicePlanId: `${rg}/providers/Microsoft.Web/serverFarms/plan`,
            httpsOnly: true,
            publicNetworkAccessEnabled: false,
            virtualNetworkSubnetId: ids.subnet,
            ftpPublishBasicAuthenticationEnabled: false,
            webdeployPublishBasicAuthenticationEnabled: false,
            identity,
            keyVaultReferenceIdentityId: ids.identity,
            appSettings: { Db: "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db)" },
            siteConfig: {},
            ...extra,
        });
    return [
        resource("azure:storage/account:Account", "st", {
            resourceGroupName: "rg",
            accountTier: "Standard",
            accountReplicationType: "ZRS",
            sharedAccessKeyEnabled: false,
            allowNestedItemsToBePublic: false,
            publicNetworkAccessEnabled: false,
            networkRules: { defaultAction: "Deny", bypasses: ["None"] },
        }),
        resource("azure:keyvault/keyVault:KeyVault", "kv", {
            resourceGroupName: "rg",
            tenantId,
            skuName: "standard",
            rbacAuthorizationEnabled: true,
            purgeProtectionEnabled: true,
            publicNetworkAccessEnabled: false,
            networkAcls: { defaultAction: "Deny", bypass: "None" },
        }),
        site("azure:appservice/linuxWebApp:LinuxWebApp", "web"),
        site("azure:appservice/windowsFunctionApp:WindowsFunctionApp", "func", { storageAccountName: "stfunc", storageUsesManagedIdentity: true }),
        resource("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "vm", {
            resourceGroupName: "rg",
            size: "Standard_D2s_v5",
            adminUsername: "azureuser",
            adminSshKeys: [{ username: "azureuser", publicKey: "ssh-ed25519 AAAA" }],
            identity,
            encryptionAtHostEnabled: true,
            secureBootEnabled: true,
            vtpmEnabled: true,
        }),
        resource("azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet", "vmss", {
            resourceGroupName: "rg",
            sku: "Standard_D2s_v5",
            adminUsername: "azureuser",
            identity,
            encryptionAtHostEnabled: true,
        }),
        resource("azure:mssql/server:Server", "sql", {
            resourceGroupName: "rg",
            version: "12.0",
            publicNetworkAccessEnabled: false,
            azureadAdministrator: { loginUsername: "sql-admins", objectId: principalId, azureadAuthenticationOnly: true },
        }),
        resource("azure:cosmosdb/account:Account", "cosmos", {
            resourceGroupName: "rg",
            offerType: "Standard",
            localAuthenticationEnabled: false,
            publicNetworkAccessEnabled: false,
            consistencyPolicy: { consistencyLevel: "Session" },
            geoLocations: [{ location: "westeurope", failoverPriority: 0 }],
        }),
        resource("azure:containerservice/registry:Registry", "acr", { resourceGroupName: "rg", sku: "Premium", publicNetworkAccessEnabled: false }),
        resource("azure:containerservice/kubernetesCluster:KubernetesCluster", "aks", {
            resourceGroupName: "rg",
            dnsPrefix: "aks",
            identity,
            localAccountDisabled: true,
            azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true },
            oidcIssuerEnabled: true,
            workloadIdentityEnabled: true,
            privateClusterEnabled: true,
            defaultNodePool: { name: "system", vmSize: "Standard_D2s_v5", hostEncryptionEnabled: true },
        }),
        resource("azure:containerapp/app:App", "app", {
            resourceGroupName: "rg",
            containerAppEnvironmentId: `${rg}/providers/Microsoft.App/managedEnvironments/env`,
            revisionMode: "Single",
            identity,
            registries: [{ server: "acr.azurecr.io", identity: ids.identity }],
            secrets: [{ name: "db", keyVaultSecretId: "https://kv-app.vault.azure.net/secrets/db", identity: ids.identity }],
            template: { containers: [{ name: "app", image: "acr.azurecr.io/app:1", cpu: 0.5, memory: "1Gi" }] },
        }),
        resource("azure:servicebus/namespace:Namespace", "bus", { resourceGroupName: "rg", sku: "Premium", localAuthEnabled: false, publicNetworkAccessEnabled: false }),
        resource("azure:eventhub/eventHubNamespace:EventHubNamespace", "hub", { resourceGroupName: "rg", sku: "Standard", localAuthenticationEnabled: false, publicNetworkAccessEnabled: false }),
        resource("azure:logicapps/workflow:Workflow", "orders", { resourceGroupName: "rg", identity: { type: "SystemAssigned" } }),
        resource("azure:containerservice/group:Group", "ingest", {
            resourceGroupName: "rg",
            osType: "Linux",
            ipAddressType: "Private",
            subnetIds: [ids.subnet],
            identity,
            containers: [{ name: "ingest", image: "acr.azurecr.io/ingest:1", cpu: 1, memory: 1.5 }],
        }),
    ];
}

/** One resource of the classic well-configured set, by logical name. */
export function classicFixture(name: string): EvaluatedResource {
    const found = wellConfiguredClassic().find((resource) => resource.name === name);
    if (!found) {
        throw new Error(`no classic well-configured fixture named "${name}"`);
    }
    return found;
}
