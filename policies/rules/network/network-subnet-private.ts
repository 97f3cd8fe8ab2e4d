import { needsInfrastructure } from "../../lib/levels";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/**
 * An unset `defaultOutboundAccess` leaves the subnet's VMs an implicit outbound public IP at the API version
 * azure-native v3 uses (2024-05-01): https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/default-outbound-access
 */
function checkSubnet(resource: RuleResource, path: string): Violation[] {
    const value = read(resource.props, path);
    if (isUnknown(value) || value === false) {
        return [];
    }
    const shown = value === undefined || value === null ? "is not set, and Azure's default (API 2024-05-01) gives the subnet default outbound access" : `is ${JSON.stringify(value)}`;
    return [violation(resource, path, `${shown}; set it to false and give the subnet a NAT gateway or firewall for egress.`)];
}

export const networkSubnetPrivate: ResourceRule = {
    name: "network-subnet-private",
    description: "Subnets are private: no default outbound Internet access (defaultOutboundAccess: false).",
    severity: "low",
    remediation: "Set `defaultOutboundAccess: false` on each subnet and route egress through a NAT gateway or Azure Firewall.",
    anchors: {},
    builtins: [{ id: "7bca8353-aa3b-429b-904a-9229c4385837", displayName: "Subnets should be private" }],
    mcsb: ["NS-1"],
    service: "network",
    defaultLevel: needsInfrastructure,
    justification: "Implicit outbound IPs are shared and unmanaged; workloads need an explicit egress path first, so it warns (advisory) rather than blocks unless the config raises it (advisory in dev and prod).",
    resourceTypes: [types.virtualNetwork, types.subnet],
    check(resource) {
        if (resource.type === types.subnet) {
            return checkSubnet(resource, "defaultOutboundAccess");
        }
        const subnets = read(resource.props, "subnets");
        return Array.isArray(subnets) ? subnets.flatMap((_subnet, index) => checkSubnet(resource, `subnets[${index}].defaultOutboundAccess`)) : [];
    },
};
