import { resourceTypes, TargetType, targetTypes } from "./catalog";
import { providerSegments, subnetKey, topKey } from "./ids";
import { NetworkResource } from "./types";

/**
 * One index over the declared resources, and the lookups every part of the check shares. A reference (a scope, a
 * subnet, a private link target) is followed by its value when known (an ARM ID, matched by type and Azure name),
 * else through the engine's property dependencies: at preview, IDs of resources still to be created are unknown,
 * but the engine says which resource a property's value came from.
 */

export function record(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** A usable string; anything else (absent, unknown) is not. */
export function text(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Absent, as opposed to present but not known yet. */
export function absent(value: unknown): boolean {
    return value === undefined || value === null;
}

export function get(props: unknown, path: string): unknown {
    let current: unknown = props;
    for (const segment of path.split(".")) {
        const object = record(current);
        if (!object) {
            return typeof current === "symbol" ? current : undefined;
        }
        current = object[segment];
    }
    return current;
}

export interface SubnetInfo {
    /** `vnet/subnet`, lower case. */
    key: string;
    vnet: string;
    name: string;
    /** Service endpoint services, lower case; undefined when not known. */
    serviceEndpoints?: string[];
}

const armTypeOf: Record<string, { arm: string; nameProps: string[] }> = {
    ...Object.fromEntries(Object.entries(targetTypes).map(([type, target]) => [type, { arm: target.arm, nameProps: target.nameProps }])),
    [resourceTypes.userAssignedIdentity]: { arm: "microsoft.managedidentity/userassignedidentities", nameProps: ["resourceName", "name"] },
    [resourceTypes.virtualNetwork]: { arm: "microsoft.network/virtualnetworks", nameProps: ["virtualNetworkName", "name"] },
    [resourceTypes.networkInterface]: { arm: "microsoft.network/networkinterfaces", nameProps: ["networkInterfaceName", "name"] },
    [resourceTypes.privateEndpoint]: { arm: "microsoft.network/privateendpoints", nameProps: ["privateEndpointName", "name"] },
    [resourceTypes.privateZone]: { arm: "microsoft.network/privatednszones", nameProps: ["privateZoneName", "name"] },
    [resourceTypes.webApp]: { arm: "microsoft.web/sites", nameProps: ["name"] },
    [resourceTypes.containerGroup]: { arm: "microsoft.containerinstance/containergroups", nameProps: ["containerGroupName", "name"] },
    [resourceTypes.managedCluster]: { arm: "microsoft.containerservice/managedclusters", nameProps: ["resourceName", "name"] },
    [resourceTypes.logicWorkflow]: { arm: "microsoft.logic/workflows", nameProps: ["workflowName", "name"] },
    [resourceTypes.virtualMachine]: { arm: "microsoft.compute/virtualmachines", nameProps: ["vmName", "name"] },
};

/** Child resources of a guarded target: the property naming the parent, and the storage sub-service they are in. */
const childParent: Record<string, { parentProp: string; service?: "blob" | "queue" | "table" | "file" }> = {
    "azure-native:keyvault:Secret": { parentProp: "vaultName" },
    "azure-native:keyvault:Key": { parentProp: "vaultName" },
    "azure-native:storage:BlobContainer": { parentProp: "accountName", service: "blob" },
    "azure-native:storage:BlobServiceProperties": { parentProp: "accountName", service: "blob" },
    "azure-native:storage:Queue": { parentProp: "accountName", service: "queue" },
    "azure-native:storage:Table": { parentProp: "accountName", service: "table" },
    "azure-native:storage:FileShare": { parentProp: "accountName", service: "file" },
    "azure-native:sql:Database": { parentProp: "serverName" },
    "azure-native:servicebus:Queue": { parentProp: "namespaceName" },
    "azure-native:servicebus:Topic": { parentProp: "namespaceName" },
    "azure-native:eventhub:EventHub": { parentProp: "namespaceName" },
};

export function childServiceOf(type: string): "blob" | "queue" | "table" | "file" | undefined {
    return childParent[type]?.service;
}

export class StackGraph {
    readonly resources: readonly NetworkResource[];
    private readonly byUrn = new Map<string, NetworkResource>();
    private readonly byId = new Map<string, NetworkResource>();
    private readonly byKey = new Map<string, NetworkResource>();
    private readonly subnets = new Map<string, SubnetInfo>();
    private readonly vnetSubnets = new Map<string, SubnetInfo[]>();
    private readonly vnetLabels = new Map<string, string>();

    constructor(resources: readonly NetworkResource[]) {
        this.resources = resources;
        for (const resource of resources) {
            if (resource.urn) {
                this.byUrn.set(resource.urn, resource);
            }
            if (resource.id) {
                this.byId.set(resource.id.replace(/\/+$/, "").toLowerCase(), resource);
            }
            const key = this.keyOf(resource);
            if (key && !this.byKey.has(key)) {
                this.byKey.set(key, resource);
            }
        }
        for (const resource of resources) {
            if (resource.type === resourceTypes.virtualNetwork) {
                const vnet = this.vnetKey(resource);
                for (const subnet of list(resource.props.subnets)) {
                    this.addSubnet(vnet, text(get(subnet, "name")), get(subnet, "serviceEndpoints"));
                }
            } else if (resource.type === resourceTypes.subnet) {
                const vnetName = this.parentVnetOf(resource);
                this.addSubnet(vnetName, text(resource.props.subnetName) ?? text(resource.props.name), resource.props.serviceEndpoints);
            }
        }
    }

    private addSubnet(vnet: string | undefined, name: string | undefined, endpoints: unknown): void {
        if (!vnet || !name) {
            return;
        }
        const known = Array.isArray(endpoints) || absent(endpoints);
        const info: SubnetInfo = {
            key: `${vnet.toLowerCase()}/${name.toLowerCase()}`,
            vnet: vnet.toLowerCase(),
            name,
            ...(known ? { serviceEndpoints: list(endpoints).map((entry) => text(get(entry, "service"))?.toLowerCase()).filter((s): s is string => !!s) } : {}),
        };
        this.subnets.set(info.key, info);
        const siblings = this.vnetSubnets.get(info.vnet) ?? [];
        siblings.push(info);
        this.vnetSubnets.set(info.vnet, siblings);
    }

    /** The Azure name of a resource: its first known name property. */
    azureName(resource: NetworkResource): string | undefined {
        const props = armTypeOf[resource.type]?.nameProps ?? ["name"];
        for (const prop of props) {
            const value = text(resource.props[prop]);
            if (value) {
                return value;
            }
        }
        return resource.id ? providerSegments(resource.id).pop()?.[1] : undefined;
    }

    private keyOf(resource: NetworkResource): string | undefined {
        const arm = armTypeOf[resource.type];
        const name = arm ? this.azureName(resource) : undefined;
        return arm && name ? `${arm.arm}/${name}`.toLowerCase() : undefined;
    }

    byUrnOf(urn: string): NetworkResource | undefined {
        return this.byUrn.get(urn);
    }

    /** The declared resource an ARM ID names (exactly, or by type and name of its top-level resource). */
    byArmId(id: string): NetworkResource | undefined {
        const exact = this.byId.get(id.replace(/\/+$/, "").toLowerCase());
        if (exact) {
            return exact;
        }
        const key = topKey(id);
        return key ? this.byKey.get(key) : undefined;
    }

    /** The declared top-level resource an ARM ID lies under (`.../vaults/kv/secrets/s` → the vault). */
    byTopOf(id: string): NetworkResource | undefined {
        const key = topKey(id);
        return key ? this.byKey.get(key) : undefined;
    }

    byTypeAndName(arm: string, name: string): NetworkResource | undefined {
        return this.byKey.get(`${arm}/${name}`.toLowerCase());
    }

    /** Resources a property's value came from, per the engine, of the wanted types. */
    fromDependencies(holder: NetworkResource, prop: string, wanted: (resource: NetworkResource) => boolean): NetworkResource[] {
        return (holder.propertyDependencies?.[prop] ?? []).map((urn) => this.byUrn.get(urn)).filter((r): r is NetworkResource => !!r && wanted(r));
    }

    /**
     * A VNet's key: its Azure name, or its URN while the name is not known (a generated name at preview), so that
     * subnets and links found through dependencies still meet.
     */
    vnetKey(vnet: NetworkResource): string | undefined {
        const name = this.azureName(vnet);
        const key = name ? name.toLowerCase() : vnet.urn ? `urn:${vnet.urn}`.toLowerCase() : undefined;
        if (key && !this.vnetLabels.has(key)) {
            this.vnetLabels.set(key, name ?? vnet.name);
        }
        return key;
    }

    /** How messages name a VNet: its Azure name, or its logical name while that is unknown. */
    vnetLabel(key: string): string {
        return this.vnetLabels.get(key) ?? key;
    }

    /** How messages name a subnet: `vnet/subnet`. */
    subnetLabel(subnet: SubnetInfo): string {
        return `${this.vnetLabel(subnet.vnet)}/${subnet.name}`;
    }

    private parentVnetOf(subnet: NetworkResource): string | undefined {
        const named = text(subnet.props.virtualNetworkName);
        if (named) {
            return named.toLowerCase();
        }
        const [vnet] = this.fromDependencies(subnet, "virtualNetworkName", (resource) => resource.type === resourceTypes.virtualNetwork);
        return vnet ? this.vnetKey(vnet) : undefined;
    }

    /** Follows an ID-valued property: by value when known, else through the engine's dependencies of `prop`. */
    follow(holder: NetworkResource, prop: string, value: unknown, wanted: (resource: NetworkResource) => boolean): NetworkResource[] {
        const id = text(value);
        if (id) {
            const found = this.byArmId(id);
            return found && wanted(found) ? [found] : [];
        }
        return this.fromDependencies(holder, prop, wanted);
    }

    /** The guarded target a resource is or lies under (a vault for a secret), with the storage sub-service. */
    guardedParent(resource: NetworkResource): { target: NetworkResource; type: TargetType; service?: "blob" | "queue" | "table" | "file" } | undefined {
        const own = targetTypes[resource.type];
        if (own) {
            return { target: resource, type: own };
        }
        const child = childParent[resource.type];
        if (!child) {
            return undefined;
        }
        const parentName = text(resource.props[child.parentProp]);
        const candidates = Object.entries(targetTypes).filter(([, type]) => type.nameProps[0] === child.parentProp);
        let parent: NetworkResource | undefined;
        if (parentName) {
            parent = candidates.map(([, type]) => this.byTypeAndName(type.arm, parentName)).find(Boolean);
        }
        if (!parent && resource.id) {
            parent = this.byArmId(resource.id);
        }
        if (!parent) {
            [parent] = this.fromDependencies(resource, child.parentProp, (r) => targetTypes[r.type] !== undefined);
        }
        return parent && targetTypes[parent.type] ? { target: parent, type: targetTypes[parent.type], ...(child.service ? { service: child.service } : {}) } : undefined;
    }

    subnetByKey(key: string): SubnetInfo | undefined {
        return this.subnets.get(key);
    }

    subnetsOfVnet(vnet: string): SubnetInfo[] {
        return this.vnetSubnets.get(vnet.toLowerCase()) ?? [];
    }

    /**
     * The subnet a subnet-valued property names: by ID when known (a subnet the stack does not declare keeps its
     * name, with unknown service endpoints), else every subnet of the VNet or Subnet resource the value came from.
     * `undefined` when nothing says.
     */
    subnetsOf(holder: NetworkResource, prop: string, value: unknown): SubnetInfo[] | undefined {
        const id = text(value);
        if (id) {
            const key = subnetKey(id);
            if (!key) {
                return undefined;
            }
            const [vnet, name] = key.split("/");
            return [this.subnets.get(key) ?? { key, vnet, name }];
        }
        const sources = this.fromDependencies(holder, prop, (r) => r.type === resourceTypes.virtualNetwork || r.type === resourceTypes.subnet);
        const direct = sources.filter((r) => r.type === resourceTypes.subnet).map((r) => this.subnetOfResource(r)).filter((s): s is SubnetInfo => !!s);
        if (direct.length > 0) {
            return direct;
        }
        const vnets = sources.filter((r) => r.type === resourceTypes.virtualNetwork);
        const all = vnets.flatMap((vnet) => this.subnetsOfVnet(this.vnetKey(vnet) ?? ""));
        return all.length > 0 ? all : undefined;
    }

    private subnetOfResource(subnet: NetworkResource): SubnetInfo | undefined {
        const vnet = this.parentVnetOf(subnet);
        const name = text(subnet.props.subnetName) ?? text(subnet.props.name);
        return vnet && name ? this.subnets.get(`${vnet}/${name}`.toLowerCase()) : undefined;
    }

    /** The VNet name (lower case) a VNet-valued reference names. */
    vnetOf(holder: NetworkResource, prop: string, value: unknown): string | undefined {
        const id = text(value);
        if (id) {
            const [first] = providerSegments(id);
            return first && first[0].toLowerCase() === "microsoft.network/virtualnetworks" ? first[1].toLowerCase() : undefined;
        }
        const [vnet] = this.fromDependencies(holder, prop, (r) => r.type === resourceTypes.virtualNetwork);
        return vnet ? this.vnetKey(vnet) : undefined;
    }
}
