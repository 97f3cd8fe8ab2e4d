import { fixture } from "../../testing/fixtures";
import { check, describeResourceRule } from "../../testing";
import { workloadManagedIdentity } from "../identity/workload-managed-identity";
import { acrArmAudienceTokenDisabled } from "./acr-arm-audience-token-disabled";
import { acrNetworkDenyByDefault } from "./acr-network-deny-by-default";
import { acrPublicNetworkDisabled } from "./acr-public-network-disabled";
import { aksApiServerAuthorizedRanges } from "./aks-api-server-authorized-ranges";
import { aksEntraIntegration } from "./aks-entra-integration";
import { aksLocalAccountsDisabled } from "./aks-local-accounts-disabled";
import { aksNodeSshDisabled } from "./aks-node-ssh-disabled";
import { aksPrivateCluster } from "./aks-private-cluster";
import { aksRbacEnabled } from "./aks-rbac-enabled";
import { containerAppRegistryIdentity } from "./container-app-registry-identity";
import { containerAppSecretsKeyVault } from "./container-app-secrets-keyvault";
import { containerGroupVnet } from "./container-group-vnet";

const registry = fixture("acr");
const cluster = fixture("aks");
const app = fixture("web");

describe("citations", () => {
    it("aks-local-accounts-disabled cites the local-accounts built-in, not the Entra-integration one", () => {
        expect(aksLocalAccountsDisabled.builtins).toEqual([
            { id: "993c2fcd-2b29-49d2-9eb0-df2c3a730c32", displayName: "Azure Kubernetes Service Clusters should have local authentication methods disabled" },
        ]);
        expect(aksEntraIntegration.builtins.map((builtin) => builtin.id)).toEqual(["450d2877-ebea-41e8-b00c-e286317d21bf"]);
    });
});

describeResourceRule(
    acrArmAudienceTokenDisabled,
    registry,
    [
        { path: "policies.azureADAuthenticationAsArmPolicy.status", value: "enabled", message: 'Registry "acr" policies.azureADAuthenticationAsArmPolicy.status: is "enabled"; set it to "disabled".' },
        { path: "policies", value: undefined, message: 'Registry "acr" policies.azureADAuthenticationAsArmPolicy.status: is not set, and Azure\'s default is enabled; set it to "disabled".' },
    ],
    "policies",
);

describeResourceRule(
    acrPublicNetworkDisabled,
    registry,
    [{ path: "publicNetworkAccess", value: "Enabled", message: 'Registry "acr" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.' }],
    "publicNetworkAccess",
);

describeResourceRule(
    acrNetworkDenyByDefault,
    registry,
    [
        {
            path: "publicNetworkAccess",
            value: "Enabled",
            message: 'Registry "acr" networkRuleSet.defaultAction: is not set (Azure\'s default is Allow) while public network access is on; set it to "Deny" or disable public network access.',
        },
    ],
    "publicNetworkAccess",
);

describe("acr-network-deny-by-default with public access on", () => {
    it("passes a deny-by-default firewall", () => {
        expect(check(acrNetworkDenyByDefault, { ...registry, props: { ...registry.props, publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny" } } })).toEqual([]);
    });
});

describeResourceRule(aksRbacEnabled, cluster, [{ path: "enableRBAC", value: false, message: 'ManagedCluster "aks" enableRBAC: is false; set it to true.' }], "enableRBAC");

describeResourceRule(
    aksEntraIntegration,
    cluster,
    [{ path: "aadProfile", value: undefined, message: 'ManagedCluster "aks" aadProfile: is not set, and Azure\'s default is no Entra integration; set it to { managed: true, enableAzureRBAC: true }.' }],
    "aadProfile",
);

describeResourceRule(
    aksPrivateCluster,
    cluster,
    [
        { path: "apiServerAccessProfile.enablePrivateCluster", value: false, message: 'ManagedCluster "aks" apiServerAccessProfile.enablePrivateCluster: is false; set it to true.' },
        {
            path: "apiServerAccessProfile",
            value: undefined,
            message: 'ManagedCluster "aks" apiServerAccessProfile.enablePrivateCluster: is not set, and Azure\'s default is a public API server; set it to true.',
        },
    ],
    "apiServerAccessProfile",
);

describeResourceRule(
    aksApiServerAuthorizedRanges,
    cluster,
    [
        {
            path: "apiServerAccessProfile",
            value: { enablePrivateCluster: false },
            message:
                'ManagedCluster "aks" apiServerAccessProfile.authorizedIPRanges: is not set on a public API server, and Azure\'s default accepts every address; list the allowed ranges or make the cluster private.',
        },
    ],
    "apiServerAccessProfile.enablePrivateCluster",
);

describe("aks-api-server-authorized-ranges on a public cluster with ranges", () => {
    it("passes", () => {
        expect(check(aksApiServerAuthorizedRanges, { ...cluster, props: { ...cluster.props, apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] } } })).toEqual([]);
    });
});

describeResourceRule(
    aksNodeSshDisabled,
    cluster,
    [
        { path: "agentPoolProfiles[0].securityProfile.sshAccess", value: "LocalUser", message: 'ManagedCluster "aks" agentPoolProfiles[0].securityProfile.sshAccess: is "LocalUser"; set it to "Disabled".' },
        {
            path: "agentPoolProfiles[0].securityProfile",
            value: undefined,
            message: 'ManagedCluster "aks" agentPoolProfiles[0].securityProfile.sshAccess: is not set, and Azure\'s default is LocalUser (SSH with a key); set it to "Disabled".',
        },
    ],
    "agentPoolProfiles[0].securityProfile.sshAccess",
);

describeResourceRule(
    containerGroupVnet,
    fixture("ingest"),
    [{ path: "subnetIds", value: undefined, message: 'ContainerGroup "ingest" subnetIds: is not set, so the group gets a public IP or none outside any VNet; deploy it into a delegated subnet.' }],
    "subnetIds",
);

describeResourceRule(
    containerAppRegistryIdentity,
    app,
    [
        {
            path: "configuration.registries[0]",
            value: { server: "acr.azurecr.io", username: "acr", passwordSecretRef: "acr-password" },
            message:
                'ContainerApp "web" configuration.registries[0].passwordSecretRef: pulls with a registry password; set identity to a managed identity with AcrPull and remove username and passwordSecretRef.',
        },
        { path: "configuration.registries[0].identity", value: undefined, message: 'ContainerApp "web" configuration.registries[0].identity: is not set; pull with a managed identity holding AcrPull.' },
    ],
    "configuration.registries[0].passwordSecretRef",
);

describeResourceRule(
    containerAppSecretsKeyVault,
    app,
    [
        {
            path: "configuration.secrets[0]",
            value: { name: "db", value: "stored-in-the-app" },
            message: 'ContainerApp "web" configuration.secrets[0].keyVaultUrl: is not set, so secret "db" is stored in the app; reference a Key Vault secret instead.',
        },
        {
            path: "configuration.secrets[0].identity",
            value: undefined,
            message: 'ContainerApp "web" configuration.secrets[0].identity: is not set, so secret "db" cannot be read from Key Vault; name the identity that holds Key Vault Secrets User.',
        },
    ],
    "configuration.secrets[0].keyVaultUrl",
);

describe("Container Apps need an identity", () => {
    it.each(["azure-native:app:ContainerApp", "azure-native:app:Job"])("%s without identity fails workload-managed-identity", (type) => {
        expect(check(workloadManagedIdentity, { ...app, type, props: { ...app.props, identity: undefined } })).toEqual([
            `${type.split(":")[2]} "web" identity: is not set; the workload has no managed identity and would need a stored credential.`,
        ]);
        expect(check(workloadManagedIdentity, { ...app, type })).toEqual([]);
    });
});
