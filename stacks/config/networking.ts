import { parseCidr, cidrsOverlap } from "../../infra/shared/cidr";
import { endpointService, PrivateLinkTarget, privateDnsZoneName, privateEndpointProblems } from "../../infra/network/privateEndpoints";
import { containerRegistryProblems, RegistrySku } from "../../infra/containers/ContainerRegistry";
import { eventHubsNamespaceProblems, serviceBusNamespaceProblems } from "../../infra/messaging";
import { MessagingSku } from "../../infra/messaging/names";
import { PrivateEndpointArgs } from "../../infra/network/privateEndpoints";
import { Problems } from "../../infra/shared/problems";
import { configNamespace } from "./format";
import { GrantTargetRef, ResolvedGrant, ResolvedSqlGrant } from "./grants";
import { PrivateEndpointConfig, Sections } from "./sections";

/**
 * How a stack's network lets its workloads reach the data services: which sub-services get a private endpoint,
 * and the config checks that keep every declared grant reachable (the subnets, the operator ranges, the skus).
 */

/** The stack config sections whose services take private endpoints, with their private link target. */
export const endpointSections = {
    vaults: "vault",
    storage: "storageAccount",
    registries: "registry",
    serviceBus: "serviceBus",
    eventHubs: "eventHub",
    sqlServers: "sqlServer",
} as const satisfies Record<string, PrivateLinkTarget>;
export type EndpointSection = keyof typeof endpointSections;

/** A sub-service a workload uses: `storage/appdata/queue`. */
export interface ServiceUse {
    section: EndpointSection;
    name: string;
    service: string;
}

const storageServiceOfRole = (role: string): string[] => {
    const found = ["Blob", "Queue", "Table", "File"].filter((word) => role.includes(word)).map((word) => word.toLowerCase());
    return found.length > 0 ? found : ["blob", "queue", "table"];
};

/** The sub-services a grant's target is reached through. */
export function usesOfGrant(role: string, target: GrantTargetRef): ServiceUse[] {
    const one = (section: EndpointSection, service: string): ServiceUse[] => [{ section, name: target.service, service }];
    switch (target.kind) {
        case "vault":
        case "secret":
        case "key":
            return one("vaults", "vault");
        case "storageAccount":
            return storageServiceOfRole(role).map((service) => ({ section: "storage", name: target.service, service }));
        case "container":
            return one("storage", "blob");
        case "queue":
            return one("storage", "queue");
        case "table":
            return one("storage", "table");
        case "registry":
            return one("registries", "registry");
        case "serviceBus":
        case "serviceBusQueue":
        case "serviceBusTopic":
            return one("serviceBus", "namespace");
        case "eventHub":
        case "eventHubInstance":
            return one("eventHubs", "namespace");
        default:
            return [];
    }
}

export interface EndpointPlanInput {
    sections: Pick<Sections, EndpointSection | "hardening">;
    grants: readonly ResolvedGrant[];
    sqlGrants: readonly ResolvedSqlGrant[];
    /** Uses that no grant names, such as a Function app's host storage or a cluster's registry. */
    otherUses: readonly ServiceUse[];
}

/** A private endpoint the stack declares: on a service, for a sub-service, in a stack subnet (by name). */
export interface PlannedEndpoint extends ServiceUse {
    subnet: string;
    privateDnsZone?: string;
}

/**
 * The private endpoints a stack declares. Every SQL server gets one (SQL servers have no public endpoint here);
 * a privateNetwork stack also gives every vault one (the deploy writes secrets through it) and every sub-service a
 * workload uses. Entries in a service's `privateEndpoints` are added as written.
 */
export function plannedEndpoints(input: EndpointPlanInput, endpointSubnet: string | undefined): PlannedEndpoint[] {
    const planned = new Map<string, PlannedEndpoint>();
    const add = (use: ServiceUse, subnet: string | undefined, privateDnsZone?: string) => {
        const key = `${use.section}/${use.name}/${use.service}/${subnet}`;
        if (subnet !== undefined && !planned.has(key)) {
            planned.set(key, { ...use, subnet, privateDnsZone });
        }
    };
    const { sections } = input;
    for (const name of Object.keys(sections.sqlServers ?? {})) {
        add({ section: "sqlServers", name, service: "sqlServer" }, endpointSubnet);
    }
    if (sections.hardening?.privateNetwork) {
        for (const name of Object.keys(sections.vaults ?? {})) {
            add({ section: "vaults", name, service: "vault" }, endpointSubnet);
        }
        const used = [...input.grants.flatMap((grant) => usesOfGrant(grant.role, grant.target)), ...input.otherUses];
        used.sort((a, b) => `${a.section}/${a.name}/${a.service}`.localeCompare(`${b.section}/${b.name}/${b.service}`));
        used.forEach((use) => add(use, endpointSubnet));
    }
    for (const section of Object.keys(endpointSections) as EndpointSection[]) {
        for (const [name, spec] of Object.entries((sections[section] ?? {}) as Record<string, { privateEndpoints: PrivateEndpointConfig[] }>)) {
            for (const entry of spec.privateEndpoints) {
                const service = endpointService(endpointSections[section], entry);
                if (service !== undefined) {
                    add({ section, name, service }, entry.subnet, entry.privateDnsZone);
                }
            }
        }
    }
    return [...planned.values()];
}

/** The `privatelink.*` zone a planned endpoint registers in. */
export function zoneOf(endpoint: ServiceUse): string {
    return privateDnsZoneName(endpointSections[endpoint.section], endpoint.service)!;
}

// Documentation (RFC 5737) and benchmarking (RFC 2544) ranges: no operator's traffic comes from them.
const placeholderRanges = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15"].map(parseCidr);

type NetworkSection = Sections["network"];

/** The stack-level network checks: operator ranges, the endpoint subnet, and each service's own endpoints. */
export function checkNetworking(parsed: Partial<Sections>, problems: Problems): void {
    const network = parsed.network;
    const hardening = parsed.hardening;
    if (!network || !hardening) {
        return;
    }
    checkOperatorRanges(parsed, network, hardening.privateNetwork, problems);
    const subnets = network.subnets;
    const delegationOf = (name: string) => {
        const spec = subnets[name];
        return typeof spec === "object" ? spec.delegation : undefined;
    };
    const needsEndpointSubnet = hardening.privateNetwork || Object.keys(parsed.sqlServers ?? {}).length > 0;
    const path = `${configNamespace}.network.endpointSubnet`;
    if (network.endpointSubnet === undefined) {
        if (needsEndpointSubnet) {
            const why = hardening.privateNetwork ? "hardening.privateNetwork reaches every data service through a private endpoint" : "a SQL server has no public endpoint and is reached through a private endpoint";
            problems.add(`${path}: missing; ${why}, so name the subnet they go in (one of ${Object.keys(subnets).join(", ")}, without a delegation)`);
        }
    } else if (!Object.prototype.hasOwnProperty.call(subnets, network.endpointSubnet)) {
        problems.add(`${path}: unknown subnet "${network.endpointSubnet}"; expected one of ${Object.keys(subnets).join(", ")}`);
    } else if (delegationOf(network.endpointSubnet)) {
        problems.add(`${path}: subnet "${network.endpointSubnet}" is delegated to ${delegationOf(network.endpointSubnet)}, which takes no private endpoints; expected a subnet without a delegation`);
    }

    for (const section of Object.keys(endpointSections) as EndpointSection[]) {
        for (const [name, spec] of Object.entries((parsed[section] ?? {}) as Record<string, { privateEndpoints: PrivateEndpointConfig[]; sku?: string }>)) {
            const prefix = `${configNamespace}.${section}.${name}`;
            spec.privateEndpoints.forEach((entry, index) => {
                const key = `${prefix}.privateEndpoints[${index}].subnet`;
                if (entry.subnet.startsWith("/")) {
                    problems.add(
                        `${key}: "${entry.subnet}" is outside the stack's virtual network; expected one of its subnets (${Object.keys(subnets).join(", ")}): ` +
                            `its workloads resolve and reach only endpoints in their own network`,
                    );
                } else if (!Object.prototype.hasOwnProperty.call(subnets, entry.subnet)) {
                    problems.add(`${key}: unknown subnet "${entry.subnet}"; expected one of the stack's subnets (${Object.keys(subnets).join(", ")})`);
                } else if (delegationOf(entry.subnet)) {
                    problems.add(`${key}: subnet "${entry.subnet}" is delegated to ${delegationOf(entry.subnet)}, which takes no private endpoints; expected a subnet without a delegation`);
                }
            });
            // The component's own checks (sub-service, zone name, sku), with a stand-in subnet ID: subnets are checked above.
            const standIn = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/s";
            const entries = spec.privateEndpoints.map((entry) => ({ ...entry, subnet: standIn }));
            for (const problem of componentEndpointProblems(section, spec.sku, entries)) {
                problems.add(`${prefix}.${problem}`);
            }
        }
    }
    if (hardening.privateNetwork) {
        for (const [name, spec] of Object.entries(parsed.registries ?? {})) {
            if (spec.sku !== "Premium") {
                problems.add(`${configNamespace}.registries.${name}.sku: "${spec.sku}" takes no private endpoint, and hardening.privateNetwork closes the public one; expected Premium`);
            }
        }
        for (const [name, spec] of Object.entries(parsed.serviceBus ?? {})) {
            if (spec.sku !== "Premium") {
                problems.add(`${configNamespace}.serviceBus.${name}.sku: "${spec.sku}" takes no private endpoint, and hardening.privateNetwork closes the public one; expected Premium`);
            }
        }
    }
}

/** Why the stack needs the operators' ranges: what it declares that only they (or the deploy runner) must reach. */
function operatorRangeNeed(parsed: Partial<Sections>): string | undefined {
    const vault = Object.entries(parsed.vaults ?? {}).find(([, spec]) => Object.keys(spec.secrets).length > 0)?.[0];
    if (vault !== undefined) {
        return `vault "${vault}" holds secrets the deploy writes, and replacing or deleting them goes through its data plane`;
    }
    return undefined;
}

/** A component's endpoint checks, which for registries and namespaces include their sku. */
function componentEndpointProblems(section: EndpointSection, sku: string | undefined, entries: PrivateEndpointArgs[]): string[] {
    if (entries.length === 0) {
        return [];
    }
    const resourceGroupName = "rg";
    switch (section) {
        case "registries":
            return containerRegistryProblems({ resourceGroupName, sku: sku as RegistrySku, privateEndpoints: entries });
        case "serviceBus":
            return serviceBusNamespaceProblems({ resourceGroupName, sku: sku as MessagingSku, privateEndpoints: entries });
        case "eventHubs":
            return eventHubsNamespaceProblems({ resourceGroupName, sku: sku as MessagingSku, privateEndpoints: entries });
        default:
            return privateEndpointProblems(endpointSections[section], entries);
    }
}

function checkOperatorRanges(parsed: Partial<Sections>, network: NetworkSection, privateNetwork: boolean, problems: Problems): void {
    const path = `${configNamespace}.network.allowedIps`;
    if (privateNetwork) {
        if (network.allowedIps.length > 0) {
            problems.add(`${path}: hardening.privateNetwork closes every public endpoint, so these ranges would admit nothing; remove them (operators work through the network, see docs/deploy.md)`);
        }
        return;
    }
    const need = operatorRangeNeed(parsed);
    if (network.allowedIps.length === 0 && need !== undefined) {
        problems.add(
            `${path}: missing; ${need}, which without hardening.privateNetwork admits the stack's subnets and the operators' public egress ranges only; ` +
                `expected at least one range (set it with \`pulumi config set --path '${configNamespace}:network.allowedIps[0]' <range>\`, see docs/deploy.md)`,
        );
    }
    network.allowedIps.forEach((entry, index) => {
        const parsed = parseCidr(entry.includes("/") ? entry : `${entry}/32`);
        const placeholder = placeholderRanges.find((range) => cidrsOverlap(range, parsed));
        if (placeholder) {
            problems.add(
                `${path}[${index}]: ${entry} lies in ${placeholder.text}, a documentation or benchmarking range that no operator's traffic comes from; ` +
                    `expected your operators' public egress range`,
            );
        }
    });
}
