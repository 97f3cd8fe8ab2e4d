import { StackFixture, UNKNOWN_STRING, urnOf } from ".";

/**
 * A first preview of a small stack, as the engine sends it to a stack policy: every ID and generated name is the
 * unknown sentinel, and the engine's property dependencies say where each came from. A VM calls a vault through a
 * private endpoint (`dns: "linked"`) or through nothing usable; an AKS cluster's pods call it from `aks`'s nodes.
 * Shared by the rule's direct tests and the gRPC test. Test-only.
 */

const t = {
    vnet: "azure-native:network:VirtualNetwork",
    vault: "azure-native:keyvault:Vault",
    secret: "azure-native:keyvault:Secret",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    grant: "azure-native:authorization:RoleAssignment",
    nic: "azure-native:network:NetworkInterface",
    vm: "azure-native:compute:VirtualMachine",
    pe: "azure-native:network:PrivateEndpoint",
    zone: "azure-native:privatedns:PrivateZone",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    link: "azure-native:privatedns:VirtualNetworkLink",
    cluster: "azure-native:containerservice:ManagedCluster",
    credential: "azure-native:managedidentity:FederatedIdentityCredential",
};

export const previewUrns = {
    vmGrant: urnOf(t.grant, "vm-kv"),
    podGrant: urnOf(t.grant, "api-kv"),
};

export interface PreviewOptions {
    /** The private endpoint's DNS: zone group and VNet link, zone group only, or no endpoint at all. */
    dns: "linked" | "unlinked" | "none";
    /** The AKS node pool sits in the stack subnet, or in the AKS-managed VNet. */
    aksInStackSubnet: boolean;
}

export function previewStack(options: PreviewOptions): StackFixture[] {
    const u = UNKNOWN_STRING;
    const vnetUrn = urnOf(t.vnet, "net");
    const vaultUrn = urnOf(t.vault, "kv");
    const zoneUrn = urnOf(t.zone, "kv-zone");
    const peUrn = urnOf(t.pe, "kv-pe");
    const fixtures: StackFixture[] = [
        { type: t.vnet, name: "net", props: { virtualNetworkName: u, subnets: [{ name: "apps", serviceEndpoints: [] }] } },
        // The vault admits only private endpoints; its generated name is unknown.
        { type: t.vault, name: "kv", props: { vaultName: u, properties: { publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny", bypass: "None" } } } },
        { type: t.secret, name: "kv-s", props: { vaultName: u, secretName: "s" }, propertyDependencies: { vaultName: [vaultUrn] } },
        { type: t.identity, name: "vm-id", props: { resourceName: "id-vm", principalId: u, clientId: u } },
        { type: t.identity, name: "api-id", props: { resourceName: "id-api", principalId: u, clientId: u } },
        { type: t.identity, name: "kubelet-id", props: { resourceName: "id-kubelet", principalId: u, clientId: u } },
        { type: t.nic, name: "vm-nic", props: { networkInterfaceName: "nic-vm", ipConfigurations: [{ name: "ip", subnet: { id: u } }] }, propertyDependencies: { ipConfigurations: [vnetUrn] } },
        {
            type: t.vm,
            name: "vm",
            props: { vmName: "vm", identity: { type: "UserAssigned", userAssignedIdentities: { [u]: {} } }, networkProfile: { networkInterfaces: [{ id: u }] } },
            propertyDependencies: { identity: [urnOf(t.identity, "vm-id")], networkProfile: [urnOf(t.nic, "vm-nic")] },
        },
        {
            type: t.cluster,
            name: "aks",
            props: {
                resourceName: "aks",
                identity: { type: "SystemAssigned", principalId: u },
                identityProfile: { kubeletidentity: { resourceId: u } },
                agentPoolProfiles: [{ name: "system", ...(options.aksInStackSubnet ? { vnetSubnetID: u } : {}) }],
                oidcIssuerProfile: { enabled: true, issuerURL: u },
            },
            propertyDependencies: { identityProfile: [urnOf(t.identity, "kubelet-id")], ...(options.aksInStackSubnet ? { agentPoolProfiles: [vnetUrn] } : {}) },
        },
        { type: t.credential, name: "api-fic", props: { resourceName: u, issuer: u, subject: "system:serviceaccount:inv:api" }, propertyDependencies: { resourceName: [urnOf(t.identity, "api-id")], issuer: [urnOf(t.cluster, "aks")] } },
        {
            type: t.grant,
            name: "vm-kv",
            props: { principalId: u, principalType: "ServicePrincipal", roleDefinitionId: "x/4633458b-17de-408a-b874-0445c86b69e6", scope: u },
            propertyDependencies: { principalId: [urnOf(t.identity, "vm-id")], scope: [urnOf(t.secret, "kv-s")] },
        },
        {
            type: t.grant,
            name: "api-kv",
            props: { principalId: u, principalType: "ServicePrincipal", roleDefinitionId: "x/4633458b-17de-408a-b874-0445c86b69e6", scope: u },
            propertyDependencies: { principalId: [urnOf(t.identity, "api-id")], scope: [urnOf(t.secret, "kv-s")] },
        },
    ];
    if (options.dns !== "none") {
        fixtures.push(
            {
                type: t.pe,
                name: "kv-pe",
                props: { privateEndpointName: "pe-kv", subnet: { id: u }, privateLinkServiceConnections: [{ name: "kv", privateLinkServiceId: u, groupIds: ["vault"] }] },
                propertyDependencies: { subnet: [vnetUrn], privateLinkServiceConnections: [vaultUrn] },
            },
            { type: t.zone, name: "kv-zone", props: { privateZoneName: "privatelink.vaultcore.azure.net" } },
            {
                type: t.zoneGroup,
                name: "kv-pe-dns",
                props: { privateEndpointName: u, privateDnsZoneConfigs: [{ name: "vault", privateDnsZoneId: u }] },
                propertyDependencies: { privateEndpointName: [peUrn], privateDnsZoneConfigs: [zoneUrn] },
            },
        );
    }
    if (options.dns === "linked") {
        fixtures.push({ type: t.link, name: "kv-link", props: { privateZoneName: u, virtualNetwork: { id: u } }, propertyDependencies: { privateZoneName: [zoneUrn], virtualNetwork: [vnetUrn] } });
    }
    return fixtures;
}
