import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { declareLinkedZone } from "./PrivateDnsZones";
import { physicalName } from "../shared/naming";
import { isSubnetId } from "../shared/network";
import { Tags } from "../shared/tags";

/**
 * One private endpoint shape for every data service (the `privateEndpoints` interface of Azure Verified Modules):
 * the endpoint in a subnet, its DNS zone group, and, unless the caller passes an existing zone (hub-and-spoke
 * networks, policy-managed DNS), the `privatelink.*` zone with a link to the subnet's virtual network.
 *
 * Group IDs and zone names are Microsoft's:
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns (zone per sub-resource) and
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-link-resource (group IDs).
 */
export interface PrivateEndpointArgs {
    /** Resource ID of the subnet the endpoint's network interface goes in (no delegation). */
    subnet: pulumi.Input<string>;
    /**
     * The sub-resource (group ID) the endpoint serves. Required where a service has several (storage: blob,
     * queue, table, file); defaults to the only one elsewhere (vault, sqlServer, registry, namespace).
     */
    service?: string;
    /**
     * Resource ID of an existing `privatelink.*` zone to register the endpoint in. Defaults to a zone this
     * component declares, linked to the subnet's virtual network.
     */
    privateDnsZone?: pulumi.Input<string>;
}

/** The private link sub-resources each kind of target offers, with the zone each registers in. */
export const privateLinkServices = {
    vault: { vault: "privatelink.vaultcore.azure.net" },
    storageAccount: {
        blob: "privatelink.blob.core.windows.net",
        queue: "privatelink.queue.core.windows.net",
        table: "privatelink.table.core.windows.net",
        file: "privatelink.file.core.windows.net",
    },
    sqlServer: { sqlServer: "privatelink.database.windows.net" },
    registry: { registry: "privatelink.azurecr.io" },
    // Service Bus and Event Hubs share the namespace platform and its zone.
    serviceBus: { namespace: "privatelink.servicebus.windows.net" },
    eventHub: { namespace: "privatelink.servicebus.windows.net" },
} as const satisfies Record<string, Record<string, string>>;

export type PrivateLinkTarget = keyof typeof privateLinkServices;

/** The zone a sub-resource registers in, or undefined when the target offers no such sub-resource. */
export function privateDnsZoneName(target: PrivateLinkTarget, service: string): string | undefined {
    const zones: Record<string, string> = privateLinkServices[target];
    return Object.prototype.hasOwnProperty.call(zones, service) ? zones[service] : undefined;
}

const zoneIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i;

/** The sub-resource an entry serves: its `service`, or the target's only one. */
export function endpointService(target: PrivateLinkTarget, entry: Pick<PrivateEndpointArgs, "service">): string | undefined {
    const services = Object.keys(privateLinkServices[target]);
    return entry.service ?? (services.length === 1 ? services[0] : undefined);
}

/**
 * Why a list of private endpoints would be refused, one message per problem, each naming `privateEndpoints[i]`.
 * `skuProblem` is the target's own reason why its tier takes no private endpoint, if any.
 */
export function privateEndpointProblems(target: PrivateLinkTarget, entries: readonly PrivateEndpointArgs[] | undefined, skuProblem?: string): string[] {
    if (entries === undefined) {
        return [];
    }
    if (!Array.isArray(entries)) {
        return [`privateEndpoints must be a list of { subnet, service?, privateDnsZone? }.`];
    }
    const problems: string[] = [];
    if (entries.length > 0 && skuProblem) {
        problems.push(skuProblem);
    }
    const services = Object.keys(privateLinkServices[target]);
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
        const key = `privateEndpoints[${index}]`;
        if (typeof entry?.subnet === "string" && !isSubnetId(entry.subnet)) {
            problems.push(`${key}.subnet must be a subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "${entry.subnet}".`);
        }
        if (entry?.subnet === undefined) {
            problems.push(`${key}.subnet is required: the subnet the endpoint's network interface goes in.`);
        }
        const service = endpointService(target, entry ?? {});
        if (service === undefined) {
            problems.push(`${key}.service is required here: one of ${services.join(", ")}.`);
            return;
        }
        const zone = privateDnsZoneName(target, service);
        if (zone === undefined) {
            problems.push(`${key}.service "${service}" is not a private link sub-resource of this service; expected ${services.join(" or ")}.`);
            return;
        }
        if (typeof entry.privateDnsZone === "string") {
            const match = zoneIdPattern.exec(entry.privateDnsZone);
            if (!match) {
                problems.push(`${key}.privateDnsZone must be a private DNS zone resource ID (.../providers/Microsoft.Network/privateDnsZones/${zone}); got "${entry.privateDnsZone}".`);
            } else if (match[1].toLowerCase() !== zone) {
                problems.push(`${key}.privateDnsZone names zone "${match[1]}", but a ${service} endpoint registers in "${zone}"; clients would resolve the public address.`);
            }
        }
        // Outputs are subnets of the same program: only literal IDs can be compared.
        const pair = `${typeof entry.subnet === "string" ? entry.subnet.toLowerCase() : `#${index}`}|${service}`;
        if (seen.has(pair)) {
            problems.push(`${key}: a ${service} endpoint in this subnet is listed twice.`);
        }
        seen.add(pair);
    });
    return problems;
}

export interface DeclarePrivateEndpointsArgs {
    resourceGroupName: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    tags?: Tags;
}

/** What was declared for one entry. */
export interface DeclaredPrivateEndpoint {
    service: string;
    endpoint: network.PrivateEndpoint;
    zoneId: pulumi.Output<string>;
}

/** `/subscriptions/.../virtualNetworks/<vnet>` of a subnet ID. */
export function virtualNetworkOfSubnet(subnetId: string): string {
    return subnetId.replace(/\/subnets\/[^/]+\/?$/i, "");
}

/**
 * Declares the endpoints (already checked with `privateEndpointProblems`) as children of `parent`, named
 * `<owner>-pe-<service>[-<index>]`. A zone this declares is shared by the owner's endpoints of one service.
 */
export function declarePrivateEndpoints(
    owner: string,
    target: PrivateLinkTarget,
    resourceId: pulumi.Input<string>,
    entries: readonly PrivateEndpointArgs[] | undefined,
    args: DeclarePrivateEndpointsArgs,
    parent: pulumi.Resource,
): DeclaredPrivateEndpoint[] {
    const count: Record<string, number> = {};
    const zones = new Map<string, pulumi.Output<string>>();
    return (entries ?? []).map((entry) => {
        const service = endpointService(target, entry)!;
        const zoneName = privateDnsZoneName(target, service)!;
        const index = count[service] ?? 0;
        count[service] = index + 1;
        const label = `${owner}-pe-${service.toLowerCase()}${index === 0 ? "" : `-${index}`}`;
        const endpoint = new network.PrivateEndpoint(
            label,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                privateEndpointName: physicalName("privateEndpoint", label.replace(/-pe-/, "-")),
                subnet: { id: entry.subnet },
                privateLinkServiceConnections: [{ name: `${owner}-${service}`, privateLinkServiceId: resourceId, groupIds: [service] }],
                tags: args.tags,
            },
            { parent },
        );
        let zoneId: pulumi.Output<string>;
        if (entry.privateDnsZone !== undefined) {
            zoneId = pulumi.output(entry.privateDnsZone);
        } else if (zones.has(zoneName)) {
            zoneId = zones.get(zoneName)!;
        } else {
            zoneId = declareLinkedZone(`${owner}-zone-${service.toLowerCase()}`, zoneName, pulumi.output(entry.subnet).apply(virtualNetworkOfSubnet), args, parent);
            zones.set(zoneName, zoneId);
        }
        new network.PrivateDnsZoneGroup(
            `${label}-dns`,
            {
                resourceGroupName: args.resourceGroupName,
                privateEndpointName: endpoint.name,
                privateDnsZoneGroupName: "default",
                privateDnsZoneConfigs: [{ name: zoneName.replace(/\./g, "-"), privateDnsZoneId: zoneId }],
            },
            { parent },
        );
        return { service, endpoint, zoneId };
    });
}
