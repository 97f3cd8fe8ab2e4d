import { fixture } from "../../testing/fixtures";
import { describeResourceRule } from "../../testing";
import { networkSubnetPrivate } from "./network-subnet-private";

const egress = "set it to false and give the subnet a NAT gateway or firewall for egress.";

describeResourceRule(
    networkSubnetPrivate,
    fixture("vnet"),
    [
        { path: "subnets[0].defaultOutboundAccess", value: true, message: `VirtualNetwork "vnet" subnets[0].defaultOutboundAccess: is true; ${egress}` },
        {
            path: "subnets[0].defaultOutboundAccess",
            value: undefined,
            message: `VirtualNetwork "vnet" subnets[0].defaultOutboundAccess: is not set, and Azure's default (API 2024-05-01) gives the subnet default outbound access; ${egress}`,
        },
    ],
    "subnets[0].defaultOutboundAccess",
);

describeResourceRule(
    networkSubnetPrivate,
    fixture("data-subnet"),
    [{ path: "defaultOutboundAccess", value: true, message: `Subnet "data-subnet" defaultOutboundAccess: is true; ${egress}` }],
    "defaultOutboundAccess",
);
