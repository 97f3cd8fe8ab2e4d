import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const containerGroupVnet: ResourceRule = {
    name: "container-group-vnet",
    description: "Container groups run inside a virtual network (subnetIds) or with a private IP.",
    severity: "low",
    remediation: "Set `subnetIds: [{ id: subnet.id }]` on a subnet delegated to Microsoft.ContainerInstance/containerGroups.",
    anchors: {},
    builtins: [{ id: "8af8f826-edcb-4178-b35f-851ea6fea615", displayName: "Azure Container Instance container group should deploy into a virtual network" }],
    mcsb: ["NS-2"],
    service: "containers",
    defaultLevel: "advisory",
    justification: "A container group outside a VNet reaches its data services over public endpoints; it needs a delegated subnet, so it only warns.",
    resourceTypes: [types.containerGroup],
    check(resource) {
        const ipType = read(resource.props, "ipAddress.type");
        const subnets = read(resource.props, "subnetIds");
        if (isUnknown(ipType) || isUnknown(subnets) || ipType === "Private" || (Array.isArray(subnets) && subnets.length > 0)) {
            return [];
        }
        return [violation(resource, "subnetIds", "is not set, so the group gets a public IP or none outside any VNet; deploy it into a delegated subnet.")];
    },
};
