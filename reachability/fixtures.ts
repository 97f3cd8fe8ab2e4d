import { NetworkResource } from "./types";

/**
 * Small stacks for tests: resources as a stack policy sees them (props, URNs, no IDs), built by kind. Test-only;
 * not exported from the package index.
 */

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg";

export function urn(type: string, name: string): string {
    return `urn:pulumi:test::keyless::${type}::${name}`;
}

export function armId(provider: string, ...path: string[]): string {
    return `${sub}/providers/${provider}/${path.join("/")}`;
}

export const subnetId = (vnet: string, subnet: string) => armId("Microsoft.Network/virtualNetworks", vnet, "subnets", subnet);

function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<NetworkResource> = {}): NetworkResource {
    return { type, name, urn: urn(type, name), props, ...extra };
}

export function vnet(name: string, subnets: { name: string; endpoints?: string[] }[]): NetworkResource {
    return resource("azure-native:network:VirtualNetwork", name, {
        virtualNetworkName: name,
        subnets: subnets.map((subnet) => ({ name: subnet.name, serviceEndpoints: (subnet.endpoints ?? []).map((service) => ({ service })) })),
    });
}

export function identity(name: string): NetworkResource {
    return resource("azure-native:managedidentity:UserAssignedIdentity", name, { resourceName: `id-${name}`, principalId: `p-${name}`, clientId: `c-${name}` });
}

export const identityId = (name: string) => armId("Microsoft.ManagedIdentity/userAssignedIdentities", `id-${name}`);

export function grant(name: string, principal: string, scope: string, role = "4633458b-17de-408a-b874-0445c86b69e6", extra: Partial<NetworkResource> = {}): NetworkResource {
    return resource(
        "azure-native:authorization:RoleAssignment",
        name,
        { principalId: principal, principalType: "ServicePrincipal", scope, roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${role}` },
        extra,
    );
}

export const roles = {
    secretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    blobReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    queueProcessor: "8a0f0c08-91a1-4084-bc3d-661d67233fed",
    acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    sbSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
};

export interface Firewall {
    publicNetworkAccess?: string;
    defaultAction?: string;
    bypass?: string;
    subnets?: string[];
    ips?: string[];
    resourceRules?: string[];
}

export function vault(name: string, firewall: Firewall = {}): NetworkResource {
    return resource("azure-native:keyvault:Vault", name, {
        vaultName: name,
        properties: {
            ...(firewall.publicNetworkAccess ? { publicNetworkAccess: firewall.publicNetworkAccess } : {}),
            ...(firewall.defaultAction
                ? {
                      networkAcls: {
                          defaultAction: firewall.defaultAction,
                          bypass: firewall.bypass ?? "None",
                          ipRules: (firewall.ips ?? []).map((value) => ({ value })),
                          virtualNetworkRules: (firewall.subnets ?? []).map((id) => ({ id })),
                      },
                  }
                : {}),
        },
    });
}

export const vaultId = (name: string) => armId("Microsoft.KeyVault/vaults", name);
export const secretId = (vaultName: string, secret: string) => armId("Microsoft.KeyVault/vaults", vaultName, "secrets", secret);

export function storage(name: string, firewall: Firewall = {}): NetworkResource {
    return resource("azure-native:storage:StorageAccount", name, {
        accountName: name,
        ...(firewall.publicNetworkAccess ? { publicNetworkAccess: firewall.publicNetworkAccess } : {}),
        ...(firewall.defaultAction
            ? {
                  networkRuleSet: {
                      defaultAction: firewall.defaultAction,
                      bypass: firewall.bypass ?? "None",
                      ipRules: (firewall.ips ?? []).map((ip) => ({ action: "Allow", iPAddressOrRange: ip })),
                      virtualNetworkRules: (firewall.subnets ?? []).map((id) => ({ action: "Allow", virtualNetworkResourceId: id })),
                      resourceAccessRules: (firewall.resourceRules ?? []).map((resourceId) => ({ tenantId: "t", resourceId })),
                  },
              }
            : {}),
    });
}

export const storageId = (name: string) => armId("Microsoft.Storage/storageAccounts", name);
export const containerId = (account: string, container: string) => armId("Microsoft.Storage/storageAccounts", account, "blobServices", "default", "containers", container);
export const queueId = (account: string, queue: string) => armId("Microsoft.Storage/storageAccounts", account, "queueServices", "default", "queues", queue);

export interface SiteOptions {
    subnet?: string;
    routeAll?: boolean;
    identity?: string;
    settings?: Record<string, string>;
    outboundIps?: string;
    linux?: boolean;
}

export function site(name: string, options: SiteOptions = {}): NetworkResource {
    return resource("azure-native:web:WebApp", name, {
        name,
        kind: options.linux === false ? "app" : "app,linux",
        identity: options.identity ? { type: "UserAssigned", userAssignedIdentities: [identityId(options.identity)] } : { type: "SystemAssigned", principalId: `p-${name}` },
        ...(options.identity ? { keyVaultReferenceIdentity: identityId(options.identity) } : {}),
        ...(options.subnet ? { virtualNetworkSubnetId: options.subnet } : {}),
        ...(options.outboundIps ? { outboundIpAddresses: options.outboundIps } : {}),
        siteConfig: {
            ...(options.routeAll ? { vnetRouteAllEnabled: true } : {}),
            appSettings: Object.entries(options.settings ?? {}).map(([key, value]) => ({ name: key, value })),
        },
    });
}

export function vm(name: string, subnet: string, identityName: string): NetworkResource[] {
    const nicId = armId("Microsoft.Network/networkInterfaces", `nic-${name}`);
    return [
        resource("azure-native:network:NetworkInterface", `${name}-nic`, { networkInterfaceName: `nic-${name}`, ipConfigurations: [{ name: "ip", subnet: { id: subnet } }] }),
        resource("azure-native:compute:VirtualMachine", name, {
            vmName: name,
            identity: { type: "UserAssigned", userAssignedIdentities: [identityId(identityName)] },
            networkProfile: { networkInterfaces: [{ id: nicId }] },
        }),
    ];
}

export function containerGroup(name: string, identityName: string, subnet?: string): NetworkResource {
    return resource("azure-native:containerinstance:ContainerGroup", name, {
        containerGroupName: name,
        identity: { type: "UserAssigned", userAssignedIdentities: [identityId(identityName)] },
        ...(subnet ? { subnetIds: [{ id: subnet }] } : {}),
    });
}

export function cluster(name: string, kubelet: string, subnet?: string): NetworkResource {
    return resource("azure-native:containerservice:ManagedCluster", name, {
        resourceName: name,
        identity: { type: "SystemAssigned", principalId: `p-${name}-cp` },
        identityProfile: { kubeletidentity: { resourceId: identityId(kubelet) } },
        agentPoolProfiles: [{ name: "system", ...(subnet ? { vnetSubnetID: subnet } : {}) }],
        oidcIssuerProfile: { enabled: true, issuerURL: `https://westeurope.oic.prod-aks.azure.com/t/${name}/` },
    });
}

export function workflow(name: string): NetworkResource {
    return resource("azure-native:logic:Workflow", name, { workflowName: name, identity: { type: "SystemAssigned", principalId: `p-${name}` } });
}

export const workflowId = (name: string) => armId("Microsoft.Logic/workflows", name);

export function privateEndpoint(name: string, subnet: string, target: string, group: string, zone?: { name: string; linkedVnet?: string }): NetworkResource[] {
    const out = [
        resource("azure-native:network:PrivateEndpoint", name, {
            privateEndpointName: name,
            subnet: { id: subnet },
            privateLinkServiceConnections: [{ name, privateLinkServiceId: target, groupIds: [group] }],
        }),
    ];
    if (zone) {
        out.push(
            resource("azure-native:privatedns:PrivateZone", `zone-${name}`, { privateZoneName: zone.name }),
            resource("azure-native:network:PrivateDnsZoneGroup", `${name}-dns`, {
                privateEndpointName: name,
                privateDnsZoneConfigs: [{ name: "default", privateDnsZoneId: armId("Microsoft.Network/privateDnsZones", zone.name) }],
            }),
        );
        if (zone.linkedVnet) {
            out.push(
                resource("azure-native:privatedns:VirtualNetworkLink", `${name}-link`, {
                    privateZoneName: zone.name,
                    virtualNetwork: { id: armId("Microsoft.Network/virtualNetworks", zone.linkedVnet) },
                }),
            );
        }
    }
    return out;
}
