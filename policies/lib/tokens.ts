/** azure-native type tokens the rules match, as the engine reports them (checked against @pulumi/azure-native 3.x). */
export const types = {
    virtualMachine: "azure-native:compute:VirtualMachine",
    virtualMachineScaleSet: "azure-native:compute:VirtualMachineScaleSet",
    webApp: "azure-native:web:WebApp",
    webAppSlot: "azure-native:web:WebAppSlot",
    webAppApplicationSettings: "azure-native:web:WebAppApplicationSettings",
    webAppApplicationSettingsSlot: "azure-native:web:WebAppApplicationSettingsSlot",
    webAppConnectionStrings: "azure-native:web:WebAppConnectionStrings",
    webAppConnectionStringsSlot: "azure-native:web:WebAppConnectionStringsSlot",
    webAppFtpAllowed: "azure-native:web:WebAppFtpAllowed",
    webAppFtpAllowedSlot: "azure-native:web:WebAppFtpAllowedSlot",
    webAppScmAllowed: "azure-native:web:WebAppScmAllowed",
    webAppScmAllowedSlot: "azure-native:web:WebAppScmAllowedSlot",
    containerGroup: "azure-native:containerinstance:ContainerGroup",
    logicWorkflow: "azure-native:logic:Workflow",
    managedCluster: "azure-native:containerservice:ManagedCluster",
    containerRegistry: "azure-native:containerregistry:Registry",
    vault: "azure-native:keyvault:Vault",
    vaultAccessPolicy: "azure-native:keyvault:AccessPolicy",
    vaultSecret: "azure-native:keyvault:Secret",
    vaultKey: "azure-native:keyvault:Key",
    storageAccount: "azure-native:storage:StorageAccount",
    serviceBusNamespace: "azure-native:servicebus:Namespace",
    eventHubNamespace: "azure-native:eventhub:Namespace",
    cosmosAccount: "azure-native:cosmosdb:DatabaseAccount",
    appConfigurationStore: "azure-native:appconfiguration:ConfigurationStore",
    redis: "azure-native:redis:Redis",
    redisEnterpriseDatabase: "azure-native:redisenterprise:Database",
    sqlServer: "azure-native:sql:Server",
    sqlServerEntraOnly: "azure-native:sql:ServerAzureADOnlyAuthentication",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    roleDefinition: "azure-native:authorization:RoleDefinition",
    userAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
    federatedIdentityCredential: "azure-native:managedidentity:FederatedIdentityCredential",
    serviceBusNetworkRuleSet: "azure-native:servicebus:NamespaceNetworkRuleSet",
    logAnalyticsWorkspace: "azure-native:operationalinsights:Workspace",
    diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
    sqlDatabase: "azure-native:sql:Database",
    sqlTransparentDataEncryption: "azure-native:sql:TransparentDataEncryption",
    sqlServerAuditing: "azure-native:sql:ServerBlobAuditingPolicy",
    sqlEncryptionProtector: "azure-native:sql:EncryptionProtector",
    virtualNetwork: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    containerApp: "azure-native:app:ContainerApp",
    containerAppJob: "azure-native:app:Job",
} as const;

/**
 * azure-native v2 spelled some modules differently (`documentdb` became `cosmosdb`, `cache` split into `redis` and
 * `redisenterprise`, `insights` moved to `monitor`); programs pinned to v2 still send these tokens. Rules name the v3
 * tokens; `canonicalType` maps a v2 token onto its v3 twin before rules see it.
 * (https://www.pulumi.com/registry/packages/azure-native/from-v2-to-v3)
 */
const v2Tokens: Record<string, string> = {
    "azure-native:documentdb:DatabaseAccount": types.cosmosAccount,
    "azure-native:cache:Redis": types.redis,
    "azure-native:cache:Database": types.redisEnterpriseDatabase,
    "azure-native:insights:DiagnosticSetting": types.diagnosticSetting,
};

export function canonicalType(type: string): string {
    return v2Tokens[type] ?? type;
}

/** The v2 tokens that stand for a v3 token (for docs and tests). */
export function v2TokensFor(type: string): string[] {
    return Object.entries(v2Tokens)
        .filter(([, v3]) => v3 === type)
        .map(([v2]) => v2);
}

/** App Service sites and their deployment slots share the same site properties. */
export const siteTypes: string[] = [types.webApp, types.webAppSlot];
