import { KeylessRule } from "../lib/types";
import { customRoleNoWildcardActions } from "./access/custom-role-no-wildcard-actions";
import { keyVaultAdminToWorkload } from "./access/keyvault-admin-to-workload";
import { noManagedIdentityAtBroadScope } from "./access/no-managed-identity-at-broad-scope";
import { noPrivilegedRoleForServicePrincipals } from "./access/no-privileged-role-for-service-principals";
import { roleAssignmentPrincipalTypeSet } from "./access/role-assignment-principal-type-set";
import { linuxVmPasswordLoginDisabled } from "./compute/linux-vm-password-login-disabled";
import { acrAdminUserDisabled } from "./containers/acr-admin-user-disabled";
import { aksLocalAccountsDisabled } from "./containers/aks-local-accounts-disabled";
import { aksWorkloadIdentityEnabled } from "./containers/aks-workload-identity-enabled";
import { appConfigLocalAuthDisabled } from "./data/appconfig-local-auth-disabled";
import { cosmosDbLocalAuthDisabled } from "./data/cosmosdb-local-auth-disabled";
import { redisAccessKeyAuthDisabled } from "./data/redis-access-key-auth-disabled";
import { sqlEntraOnlyAuth } from "./data/sql-entra-only-auth";
import { workloadManagedIdentity } from "./identity/workload-managed-identity";
import { keyVaultNetworkDenyByDefault } from "./keyvault/keyvault-network-deny-by-default";
import { keyVaultRbacOnly } from "./keyvault/keyvault-rbac-only";
import { keyVaultSoftDeletePurgeProtection } from "./keyvault/keyvault-soft-delete-purge-protection";
import { eventHubsLocalAuthDisabled } from "./messaging/eventhubs-local-auth-disabled";
import { serviceBusLocalAuthDisabled } from "./messaging/servicebus-local-auth-disabled";
import { noHardcodedSecrets } from "./secrets/no-hardcoded-secrets";
import { grantsReachable } from "./stack/grants-reachable";
import { identitiesUsedAndGranted } from "./stack/identities-used-and-granted";
import { storageSharedKeyDisabled } from "./storage/storage-shared-key-disabled";
import { webBasicPublishingDisabled } from "./web/web-basic-publishing-disabled";
import { webFtpsDisabled } from "./web/web-ftps-disabled";
import { webHttpsOnly } from "./web/web-https-only";
import { webKeyVaultReferenceIdentity } from "./web/web-keyvault-reference-identity";
import { webMinTls12 } from "./web/web-min-tls-12";
import { webNoConnectionStringWithKey } from "./web/web-no-connection-string-with-key";

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
    linuxVmPasswordLoginDisabled,
    keyVaultRbacOnly,
    keyVaultSoftDeletePurgeProtection,
    keyVaultNetworkDenyByDefault,
    storageSharedKeyDisabled,
    serviceBusLocalAuthDisabled,
    eventHubsLocalAuthDisabled,
    cosmosDbLocalAuthDisabled,
    appConfigLocalAuthDisabled,
    redisAccessKeyAuthDisabled,
    sqlEntraOnlyAuth,
    acrAdminUserDisabled,
    aksLocalAccountsDisabled,
    aksWorkloadIdentityEnabled,
    noPrivilegedRoleForServicePrincipals,
    noManagedIdentityAtBroadScope,
    roleAssignmentPrincipalTypeSet,
    keyVaultAdminToWorkload,
    customRoleNoWildcardActions,
    identitiesUsedAndGranted,
    grantsReachable,
];
