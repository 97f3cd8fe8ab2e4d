import { privateDnsZones, resourceTypes, targetTypes } from "./catalog";
import { get, list, StackGraph, text } from "./graph";
import { subnetKey } from "./ids";
import { NetworkResource, ServiceGroup } from "./types";

/** A target's network settings, the same shape for every kind of data service. */
export interface Guard {
    publicAccess: "Enabled" | "Disabled" | "unknown";
    defaultAction: "Allow" | "Deny" | "unknown";
    ipRules: string[];
    /** Subnet keys (`vnet/subnet`) of virtual network rules; `unknown` entries are rules whose subnet is not known yet. */
    subnetRules: string[];
    unknownSubnetRules: number;
    /** Trusted Microsoft services may pass (Key Vault and Storage `bypass: AzureServices`, registry, Service Bus). */
    bypassTrusted: boolean;
    /** Storage resource instance rules: lower-case resource IDs or `type/name` keys. */
    resourceRules: string[];
    /** SQL's 0.0.0.0 rule ("Allow Azure services"): any caller inside Azure passes the firewall. */
    allowAzureServices: boolean;
    /** What the settings are, for messages. */
    summary: string;
}

function publicAccess(value: unknown): Guard["publicAccess"] {
    if (value === undefined || value === null) {
        return "Enabled";
    }
    const known = text(value);
    return known === undefined ? "unknown" : /^disabled$/i.test(known) ? "Disabled" : "Enabled";
}

function defaultAction(value: unknown, absentMeans: "Allow" | "Deny"): Guard["defaultAction"] {
    if (value === undefined || value === null) {
        return absentMeans;
    }
    const known = text(value);
    return known === undefined ? "unknown" : /^deny$/i.test(known) ? "Deny" : "Allow";
}

function subnetRulesOf(graph: StackGraph, holder: NetworkResource, prop: string, values: unknown[]): { keys: string[]; unknown: number } {
    const keys: string[] = [];
    let unknown = 0;
    for (const value of values) {
        const id = text(value);
        const key = id ? subnetKey(id) : undefined;
        if (key) {
            keys.push(key);
            continue;
        }
        const subnets = graph.subnetsOf(holder, prop, value);
        if (subnets && subnets.length === 1) {
            keys.push(subnets[0].key);
        } else {
            unknown++;
        }
    }
    return { keys, unknown };
}

function describe(guard: Omit<Guard, "summary">): string {
    if (guard.publicAccess === "Disabled") {
        return "publicNetworkAccess Disabled";
    }
    if (guard.defaultAction !== "Deny") {
        return guard.defaultAction === "Allow" ? "public, no firewall" : "firewall not known yet";
    }
    const parts = [`defaultAction Deny`];
    parts.push(guard.subnetRules.length > 0 ? `subnets ${guard.subnetRules.join(", ")}` : "no subnet rules");
    parts.push(guard.ipRules.length > 0 ? `IP ranges ${guard.ipRules.join(", ")}` : "no IP rules");
    parts.push(guard.bypassTrusted ? "trusted services allowed" : "no trusted services");
    if (guard.resourceRules.length > 0) {
        parts.push(`${guard.resourceRules.length} resource instance rule(s)`);
    }
    return parts.join("; ");
}

function finish(guard: Omit<Guard, "summary">): Guard {
    return { ...guard, summary: describe(guard) };
}

/** Rule resources (SQL firewall rules, Service Bus rule sets) that belong to a target, by parent name or dependency. */
function ruleResources(graph: StackGraph, target: NetworkResource, type: string, parentProp: string): NetworkResource[] {
    const name = graph.azureName(target)?.toLowerCase();
    return graph.resources.filter((resource) => {
        if (resource.type !== type) {
            return false;
        }
        const parent = text(resource.props[parentProp]);
        if (parent) {
            return parent.toLowerCase() === name;
        }
        return (resource.propertyDependencies?.[parentProp] ?? []).includes(target.urn ?? "\u0000");
    });
}

export function guardOf(graph: StackGraph, target: NetworkResource): Guard {
    const type = targetTypes[target.type];
    const props = target.props;
    const empty = { ipRules: [], subnetRules: [], unknownSubnetRules: 0, bypassTrusted: false, resourceRules: [], allowAzureServices: false };
    switch (type.kind) {
        case "vault": {
            const acls = get(props, "properties.networkAcls");
            const rules = subnetRulesOf(graph, target, "properties", list(get(acls, "virtualNetworkRules")).map((rule) => get(rule, "id")));
            return finish({
                ...empty,
                publicAccess: publicAccess(get(props, "properties.publicNetworkAccess")),
                defaultAction: defaultAction(get(acls, "defaultAction"), "Allow"),
                ipRules: list(get(acls, "ipRules")).map((rule) => text(get(rule, "value"))).filter((v): v is string => !!v),
                subnetRules: rules.keys,
                unknownSubnetRules: rules.unknown,
                bypassTrusted: /AzureServices/i.test(text(get(acls, "bypass")) ?? "AzureServices"),
            });
        }
        case "storage": {
            const set = props.networkRuleSet;
            const rules = subnetRulesOf(graph, target, "networkRuleSet", list(get(set, "virtualNetworkRules")).map((rule) => get(rule, "virtualNetworkResourceId")));
            return finish({
                ...empty,
                publicAccess: publicAccess(props.publicNetworkAccess),
                defaultAction: defaultAction(get(set, "defaultAction"), "Allow"),
                ipRules: list(get(set, "ipRules")).map((rule) => text(get(rule, "iPAddressOrRange"))).filter((v): v is string => !!v),
                subnetRules: rules.keys,
                unknownSubnetRules: rules.unknown,
                bypassTrusted: /AzureServices/i.test(text(get(set, "bypass")) ?? "AzureServices"),
                resourceRules: list(get(set, "resourceAccessRules")).map((rule) => text(get(rule, "resourceId"))?.toLowerCase()).filter((v): v is string => !!v),
            });
        }
        case "sql": {
            const firewall = ruleResources(graph, target, resourceTypes.sqlFirewallRule, "serverName");
            const vnetRules = ruleResources(graph, target, resourceTypes.sqlVirtualNetworkRule, "serverName");
            const ranges = firewall.map((rule) => [text(rule.props.startIpAddress), text(rule.props.endIpAddress)]);
            const subnets = vnetRules.map((rule) => subnetRulesOf(graph, rule, "virtualNetworkSubnetId", [rule.props.virtualNetworkSubnetId]));
            return finish({
                ...empty,
                publicAccess: publicAccess(props.publicNetworkAccess),
                // An Azure SQL server with no rule admits nobody through its public endpoint.
                defaultAction: "Deny",
                ipRules: ranges.filter(([start, end]) => start && end && !(start === "0.0.0.0" && end === "0.0.0.0")).map(([start, end]) => (start === end ? start! : `${start}-${end}`)),
                subnetRules: subnets.flatMap((rule) => rule.keys),
                unknownSubnetRules: subnets.reduce((total, rule) => total + rule.unknown, 0),
                allowAzureServices: ranges.some(([start, end]) => start === "0.0.0.0" && end === "0.0.0.0"),
            });
        }
        case "registry": {
            const set = props.networkRuleSet;
            return finish({
                ...empty,
                publicAccess: publicAccess(props.publicNetworkAccess),
                defaultAction: defaultAction(get(set, "defaultAction"), "Allow"),
                ipRules: list(get(set, "ipRules")).map((rule) => text(get(rule, "iPAddressOrRange"))).filter((v): v is string => !!v),
                bypassTrusted: /AzureServices/i.test(text(props.networkRuleBypassOptions) ?? "AzureServices"),
            });
        }
        case "serviceBus":
        case "eventHubs": {
            const ruleSetType = type.kind === "serviceBus" ? resourceTypes.serviceBusRuleSet : resourceTypes.eventHubsRuleSet;
            const [set] = ruleResources(graph, target, ruleSetType, "namespaceName");
            const rules = set ? subnetRulesOf(graph, set, "virtualNetworkRules", list(set.props.virtualNetworkRules).map((rule) => get(rule, "subnet.id"))) : { keys: [], unknown: 0 };
            const ownAccess = publicAccess(props.publicNetworkAccess);
            return finish({
                ...empty,
                publicAccess: ownAccess === "Disabled" || (set && publicAccess(set.props.publicNetworkAccess) === "Disabled") ? "Disabled" : ownAccess,
                defaultAction: set ? defaultAction(set.props.defaultAction, "Allow") : "Allow",
                ipRules: set ? list(set.props.ipRules).map((rule) => text(get(rule, "ipMask"))).filter((v): v is string => !!v) : [],
                subnetRules: rules.keys,
                unknownSubnetRules: rules.unknown,
                bypassTrusted: set?.props.trustedServiceAccessEnabled === true,
            });
        }
    }
}

/** A private endpoint to a target, where it sits and whether its DNS works from that VNet. */
export interface PrivateEndpointInfo {
    resource: NetworkResource;
    groups: string[];
    /** VNet (lower case) of the endpoint's subnet; undefined when not known. */
    vnet?: string;
    /** Zone names (lower case) of the endpoint's DNS zone groups, and the VNets each zone is linked to. */
    zones: { name: string; linkedVnets: string[] }[];
}

function zoneName(graph: StackGraph, holder: NetworkResource, value: unknown): string | undefined {
    const id = text(value);
    if (id) {
        return id.replace(/\/+$/, "").split("/").pop()?.toLowerCase();
    }
    const [zone] = graph.fromDependencies(holder, "privateDnsZoneConfigs", (r) => r.type === resourceTypes.privateZone);
    return zone ? graph.azureName(zone)?.toLowerCase() : undefined;
}

// One scan of the stack per target, not per edge: a target is reached by many edges, and each scan reads every
// resource, which made the check grow faster than linear in the stack's size (npm run bench).
const endpointsCache = new WeakMap<StackGraph, Map<NetworkResource, PrivateEndpointInfo[]>>();

/** The private endpoints to `target`, computed once per graph and target. */
export function privateEndpointsOf(graph: StackGraph, target: NetworkResource): PrivateEndpointInfo[] {
    let byTarget = endpointsCache.get(graph);
    if (!byTarget) {
        byTarget = new Map();
        endpointsCache.set(graph, byTarget);
    }
    let endpoints = byTarget.get(target);
    if (!endpoints) {
        endpoints = scanPrivateEndpoints(graph, target);
        byTarget.set(target, endpoints);
    }
    return endpoints;
}

function scanPrivateEndpoints(graph: StackGraph, target: NetworkResource): PrivateEndpointInfo[] {
    const endpoints: PrivateEndpointInfo[] = [];
    const links = graph.resources.filter((r) => r.type === resourceTypes.virtualNetworkLink);
    const linkedVnets = (zone: string) =>
        links
            .filter((link) => {
                const name = text(link.props.privateZoneName) ?? graph.fromDependencies(link, "privateZoneName", (r) => r.type === resourceTypes.privateZone).map((r) => graph.azureName(r))[0];
                return name?.toLowerCase() === zone;
            })
            .map((link) => graph.vnetOf(link, "virtualNetwork", get(link.props, "virtualNetwork.id")))
            .filter((v): v is string => !!v);
    for (const endpoint of graph.resources) {
        if (endpoint.type !== resourceTypes.privateEndpoint) {
            continue;
        }
        const connections = [...list(endpoint.props.privateLinkServiceConnections), ...list(endpoint.props.manualPrivateLinkServiceConnections)];
        const groups: string[] = [];
        for (const connection of connections) {
            const linked = graph.follow(endpoint, "privateLinkServiceConnections", get(connection, "privateLinkServiceId"), (r) => r === target);
            if (linked.length > 0) {
                groups.push(...list(get(connection, "groupIds")).map((g) => text(g)).filter((g): g is string => !!g));
            }
        }
        if (groups.length === 0) {
            continue;
        }
        const subnets = graph.subnetsOf(endpoint, "subnet", get(endpoint.props, "subnet.id"));
        const vnet = subnets && new Set(subnets.map((s) => s.vnet)).size === 1 ? subnets[0].vnet : undefined;
        const endpointName = graph.azureName(endpoint)?.toLowerCase();
        const zones = graph.resources
            .filter((group) => {
                if (group.type !== resourceTypes.privateDnsZoneGroup) {
                    return false;
                }
                const name = text(group.props.privateEndpointName);
                return name ? name.toLowerCase() === endpointName : (group.propertyDependencies?.privateEndpointName ?? []).includes(endpoint.urn ?? "\u0000");
            })
            .flatMap((group) => list(group.props.privateDnsZoneConfigs).map((config) => zoneName(graph, group, get(config, "privateDnsZoneId"))))
            .filter((z): z is string => !!z)
            .map((name) => ({ name, linkedVnets: linkedVnets(name) }));
        endpoints.push({ resource: endpoint, groups: groups.map((g) => g.toLowerCase()), ...(vnet ? { vnet } : {}), zones });
    }
    return endpoints;
}

export function zoneFor(service: ServiceGroup): string {
    return privateDnsZones[service];
}
