import { resourceTypes } from "./catalog";
import { absent, get, list, StackGraph, SubnetInfo, text } from "./graph";
import { NetworkResource } from "./types";

/**
 * Where a workload's calls come from. `placements` must all reach (every AKS node pool); each placement is one of
 * its `alternatives` when a subnet is not known yet (preview), and the check answers only when they agree.
 */
export type Placement =
    | { kind: "subnet"; subnet: SubnetInfo }
    /** Outside every VNet the stack declares: App Service's shared outbound, an AKS-managed VNet, a multi-tenant service. */
    | { kind: "outside"; where: string; fix: string }
    | { kind: "unknown"; reason: string };

export interface SourcePosition {
    resource: NetworkResource;
    placements: Placement[][];
    /** App Service: all outbound traffic goes through the integration subnet. */
    routeAll: boolean;
    /** A Linux App Service app (Key Vault references to a private endpoint need route-all). */
    linuxApp: boolean;
    /** Public addresses the calls leave from, when the outputs say (App Service without VNet integration). */
    egressIps: string[];
}

const siteTypes = new Set<string>([resourceTypes.webApp, resourceTypes.webAppSlot]);

function one(placement: Placement): Placement[][] {
    return [[placement]];
}

function subnetPlacements(subnets: SubnetInfo[] | undefined, what: string): Placement[] {
    return subnets && subnets.length > 0 ? subnets.map((subnet) => ({ kind: "subnet", subnet })) : [{ kind: "unknown", reason: `the subnet of ${what} is not known` }];
}

function siteRouteAll(props: Record<string, unknown>): boolean {
    return get(props, "vnetRouteAllEnabled") === true || get(props, "siteConfig.vnetRouteAllEnabled") === true || get(props, "outboundVnetRouting.allTraffic") === true;
}

function ipList(value: unknown): string[] {
    return (text(value) ?? "")
        .split(",")
        .map((ip) => ip.trim())
        .filter(Boolean);
}

/** The network position of a workload as a caller. `role` tells an AKS cluster's nodes from its control plane. */
export function positionOf(graph: StackGraph, resource: NetworkResource, role: "workload" | "control-plane" = "workload"): SourcePosition {
    const base = { resource, routeAll: false, linuxApp: false, egressIps: [] as string[] };
    const props = resource.props;
    if (siteTypes.has(resource.type)) {
        const subnetId = props.virtualNetworkSubnetId;
        const linuxApp = /linux/i.test(text(props.kind) ?? "");
        if (absent(subnetId)) {
            return {
                ...base,
                linuxApp,
                egressIps: [...ipList(props.outboundIpAddresses), ...ipList(props.possibleOutboundIpAddresses)],
                placements: one({
                    kind: "outside",
                    where: "App Service's shared outbound addresses (no VNet integration)",
                    fix: "integrate the app with a stack subnet (virtualNetworkSubnetId, delegated to Microsoft.Web/serverFarms) that the target admits",
                }),
            };
        }
        return { ...base, linuxApp, routeAll: siteRouteAll(props), placements: [subnetPlacements(graph.subnetsOf(resource, "virtualNetworkSubnetId", subnetId), `app ${resource.name}`)] };
    }
    if (resource.type === resourceTypes.virtualMachine) {
        const nics = list(get(props, "networkProfile.networkInterfaces"));
        const placements = nics.map((nic) => {
            const [found] = graph.follow(resource, "networkProfile", get(nic, "id"), (r) => r.type === resourceTypes.networkInterface);
            if (!found) {
                return [{ kind: "unknown", reason: `the network interface of VM ${resource.name} is not declared in the stack` } as Placement];
            }
            const configs = list(found.props.ipConfigurations);
            return configs.flatMap((config) => subnetPlacements(graph.subnetsOf(found, "ipConfigurations", get(config, "subnet.id")), `VM ${resource.name}`));
        });
        return { ...base, placements: placements.length > 0 ? placements : one({ kind: "unknown", reason: `VM ${resource.name} has no network interface the check can read` }) };
    }
    if (resource.type === resourceTypes.containerGroup) {
        const ids = props.subnetIds;
        if (absent(ids) || (Array.isArray(ids) && ids.length === 0)) {
            return {
                ...base,
                placements: one({
                    kind: "outside",
                    where: "Container Instances' public network (no subnetIds)",
                    fix: "deploy the container group into a stack subnet (subnetIds, delegated to Microsoft.ContainerInstance/containerGroups) that the target admits",
                }),
            };
        }
        const entries = list(ids);
        return { ...base, placements: [entries.flatMap((entry) => subnetPlacements(graph.subnetsOf(resource, "subnetIds", get(entry, "id")), `container group ${resource.name}`))] };
    }
    if (resource.type === resourceTypes.managedCluster) {
        if (role === "control-plane") {
            return { ...base, placements: one({ kind: "outside", where: "the AKS control plane", fix: "grant data-plane roles to the kubelet or a workload identity, not the control-plane identity" }) };
        }
        const pools = list(props.agentPoolProfiles);
        const placements = pools.map((pool): Placement[] => {
            const subnet = get(pool, "vnetSubnetID");
            if (absent(subnet)) {
                return [
                    {
                        kind: "outside",
                        where: `the AKS-managed VNet of node pool ${text(get(pool, "name")) ?? "?"} (no vnetSubnetID)`,
                        fix: "put every node pool in a stack subnet (agentPoolProfiles[].vnetSubnetID) that the target admits, with Network Contributor on that subnet for the control-plane identity",
                    },
                ];
            }
            return subnetPlacements(graph.subnetsOf(resource, "agentPoolProfiles", subnet), `a node pool of ${resource.name}`);
        });
        return { ...base, placements: placements.length > 0 ? placements : one({ kind: "unknown", reason: `cluster ${resource.name} has no node pool the check can read` }) };
    }
    if (resource.type === resourceTypes.logicWorkflow) {
        // A workflow in an integration service environment runs in a VNet; a Consumption workflow is multi-tenant.
        if (!absent(props.integrationServiceEnvironment)) {
            return { ...base, placements: one({ kind: "unknown", reason: `workflow ${resource.name} runs in an integration service environment the check does not model` }) };
        }
        return {
            ...base,
            placements: one({
                kind: "outside",
                where: "Logic Apps' multi-tenant service (Consumption cannot join a VNet)",
                fix: "let the workflow in as a trusted service (storage: bypass AzureServices or a resource instance rule for the workflow), or move it to a Standard logic app with VNet integration",
            }),
        };
    }
    if (props.identity !== undefined) {
        return { ...base, placements: one({ kind: "unknown", reason: `the check does not model the network of ${resource.type.split(":").pop()} ${resource.name}` }) };
    }
    return { ...base, placements: one({ kind: "unknown", reason: `${resource.name} is not a workload the check models` }) };
}

/** A caller outside Azure that signs in through a federated credential (a CI runner). */
export function outsideCaller(label: string): Placement[][] {
    return one({
        kind: "outside",
        where: `${label}, on the public internet`,
        fix: "run the job on a runner inside the VNet, or admit the runner's egress addresses in the target's firewall",
    });
}
