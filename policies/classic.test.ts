import { evaluateResources } from "./lib/evaluate";
import { classicFixture } from "./testing/fixtures";
import { withPath } from "./testing";

/**
 * The classic `@pulumi/azure` provider, one change at a time from the well-configured set: each case names the rule
 * that must report it and its exact message. Absent properties are judged by the classic provider's own defaults.
 */
/** Every rule on, those that default to off included. */
const everyRule = { all: "advisory" as const };

const cases: [fixture: string, path: string, value: unknown, rule: string, message: string][] = [
    ["st", "sharedAccessKeyEnabled", undefined, "storage-shared-key-disabled", 'Account "st" sharedAccessKeyEnabled: is not set, and the classic provider\'s default is true; set it to false and use Entra ID with data-plane roles.'],
    ["st", "httpsTrafficOnlyEnabled", false, "storage-https-only", 'Account "st" httpsTrafficOnlyEnabled: is false; set it to true.'],
    ["st", "minTlsVersion", "TLS1_0", "storage-min-tls-12", 'Account "st" minTlsVersion: is "TLS1_0"; set it to "TLS1_2".'],
    ["st", "allowNestedItemsToBePublic", undefined, "storage-blob-public-access-disabled", 'Account "st" allowNestedItemsToBePublic: is not set, and the classic provider\'s default is true; set it to false.'],
    ["st", "networkRules", undefined, "storage-network-deny-by-default", 'Account "st" networkRules.defaultAction: is not set, and Azure\'s default is Allow; set it to "Deny".'],
    ["st", "publicNetworkAccessEnabled", true, "storage-public-network-disabled", 'Account "st" publicNetworkAccessEnabled: is true; set it to false and reach it through a private endpoint.'],
    ["kv", "rbacAuthorizationEnabled", undefined, "keyvault-rbac-only", 'KeyVault "kv" rbacAuthorizationEnabled: is not set (the classic provider\'s default is false); set it to true.'],
    ["kv", "accessPolicies", [{ tenantId: "t", objectId: "o", secretPermissions: ["Get"] }], "keyvault-rbac-only", 'KeyVault "kv" accessPolicies: lists 1 access policy; remove them and use RBAC roles.'],
    ["kv", "purgeProtectionEnabled", undefined, "keyvault-soft-delete-purge-protection", 'KeyVault "kv" purgeProtectionEnabled: is not set, and the classic provider\'s default is false; set it to true.'],
    ["kv", "publicNetworkAccessEnabled", undefined, "keyvault-public-network-disabled", 'KeyVault "kv" publicNetworkAccessEnabled: is not set, and the classic provider\'s default is true; set it to false and reach it through a private endpoint.'],
    ["web", "httpsOnly", undefined, "web-https-only", 'LinuxWebApp "web" httpsOnly: is not set; set it to true so the site accepts HTTPS only.'],
    ["web", "siteConfig.minimumTlsVersion", "1.1", "web-min-tls-12", 'LinuxWebApp "web" siteConfig.minimumTlsVersion: is "1.1"; set it to "1.2" or "1.3" (or leave it unset: Azure\'s default is 1.2).'],
    ["web", "siteConfig.ftpsState", "AllAllowed", "web-ftps-disabled", 'LinuxWebApp "web" siteConfig.ftpsState: is "AllAllowed" (Azure\'s default allows FTP); set it to "Disabled".'],
    ["web", "siteConfig.remoteDebuggingEnabled", true, "web-remote-debugging-disabled", 'LinuxWebApp "web" siteConfig.remoteDebuggingEnabled: is true; set it to false.'],
    ["web", "siteConfig.cors", { allowedOrigins: ["*"] }, "web-cors-no-wildcard", 'LinuxWebApp "web" siteConfig.cors.allowedOrigins[0]: is "*"; list the calling origins instead.'],
    ["web", "publicNetworkAccessEnabled", undefined, "web-public-network-disabled", 'LinuxWebApp "web" publicNetworkAccessEnabled: is not set, and the classic provider\'s default is true; set it to false and reach it through a private endpoint or a front door.'],
    ["web", "ftpPublishBasicAuthenticationEnabled", undefined, "web-basic-publishing-disabled", 'LinuxWebApp "web" ftpPublishBasicAuthenticationEnabled: is not set, and the classic provider\'s default is true; set it to false so publishing requires an Entra identity.'],
    ["func", "webdeployPublishBasicAuthenticationEnabled", true, "web-basic-publishing-disabled", 'WindowsFunctionApp "func" webdeployPublishBasicAuthenticationEnabled: is true; set it to false so publishing requires an Entra identity.'],
    ["func", "identity", undefined, "workload-managed-identity", 'WindowsFunctionApp "func" identity: is not set; the workload has no managed identity and would need a stored credential.'],
    ["vm", "disablePasswordAuthentication", false, "linux-vm-password-login-disabled", 'LinuxVirtualMachine "vm" disablePasswordAuthentication: is false; set it to true and log in with SSH keys.'],
    ["vm", "encryptionAtHostEnabled", undefined, "compute-encryption-at-host", 'LinuxVirtualMachine "vm" encryptionAtHostEnabled: is not set; set it to true (Azure\'s default is off; the subscription needs the EncryptionAtHost feature).'],
    ["vm", "vtpmEnabled", undefined, "compute-trusted-launch", 'LinuxVirtualMachine "vm" vtpmEnabled: is not set, and the classic provider\'s default is false; set it to true.'],
    ["vm", "identity", { type: "None" }, "workload-managed-identity", 'LinuxVirtualMachine "vm" identity.type: is "None"; use "SystemAssigned" and/or "UserAssigned".'],
    ["vmss", "identity", undefined, "workload-managed-identity", 'LinuxVirtualMachineScaleSet "vmss" identity: is not set; the workload has no managed identity and would need a stored credential.'],
    ["sql", "azureadAdministrator.azureadAuthenticationOnly", false, "sql-entra-only-auth", 'Server "sql" azureadAdministrator.azureadAuthenticationOnly: is false; set it to true with an Entra administrator.'],
    ["sql", "minimumTlsVersion", "1.0", "sql-min-tls-12", 'Server "sql" minimumTlsVersion: is "1.0"; set it to "1.2".'],
    ["sql", "publicNetworkAccessEnabled", true, "sql-public-network-disabled", 'Server "sql" publicNetworkAccessEnabled: is true; set it to false and reach it through a private endpoint.'],
    ["cosmos", "localAuthenticationEnabled", undefined, "cosmosdb-local-auth-disabled", 'Account "cosmos" localAuthenticationEnabled: is not set, and the classic provider\'s default is true; set it to false.'],
    ["cosmos", "publicNetworkAccessEnabled", true, "cosmosdb-public-network-disabled", 'Account "cosmos" publicNetworkAccessEnabled: is true; set it to false and reach it through a private endpoint.'],
    ["acr", "adminEnabled", true, "acr-admin-user-disabled", 'Registry "acr" adminEnabled: is true; set it to false and use AcrPull/AcrPush role assignments.'],
    ["acr", "publicNetworkAccessEnabled", undefined, "acr-public-network-disabled", 'Registry "acr" publicNetworkAccessEnabled: is not set, and the classic provider\'s default is true; set it to false and reach it through a private endpoint.'],
    ["aks", "localAccountDisabled", undefined, "aks-local-accounts-disabled", 'KubernetesCluster "aks" localAccountDisabled: is not set, and the classic provider\'s default is false; set it to true.'],
    ["aks", "workloadIdentityEnabled", false, "aks-workload-identity-enabled", 'KubernetesCluster "aks" workloadIdentityEnabled: is false; set it to true.'],
    ["aks", "roleBasedAccessControlEnabled", false, "aks-rbac-enabled", 'KubernetesCluster "aks" roleBasedAccessControlEnabled: is false; set it to true.'],
    ["aks", "azureActiveDirectoryRoleBasedAccessControl", undefined, "aks-entra-integration", 'KubernetesCluster "aks" azureActiveDirectoryRoleBasedAccessControl: is not set, and Azure\'s default is no Entra integration; declare it with azureRbacEnabled: true.'],
    ["aks", "defaultNodePool.hostEncryptionEnabled", false, "compute-encryption-at-host", 'KubernetesCluster "aks" defaultNodePool.hostEncryptionEnabled: is false; set it to true (Azure\'s default is off; the subscription needs the EncryptionAtHost feature).'],
    ["app", "registries[0]", { server: "acr.azurecr.io", username: "acr", passwordSecretName: "acr-pw" }, "container-app-registry-identity", 'App "app" registries[0].passwordSecretName: pulls with a registry password; set identity to a managed identity with AcrPull and remove username and passwordSecretName.'],
    ["app", "secrets[0]", { name: "db", value: "stored" }, "container-app-secrets-keyvault", 'App "app" secrets[0].keyVaultSecretId: is not set, so secret "db" is stored in the app; reference a Key Vault secret instead.'],
    ["bus", "localAuthEnabled", undefined, "servicebus-local-auth-disabled", 'Namespace "bus" localAuthEnabled: is not set, and the classic provider\'s default is true; set it to false.'],
    ["hub", "localAuthenticationEnabled", true, "eventhubs-local-auth-disabled", 'EventHubNamespace "hub" localAuthenticationEnabled: is true; set it to false.'],
];

describe("classic @pulumi/azure resources", () => {
    it.each(cases)("%s: %s = %p fails %s", (name, path, value, rule, message) => {
        const good = classicFixture(name);
        const findings = evaluateResources([{ ...good, props: withPath(good.props, path, value) }], everyRule);
        expect(findings.map((finding) => [finding.rule, finding.message])).toEqual([[rule, message]]);
    });

    it("passes what the provider already defaults safely: site and SQL TLS, ftpsState, storage HTTPS and TLS, Linux password login, AKS RBAC", () => {
        const unset: [string, string][] = [
            ["web", "siteConfig"],
            ["sql", "minimumTlsVersion"],
            ["st", "httpsTrafficOnlyEnabled"],
            ["st", "minTlsVersion"],
            ["vm", "disablePasswordAuthentication"],
            ["aks", "roleBasedAccessControlEnabled"],
            ["acr", "adminEnabled"],
        ];
        for (const [name, path] of unset) {
            const good = classicFixture(name);
            expect({ name, path, findings: evaluateResources([{ ...good, props: withPath(good.props, path, undefined) }], everyRule) }).toEqual({ name, path, findings: [] });
        }
    });

    it("flags an inline SQL administrator password and a Linux admin password without showing them", () => {
        const sql = classicFixture("sql");
        const password = ["Pa", "ss", "-", Date.now().toString(36), "!x"].join("");
        const findings = evaluateResources([{ ...sql, props: { ...sql.props, administratorLogin: "sqladmin", administratorLoginPassword: password } }]);
        expect(findings.map((finding) => finding.rule)).toContain("sql-entra-only-auth");
        expect(findings.every((finding) => !finding.message.includes(password))).toBe(true);
    });

    it("checks classic app settings for account keys", () => {
        const web = classicFixture("web");
        const key = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)).toString("base64");
        const connection = ["DefaultEndpointsProtocol=https;AccountName=st;Account", "Key=", key].join("");
        const findings = evaluateResources([{ ...web, props: { ...web.props, appSettings: { Storage: connection } } }]).filter((f) => f.rule === "web-no-connection-string-with-key");
        expect(findings.map((finding) => finding.message)).toEqual([expect.stringMatching(/^LinuxWebApp "web" appSettings\.Storage: setting "Storage" carries AccountKey= /)]);
    });

    it("treats a classic Key Vault access policy resource as a violation", () => {
        const policy = { type: "azure:keyvault/accessPolicy:AccessPolicy", name: "kv-ap", urn: "urn:x", props: { keyVaultId: "kv", tenantId: "t", objectId: "o" } };
        expect(evaluateResources([policy]).map((finding) => finding.message)).toEqual([
            'AccessPolicy "kv-ap" objectId: declares a vault access policy; grant a Key Vault RBAC role at vault scope instead.',
        ]);
    });
});
