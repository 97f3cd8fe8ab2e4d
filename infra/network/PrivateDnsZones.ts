import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { Tags } from "../shared/tags";

export interface PrivateDnsZonesArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The virtual network every zone is linked to, so that its subnets resolve the private addresses. */
    virtualNetworkId: pulumi.Input<string>;
    /** `privatelink.*` zone names. */
    zones: readonly string[];
    tags?: Tags;
}

/** A private DNS zone linked (without auto-registration) to one virtual network, as children of `parent`; returns its ID. */
export function declareLinkedZone(
    label: string,
    zoneName: string,
    virtualNetworkId: pulumi.Input<string>,
    args: { resourceGroupName: pulumi.Input<string>; tags?: Tags },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const zone = new privatedns.PrivateZone(label, { resourceGroupName: args.resourceGroupName, location: "global", privateZoneName: zoneName, tags: args.tags }, { parent });
    new privatedns.VirtualNetworkLink(
        `${label}-link`,
        {
            resourceGroupName: args.resourceGroupName,
            location: "global",
            privateZoneName: zone.name,
            virtualNetworkLinkName: `${label}-link`,
            virtualNetwork: { id: virtualNetworkId },
            registrationEnabled: false,
            tags: args.tags,
        },
        { parent },
    );
    return zone.id;
}

/**
 * The `privatelink.*` zones of a stack, each once, linked to its network. A zone name is a resource name: two
 * services of one kind in one resource group share the zone, so a stack declares it here and hands its ID to
 * each component's `privateEndpoints`.
 */
export class PrivateDnsZones extends pulumi.ComponentResource {
    /** Zone resource IDs by zone name. */
    public readonly zoneIds: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: PrivateDnsZonesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless:network:PrivateDnsZones", name, {}, opts);
        const zoneIds: Record<string, pulumi.Output<string>> = {};
        for (const zoneName of [...new Set(args.zones)].sort()) {
            const label = `${name}-${zoneName.replace(/^privatelink\./, "").replace(/\./g, "-")}`;
            zoneIds[zoneName] = declareLinkedZone(label, zoneName, args.virtualNetworkId, args, this);
        }
        this.zoneIds = zoneIds;
        this.registerOutputs({ zoneIds });
    }
}
