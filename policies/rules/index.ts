import { KeylessRule } from "../lib/types";
import { customRoleNoWildcardActions } from "./access/custom-role-no-wildcard-actions";
import { encryptionGrantAtKeyScope } from "./access/encryption-grant-at-key-scope";
import { keyVaultAdminToWorkload } from "./access/keyvault-admin-to-workload";
import { noManagedIdentityAtBroadScope } from "./access/no-managed-identity-at-broad-scope";
import { noPrivilegedRoleForServicePrincipals } from "./access/no-privileged-role-for-service-principals";
import { roleAssignmentPrincipalTypeSet } from "./access/role-assignment-principal-type-set";
import { computeEncryptionAtHost } from "./compute/compute-encryption-at-host";
import { computeTrustedLaunch } from "./compute/compute-trusted-launch";
import { linuxVmPasswordLoginDisabled } from "./compute/linux-vm-password-login-disabled";
import { acrAdminUserDisabled } from "./containers/acr-admin-user-disabled";
import { acrCustomerManagedKey } from "./containers/acr-customer-managed-key";
import { acrArmAudienceTokenDisabled } from "./containers/acr-arm-audience-token-disabled";
import { acrNetworkDenyByDefault } from "./containers/acr-network-deny-by-default";
import { acrPublicNetworkDisabled } from "./containers/acr-public-network-disabled";
import { aksApiServerAuthorizedRanges } from "./containers/aks-api-server-authorized-ranges";
import { aksEntraIntegration } from "./containers/aks-entra-integration";
import { aksLocalAccountsDisabled } from "./containers/aks-local-accounts-disabled";
import { aksNodeSshDisabled } from "./containers/aks-node-ssh-disabled";
import { aksPrivateCluster } from "./containers/aks-private-cluster";
import { aksRbacEnabled } from "./containers/aks-rbac-enabled";
import { aksWorkloadIdentityEnabled } from "./containers/aks-workload-identity-enabled";
import { containerAppRegistryIdentity } from "./containers/container-app-registry-identity";
import { containerAppSecretsKeyVault } from "./containers/container-app-secrets-keyvault";
import { containerGroupVnet } from "./containers/container-group-vnet";
import { appConfigLocalAuthDisabled } from "./data/appconfig-local-auth-disabled";
import { cosmosDbLocalAuthDisabled } from "./data/cosmosdb-local-auth-disabled";
import { cosmosDbPublicNetworkDisabled } from "./data/cosmosdb-public-network-disabled";
import { redisAccessKeyAuthDisabled } from "./data/redis-access-key-auth-disabled";
import { sqlAuditingEnabled } from "./data/sql-auditing-enabled";
import { sqlCustomerManagedKey } from "./data/sql-customer-managed-key";
import { sqlEntraOnlyAuth } from "./data/sql-entra-only-auth";
import { sqlMinTls12 } from "./data/sql-min-tls-12";
import { sqlPublicNetworkDisabled } from "./data/sql-public-network-disabled";
import { sqlTdeEnabled } from "./data/sql-tde-enabled";
import { workloadManagedIdentity } from "./identity/workload-managed-identity";
import { keyVaultNetworkDenyByDefault } from "./keyvault/keyvault-network-deny-by-default";
import { keyVaultPublicNetworkDisabled } from "./keyvault/keyvault-public-network-disabled";
import { keyVaultRbacOnly } from "./keyvault/keyvault-rbac-only";
import { keyVaultSecretExpiry } from "./keyvault/keyvault-secret-expiry";
import { keyVaultSoftDeletePurgeProtection } from "./keyvault/keyvault-soft-delete-purge-protection";
import { eventHubsCustomerManagedKey } from "./messaging/eventhubs-customer-managed-key";
import { eventHubsLocalAuthDisabled } from "./messaging/eventhubs-local-auth-disabled";
import { eventHubsPublicNetworkDisabled } from "./messaging/eventhubs-public-network-disabled";
import { serviceBusCustomerManagedKey } from "./messaging/servicebus-customer-managed-key";
import { serviceBusLocalAuthDisabled } from "./messaging/servicebus-local-auth-disabled";
import { serviceBusPublicNetworkDisabled } from "./messaging/servicebus-public-network-disabled";
import { diagnosticLogsEnabled } from "./monitoring/diagnostic-logs-enabled";
import { logAnalyticsLocalAuthDisabled } from "./monitoring/loganalytics-local-auth-disabled";
import { logAnalyticsPublicNetworkDisabled } from "./monitoring/loganalytics-public-network-disabled";
import { networkSubnetPrivate } from "./network/network-subnet-private";
import { noHardcodedSecrets } from "./secrets/no-hardcoded-secrets";
import { grantsReachable } from "./stack/grants-reachable";
import { identitiesUsedAndGranted } from "./stack/identities-used-and-granted";
import { storageBlobPublicAccessDisabled } from "./storage/storage-blob-public-access-disabled";
import { storageCustomerManagedKey } from "./storage/storage-customer-managed-key";
import { storageHttpsOnly } from "./storage/storage-https-only";
import { storageMinTls12 } from "./storage/storage-min-tls-12";
import { storageNetworkDenyByDefault } from "./storage/storage-network-deny-by-default";
import { storagePublicNetworkDisabled } from "./storage/storage-public-network-disabled";
import { storageSharedKeyDisabled } from "./storage/storage-shared-key-disabled";
import { webBasicPublishingDisabled } from "./web/web-basic-publishing-disabled";
import { webCorsNoWildcard } from "./web/web-cors-no-wildcard";
import { webFtpsDisabled } from "./web/web-ftps-disabled";
import { webHttpsOnly } from "./web/web-https-only";
import { webKeyVaultReferenceIdentity } from "./web/web-keyvault-reference-identity";
import { webMinTls12 } from "./web/web-min-tls-12";
import { webNoConnectionStringWithKey } from "./web/web-no-connection-string-with-key";
import { webPublicNetworkDisabled } from "./web/web-public-network-disabled";
import { webRemoteDebuggingDisabled } from "./web/web-remote-debugging-disabled";
import { webVnetIntegration } from "./web/web-vnet-integration";

/** Every rule of the pack, in the order reviews list them. */
export const allRules: readonly KeylessRule[] = [
    noHardcodedSecrets,
    workloadManagedIdentity,
    webHttpsOnly,
    webMinTls12,
    webFtpsDisabled,
    webBasicPublishingDisabled,
    webKeyVaultReferenceIdentity,
    webNoConnectionStringWithKey,
    webCorsNoWildcard,
    webPublicNetworkDisabled,
    webRemoteDebuggingDisabled,
    webVnetIntegration,
    linuxVmPasswordLoginDisabled,
    computeEncryptionAtHost,
    computeTrustedLaunch,
    networkSubnetPrivate,
    keyVaultRbacOnly,
    keyVaultSoftDeletePurgeProtection,
    keyVaultNetworkDenyByDefault,
    keyVaultPublicNetworkDisabled,
    keyVaultSecretExpiry,
    storageSharedKeyDisabled,
    storageBlobPublicAccessDisabled,
    storageHttpsOnly,
    storageMinTls12,
    storageNetworkDenyByDefault,
    storagePublicNetworkDisabled,
    storageCustomerManagedKey,
    serviceBusLocalAuthDisabled,
    eventHubsLocalAuthDisabled,
    eventHubsPublicNetworkDisabled,
    serviceBusPublicNetworkDisabled,
    serviceBusCustomerManagedKey,
    eventHubsCustomerManagedKey,
    cosmosDbLocalAuthDisabled,
    appConfigLocalAuthDisabled,
    redisAccessKeyAuthDisabled,
    sqlEntraOnlyAuth,
    cosmosDbPublicNetworkDisabled,
    sqlAuditingEnabled,
    sqlMinTls12,
    sqlPublicNetworkDisabled,
    sqlTdeEnabled,
    sqlCustomerManagedKey,
    acrAdminUserDisabled,
    aksLocalAccountsDisabled,
    aksWorkloadIdentityEnabled,
    acrArmAudienceTokenDisabled,
    acrNetworkDenyByDefault,
    acrPublicNetworkDisabled,
    acrCustomerManagedKey,
    aksApiServerAuthorizedRanges,
    aksEntraIntegration,
    aksNodeSshDisabled,
    aksPrivateCluster,
    aksRbacEnabled,
    containerAppRegistryIdentity,
    containerAppSecretsKeyVault,
    containerGroupVnet,
    diagnosticLogsEnabled,
    logAnalyticsLocalAuthDisabled,
    logAnalyticsPublicNetworkDisabled,
    noPrivilegedRoleForServicePrincipals,
    noManagedIdentityAtBroadScope,
    roleAssignmentPrincipalTypeSet,
    keyVaultAdminToWorkload,
    customRoleNoWildcardActions,
    encryptionGrantAtKeyScope,
    identitiesUsedAndGranted,
    grantsReachable,
];
