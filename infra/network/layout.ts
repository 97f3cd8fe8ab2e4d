import { azureReservedRanges, cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../shared/cidr";

/** One subnet of a `Network`. */
export interface SubnetSpec {
    /** IPv4 CIDR inside the network's address space, /29 or larger, such as `10.20.1.0/24`. */
    addressPrefix: string;
    /**
     * Service the subnet is delegated to, such as `Microsoft.Web/serverFarms` for App Service VNet integration.
     * A delegated subnet serves only that service. Defaults to none.
     */
    delegation?: string;
    /**
     * Service endpoints, such as `Microsoft.KeyVault` or `Microsoft.Storage`, so that a vault or storage
     * firewall can admit this subnet by its ID. Defaults to none.
     */
    serviceEndpoints?: string[];
}

/** Azure's smallest IPv4 subnet: 8 addresses, 5 of which Azure reserves. */
export const smallestSubnetPrefix = 29;

/** Delegations that need more room than the smallest subnet; App Service VNet integration needs at least /28. */
export const delegationSmallestPrefix: Readonly<Record<string, number>> = {
    "Microsoft.Web/serverFarms": 28,
};

/**
 * Subnets Azure reserves for gateways, Bastion, Firewall and Route Server. Each needs its own network rules
 * (Bastion must accept HTTPS from the Internet, gateways refuse an NSG), which this deny-by-default network
 * does not give, so they are refused here rather than broken at deploy time.
 */
export const reservedSubnetNames: readonly string[] = [
    "GatewaySubnet",
    "AzureBastionSubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "RouteServerSubnet",
];

const subnetNamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/;
// Microsoft.Web/serverFarms, or a partner service such as GitHub.Network/networkSettings (private runners).
const delegationPattern = /^[A-Za-z]+\.[A-Za-z]+(?:\.[A-Za-z]+)*\/[A-Za-z]+$/i;
const serviceEndpointPattern = /^Microsoft\.[A-Za-z]+(?:\.[A-Za-z]+)?$/i;

function tryParse(problems: string[], key: string, value: unknown): Ipv4Cidr | undefined {
    try {
        return parseCidr(value as string);
    } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
        return undefined;
    }
}

/**
 * Checks a network's address plan and subnet settings; returns one message per problem, each naming the
 * offending key (`addressSpace`, `subnets.<name>...`).
 */
export function validateNetworkLayout(addressSpace: string, subnets: Record<string, SubnetSpec>): string[] {
    const problems: string[] = [];
    const space = tryParse(problems, "addressSpace", addressSpace);
    if (space) {
        if (space.prefix > smallestSubnetPrefix) {
            problems.push(`addressSpace "${space.text}" is smaller than one subnet (/${smallestSubnetPrefix}); use /${smallestSubnetPrefix} or larger.`);
        }
        for (const reserved of azureReservedRanges) {
            if (cidrsOverlap(space, reserved)) {
                problems.push(`addressSpace "${space.text}" overlaps ${reserved}, which Azure reserves; use a private range such as 10.0.0.0/16.`);
            }
        }
    }
    if (!subnets || typeof subnets !== "object" || Object.keys(subnets).length === 0) {
        problems.push(`subnets must name at least one subnet, such as { app: { addressPrefix: "10.20.1.0/24" } }; got ${JSON.stringify(subnets)}.`);
        return problems;
    }

    const parsed: Array<{ name: string; cidr: Ipv4Cidr }> = [];
    for (const [name, spec] of Object.entries(subnets)) {
        const key = `subnets.${name}`;
        if (!subnetNamePattern.test(name)) {
            problems.push(`${key}: a subnet name is 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit and ending with a letter, digit or '_'.`);
        }
        if (reservedSubnetNames.some((reserved) => reserved.toLowerCase() === name.toLowerCase())) {
            problems.push(`${key}: "${name}" is reserved by Azure for a gateway, Bastion, Firewall or Route Server and needs rules this network does not declare.`);
        }
        if (!spec || typeof spec !== "object") {
            problems.push(`${key} must be an object such as { addressPrefix: "10.20.1.0/24" }; got ${JSON.stringify(spec)}.`);
            continue;
        }
        const cidr = tryParse(problems, `${key}.addressPrefix`, spec.addressPrefix);
        if (cidr) {
            if (cidr.prefix > smallestSubnetPrefix) {
                problems.push(`${key}.addressPrefix "${cidr.text}" is smaller than Azure's smallest subnet (/${smallestSubnetPrefix}).`);
            }
            if (space && !cidrContains(space, cidr)) {
                problems.push(`${key}.addressPrefix "${cidr.text}" is outside the address space "${space.text}".`);
            }
            for (const other of parsed) {
                if (cidrsOverlap(other.cidr, cidr)) {
                    problems.push(`${key}.addressPrefix "${cidr.text}" overlaps subnets.${other.name} "${other.cidr.text}".`);
                }
            }
            parsed.push({ name, cidr });
        }
        if (spec.delegation !== undefined) {
            if (typeof spec.delegation !== "string" || !delegationPattern.test(spec.delegation)) {
                problems.push(`${key}.delegation "${String(spec.delegation)}" must be a service name such as Microsoft.Web/serverFarms.`);
            } else {
                const service = spec.delegation.toLowerCase();
                const needed = Object.entries(delegationSmallestPrefix).find(([known]) => known.toLowerCase() === service)?.[1];
                if (cidr && needed !== undefined && cidr.prefix > needed) {
                    problems.push(`${key}.addressPrefix "${cidr.text}" is too small for ${spec.delegation}: use /${needed} or larger.`);
                }
            }
        }
        if (spec.serviceEndpoints !== undefined) {
            if (!Array.isArray(spec.serviceEndpoints)) {
                problems.push(`${key}.serviceEndpoints must be a list such as ["Microsoft.KeyVault", "Microsoft.Storage"]; got ${JSON.stringify(spec.serviceEndpoints)}.`);
            } else {
                const seen = new Set<string>();
                spec.serviceEndpoints.forEach((service, index) => {
                    if (typeof service !== "string" || !serviceEndpointPattern.test(service)) {
                        problems.push(`${key}.serviceEndpoints[${index}] "${String(service)}" must be a service such as Microsoft.KeyVault or Microsoft.Storage.`);
                    } else if (seen.has(service.toLowerCase())) {
                        problems.push(`${key}.serviceEndpoints[${index}] "${service}" is listed twice.`);
                    }
                    seen.add(String(service).toLowerCase());
                });
            }
        }
    }
    return problems;
}
