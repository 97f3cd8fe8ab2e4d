import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { parseCidr } from "../shared/cidr";
import { Problems } from "../shared/problems";
import { SubnetSpec, validateNetworkLayout } from "./layout";

export interface NetworkArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** The virtual network's IPv4 address space, such as `10.20.0.0/16`. */
    addressSpace: string;
    /** Subnets by name. Each gets its own deny-by-default network security group. At least one. */
    subnets: Record<string, SubnetSpec>;
    /** Physical name of the virtual network. Defaults to `vnet-<name>`. */
    vnetName?: string;
    /** A management lock on the virtual network. Defaults to none. */
    lock?: LockArgs;
    tags?: Tags;
}

/**
 * Inbound rules every subnet's NSG carries. Azure's default rules already end in DenyAllInBound; the explicit
 * rule makes "nothing from the Internet" visible in reviews and policy checks, and no rule here allows
 * anything inbound: workloads are reached from inside the network or not at all (no SSH or RDP from outside).
 */
export function denyInternetInboundRules(): network.NetworkSecurityGroupArgs["securityRules"] {
    return [
        {
            name: "DenyInternetInbound",
            description: "No inbound traffic from the Internet: workloads hold no public entry points.",
            priority: 4096,
            direction: "Inbound",
            access: "Deny",
            protocol: "*",
            sourceAddressPrefix: "Internet",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "*",
        },
    ];
}

/**
 * A virtual network whose subnets each carry a network security group that denies inbound traffic from the
 * Internet. Subnets are declared inline on the network, in one write: standalone subnet resources next to a
 * network that also lists subnets would delete each other, and concurrent subnet writes on one network fail.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vnetId: pulumi.Output<string>;
    public readonly vnetName: pulumi.Output<string>;
    /** Subnet resource IDs by subnet name. */
    public readonly subnetIds: Record<string, pulumi.Output<string>>;
    /** Network security group IDs by subnet name. */
    public readonly nsgIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`Network "${name}"`);
        problems.addAll(validateNetworkLayout(args.addressSpace, args.subnets));
        problems.throwIfAny();
        super("keyless:network:Network", name, {}, opts);

        const subnetNames = Object.keys(args.subnets);
        const nsgs: Record<string, network.NetworkSecurityGroup> = {};
        for (const subnet of subnetNames) {
            nsgs[subnet] = new network.NetworkSecurityGroup(
                `${name}-${subnet}-nsg`,
                {
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    networkSecurityGroupName: physicalName("networkSecurityGroup", `${name}-${subnet}`),
                    securityRules: denyInternetInboundRules(),
                    tags: args.tags,
                },
                { parent: this },
            );
        }

        const vnetPhysicalName = args.vnetName ?? physicalName("virtualNetwork", name);
        const vnet = new network.VirtualNetwork(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                virtualNetworkName: vnetPhysicalName,
                addressSpace: { addressPrefixes: [parseCidr(args.addressSpace).text] },
                subnets: subnetNames.map((subnet) => {
                    const spec = args.subnets[subnet];
                    return {
                        name: subnet,
                        addressPrefix: parseCidr(spec.addressPrefix).text,
                        networkSecurityGroup: { id: nsgs[subnet].id },
                        delegations: spec.delegation ? [{ name: "delegation", serviceName: spec.delegation }] : undefined,
                        serviceEndpoints: spec.serviceEndpoints?.map((service) => ({ service })),
                        // NSG rules also apply to private endpoints placed in the subnet.
                        privateEndpointNetworkPolicies: "Enabled",
                    };
                }),
                tags: args.tags,
            },
            { parent: this },
        );

        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        // A subnet's ID is its network's ID plus /subnets/<name>; deriving it keeps each ID tied to the network write.
        this.subnetIds = Object.fromEntries(subnetNames.map((subnet) => [subnet, pulumi.interpolate`${vnet.id}/subnets/${subnet}`]));
        this.nsgIds = Object.fromEntries(subnetNames.map((subnet) => [subnet, nsgs[subnet].id]));
        lockScope(name, vnet.id, args.lock, this);

        this.registerOutputs({ vnetId: this.vnetId, subnetIds: this.subnetIds, nsgIds: this.nsgIds });
    }
}
