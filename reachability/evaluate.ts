import { TargetType } from "./catalog";
import { inRange } from "./cidr";
import { StackGraph } from "./graph";
import { guardOf, privateEndpointsOf, zoneFor } from "./guards";
import { Placement, SourcePosition } from "./sources";
import { EdgeKind, NetworkResource, ServiceGroup, Verdict } from "./types";

/** Decides one call, from one workload, to one target service: the order Azure applies (private link, then public). */

export interface Call {
    source: SourcePosition;
    target: NetworkResource;
    type: TargetType;
    service: ServiceGroup;
    kind: EdgeKind;
}

function trustedBy(call: Call, graph: StackGraph): string | undefined {
    const guard = guardOf(graph, call.target);
    const source = call.source.resource;
    const sourceKey = source.id?.toLowerCase();
    const sourceName = graph.azureName(source)?.toLowerCase();
    if (
        guard.resourceRules.some((rule) => rule === sourceKey || (sourceName !== undefined && rule.endsWith(`/${sourceName}`) && rule.includes(source.type.split(":")[1])))
    ) {
        return `a resource instance rule admits ${source.name}`;
    }
    if (guard.bypassTrusted && call.type.trusted.includes(source.type)) {
        return `${source.type.split(":").pop()} is a trusted service for ${call.type.kind} and the bypass allows trusted services`;
    }
    return undefined;
}

function placementText(graph: StackGraph, placement: Placement): string {
    return placement.kind === "subnet" ? `subnet ${graph.subnetLabel(placement.subnet)}` : placement.kind === "outside" ? placement.where : "an unknown network";
}

function evaluatePlacement(graph: StackGraph, call: Call, placement: Placement): Verdict {
    if (placement.kind === "unknown") {
        return { status: "unknown", reason: placement.reason };
    }
    const name = graph.azureName(call.target) ?? call.target.name;
    const targetLabel = `${call.type.kind} ${name}`;
    const zone = zoneFor(call.service);
    const problems: string[] = [];
    const vnet = placement.kind === "subnet" ? placement.subnet.vnet : undefined;
    const vnetName = (key: string | undefined) => (key ? graph.vnetLabel(key) : "another VNet");

    // Private endpoint in the caller's VNet, with the privatelink zone linked to that VNet.
    const endpoints = privateEndpointsOf(graph, call.target).filter((endpoint) => endpoint.groups.includes(call.service.toLowerCase()));
    if (vnet) {
        const here = endpoints.filter((endpoint) => endpoint.vnet === vnet);
        const resolved = here.find((endpoint) => endpoint.zones.some((z) => z.name === zone && z.linkedVnets.includes(vnet)));
        if (resolved) {
            if (call.kind === "keyvault-reference" && call.source.linuxApp && !call.source.routeAll) {
                return {
                    status: "unreachable",
                    reason: `Key Vault references of a Linux app reach a private endpoint only with route-all; ${call.source.resource.name} has vnetRouteAllEnabled off`,
                    fix: "set vnetRouteAllEnabled (or outboundVnetRouting.allTraffic) on the app",
                };
            }
            return { status: "reachable", via: "private-endpoint", reason: `private endpoint ${resolved.resource.name} (${call.service}) in VNet ${vnetName(vnet)}, zone ${zone} linked` };
        }
        if (here.length > 0) {
            problems.push(`private endpoint ${here[0].resource.name} is in VNet ${vnetName(vnet)} but no DNS zone group with ${zone} linked to that VNet, so the name resolves to the public endpoint`);
        } else if (endpoints.length > 0) {
            problems.push(`its private endpoint ${endpoints[0].resource.name} is in ${endpoints[0].vnet ? `VNet ${vnetName(endpoints[0].vnet)}` : "another VNet"}, not ${vnetName(vnet)}`);
        }
    } else if (endpoints.length > 0) {
        problems.push(`private endpoint ${endpoints[0].resource.name} serves VNet callers only`);
    }

    const guard = guardOf(graph, call.target);
    const trusted = trustedBy(call, graph);
    const unreachable = (reason: string, fix: string): Verdict => ({ status: "unreachable", reason: [reason, ...problems].join("; "), fix });
    const privateFix =
        placement.kind === "subnet"
            ? `add a private endpoint (group ${call.service}) for ${targetLabel} in VNet ${vnetName(placement.subnet.vnet)} with a DNS zone group on ${zone} linked to that VNet`
            : placement.fix;

    if (guard.publicAccess === "unknown" || guard.defaultAction === "unknown") {
        return { status: "unknown", reason: `the network settings of ${targetLabel} are not known yet` };
    }
    if (guard.publicAccess === "Disabled") {
        if (trusted && call.type.kind === "storage") {
            return { status: "reachable", via: "trusted-service", reason: `${trusted} (in effect with public access disabled)` };
        }
        if (trusted && call.type.kind === "vault") {
            return { status: "reachable", via: "trusted-service", reason: trusted };
        }
        return unreachable(`${targetLabel} has publicNetworkAccess Disabled and ${call.source.resource.name} calls from ${placementText(graph, placement)} with no private endpoint it can use`, privateFix);
    }
    if (guard.defaultAction === "Allow") {
        return { status: "reachable", via: "public", reason: `${targetLabel} accepts public traffic (no firewall)` };
    }
    if (trusted) {
        return { status: "reachable", via: "trusted-service", reason: trusted };
    }
    if (placement.kind === "subnet") {
        const subnet = placement.subnet;
        if (guard.subnetRules.includes(subnet.key)) {
            const needed = call.type.serviceEndpoint.toLowerCase();
            if (subnet.serviceEndpoints === undefined) {
                return { status: "unknown", reason: `the service endpoints of subnet ${graph.subnetLabel(subnet)} are not known` };
            }
            if (subnet.serviceEndpoints.includes(needed)) {
                return { status: "reachable", via: "service-endpoint", reason: `subnet ${graph.subnetLabel(subnet)} has a virtual network rule and the ${call.type.serviceEndpoint} service endpoint` };
            }
            return unreachable(
                `${targetLabel} has a virtual network rule for subnet ${graph.subnetLabel(subnet)}, but the subnet lacks the ${call.type.serviceEndpoint} service endpoint`,
                `add the ${call.type.serviceEndpoint} service endpoint to subnet ${graph.subnetLabel(subnet)}, or a private endpoint`,
            );
        }
        if (guard.unknownSubnetRules > 0) {
            return { status: "unknown", reason: `some virtual network rules of ${targetLabel} name subnets not known yet` };
        }
    }
    if (guard.allowAzureServices && placement.kind !== "outside") {
        return { status: "reachable", via: "trusted-service", reason: `${targetLabel} allows Azure services (firewall rule 0.0.0.0)` };
    }
    const ips = call.source.egressIps;
    if (ips.length > 0 && ips.every((ip) => guard.ipRules.some((range) => inRange(ip, range)))) {
        return { status: "reachable", via: "firewall-ip", reason: `every outbound address of ${call.source.resource.name} is in an IP rule of ${targetLabel}` };
    }
    const fix = placement.kind === "subnet" ? `add a virtual network rule for subnet ${graph.subnetLabel(placement.subnet)} (with the ${call.type.serviceEndpoint} service endpoint), or ${privateFix}` : placement.fix;
    return unreachable(`${targetLabel} denies by default (${guard.summary}); ${call.source.resource.name} calls from ${placementText(graph, placement)}`, fix);
}

/** Every placement must reach; alternatives (a subnet not known yet) must agree, or the answer is unknown. */
export function evaluateCall(graph: StackGraph, call: Call): Verdict {
    let unknown: Verdict | undefined;
    let reachable: Verdict | undefined;
    for (const alternatives of call.source.placements) {
        const verdicts = alternatives.map((placement) => evaluatePlacement(graph, call, placement));
        const statuses = new Set(verdicts.map((verdict) => verdict.status));
        const verdict: Verdict = statuses.size === 1 ? verdicts[0] : { status: "unknown", reason: "the verdict depends on a subnet not known yet" };
        if (verdict.status === "unreachable") {
            return verdict;
        }
        if (verdict.status === "unknown") {
            unknown ??= verdict;
        } else {
            reachable ??= verdict;
        }
    }
    return unknown ?? reachable ?? { status: "unknown", reason: "the caller has no network placement" };
}
