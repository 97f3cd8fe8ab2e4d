import * as pulumi from "@pulumi/pulumi";
import { cidrContainsAddress, formatIpv4, networkAddress, parseCidr, parseIpv4Entry } from "./cidr";
import { Problems } from "./problems";

/**
 * One network shape for every data service (Key Vault, Storage): closed by default, opened only to what is listed.
 *
 * Semantics, as Azure applies them:
 * - Nothing set: `publicNetworkAccess: Disabled`. Only private endpoints (and trusted Azure services, when
 *   `allowTrustedServices` is on) reach the service; Azure ignores the firewall rules entirely.
 * - Allowances listed: `publicNetworkAccess: Enabled` with the firewall's `defaultAction: Deny`, so only the
 *   listed public IPs and subnets (through their service endpoint) reach the public endpoint. "Enabled" here
 *   does not mean open to the internet.
 * - `allowAllNetworks`: `publicNetworkAccess: Enabled` with `defaultAction: Allow`. Every network may reach the
 *   public endpoint; every call still needs an Entra token and a role.
 *
 * Control-plane writes (creating containers, or secrets through Azure Resource Manager) are not subject to
 * these rules; data-plane calls are, including the deletion of vault secrets on `pulumi destroy`.
 */
export interface NetworkAccessArgs {
    /**
     * Accept traffic on the public endpoint, limited to `allowedIps` and `allowedSubnetIds`. Defaults to false,
     * or to true when allowances are listed. Setting it to false while listing allowances is an error, because
     * Azure would silently ignore them.
     */
    publicNetworkAccess?: boolean;
    /** Public IPv4 addresses or CIDR ranges allowed through the firewall, such as `203.0.113.7` or `203.0.113.0/24`. Defaults to none. */
    allowedIps?: string[];
    /**
     * Resource IDs of subnets allowed through the firewall. Each subnet needs the service endpoint
     * (`Microsoft.KeyVault`, `Microsoft.Storage`) enabled. Defaults to none.
     */
    allowedSubnetIds?: pulumi.Input<string>[];
    /**
     * Let Azure's trusted first-party services bypass the firewall (`bypass: AzureServices`). They still need a
     * role assignment to read data. Defaults to false (`bypass: None`): no Keyless workload depends on that path.
     */
    allowTrustedServices?: boolean;
    /**
     * Every network may reach the public endpoint; every call still needs an Entra token and a role (the
     * services built on this shape accept no keys). For callers without fixed addresses, such as GitHub-hosted
     * runners, and for dev stacks. Cannot be combined with `allowedIps`, `allowedSubnetIds` or
     * `publicNetworkAccess: false`. Defaults to false.
     */
    allowAllNetworks?: boolean;
}

/** What a service's network properties are built from, after defaults and validation. */
export interface ResolvedNetworkAccess {
    publicNetworkAccess: "Enabled" | "Disabled";
    defaultAction: "Deny" | "Allow";
    bypass: "AzureServices" | "None";
    ipRules: string[];
    subnetIds: pulumi.Input<string>[];
}

/** Per-service rules for IP firewall entries. */
export interface IpRuleOptions {
    /** Azure Storage refuses `/31` and `/32` ranges; a single address must be written without a prefix. */
    refuseHostPrefixes?: boolean;
}

/** True for a dotted IPv4 address (`203.0.113.7`) or an IPv4 CIDR range (`203.0.113.0/24`). No leading zeros. */
export function isIpv4OrCidr(value: string): boolean {
    return parseIpv4Entry(value) !== undefined;
}

/** RFC 1918 ranges: traffic from them reaches Azure through a subnet rule or private endpoint, never an IP rule. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(parseCidr);

/**
 * Why one firewall IP entry would be refused or would not do what it says, or undefined when it is fine.
 * `key` names the input in the message, for example `network.allowedIps[2]`.
 */
export function ipRuleProblem(key: string, value: string, options: IpRuleOptions = {}): string | undefined {
    const entry = parseIpv4Entry(value);
    if (!entry) {
        return `${key} must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "${value}".`;
    }
    const { address, prefix } = entry;
    if (prefix !== undefined) {
        if (prefix === 0) {
            return `${key} "${value}" would allow every address; list the ranges that need access instead.`;
        }
        if (options.refuseHostPrefixes && prefix >= 31) {
            return `${key} "${value}": Azure Storage does not accept /31 or /32 ranges; write single addresses without a prefix (e.g. "${formatIpv4(address)}").`;
        }
        const network = networkAddress(address, prefix);
        if (network !== address) {
            return `${key} "${value}" has host bits set; write the network address "${formatIpv4(network)}/${prefix}".`;
        }
    }
    if (privateRanges.some((range) => cidrContainsAddress(range, address))) {
        return `${key} "${value}" is a private (RFC 1918) address, which never reaches a public endpoint; allow its subnet through allowedSubnetIds instead.`;
    }
    return undefined;
}

const subnetIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/** True for a subnet resource ID (`/subscriptions/.../virtualNetworks/<vnet>/subnets/<subnet>`). */
export function isSubnetId(value: string): boolean {
    return subnetIdPattern.test(value);
}

/**
 * Applies the defaults and checks every entry; throws one ProblemsError listing all problems, each naming its
 * `network.*` input. `owner` is the error's subject, for example `Vault "app"`; a component that runs this inside
 * its own Problems (through `attempt`) gets the problems in its own list.
 */
export function resolveNetworkAccess(owner: string, network: NetworkAccessArgs | undefined, options: IpRuleOptions = {}): ResolvedNetworkAccess {
    const allowAll = network?.allowAllNetworks;
    if (allowAll === undefined || allowAll === false) {
        return resolveAllowances(owner, network, options);
    }
    const problems = new Problems(owner);
    if (allowAll !== true) {
        problems.add(`network.allowAllNetworks must be true or false; got ${JSON.stringify(allowAll)}.`);
    } else if ((network?.allowedIps ?? []).length > 0 || (network?.allowedSubnetIds ?? []).length > 0 || network?.publicNetworkAccess === false) {
        problems.add(
            `network.allowAllNetworks opens the public endpoint to every network; it cannot be combined with allowedIps, ` +
                `allowedSubnetIds or publicNetworkAccess: false. Use one or the other.`,
        );
    }
    const checked = problems.attempt(() => resolveAllowances(owner, { allowTrustedServices: network?.allowTrustedServices }, options));
    problems.throwIfAny();
    return { ...checked!, publicNetworkAccess: "Enabled", defaultAction: "Allow" };
}

/** Listed allowances only: the firewall denies everything else. */
function resolveAllowances(owner: string, network: NetworkAccessArgs | undefined, options: IpRuleOptions): ResolvedNetworkAccess {
    const problems = new Problems(owner);
    const ips = network?.allowedIps ?? [];
    const subnets = network?.allowedSubnetIds ?? [];
    if (!Array.isArray(ips)) {
        problems.add(`network.allowedIps must be a list of IPv4 addresses or CIDR ranges.`);
    }
    if (!Array.isArray(subnets)) {
        problems.add(`network.allowedSubnetIds must be a list of subnet resource IDs.`);
    }
    if (problems.count === 0) {
        const seen = new Set<string>();
        ips.forEach((ip, index) => {
            const key = `network.allowedIps[${index}]`;
            const problem = ipRuleProblem(key, ip, options);
            if (problem) {
                problems.add(problem);
            } else if (seen.has(ip)) {
                problems.add(`${key} "${ip}" is listed twice.`);
            }
            seen.add(ip);
        });
        subnets.forEach((subnet, index) => {
            // Outputs are IDs of subnets declared in the same program; only literal IDs can be checked here.
            if (typeof subnet === "string" && !isSubnetId(subnet)) {
                problems.add(
                    `network.allowedSubnetIds[${index}] must be a subnet resource ID ` +
                        `(/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "${subnet}".`,
                );
            }
        });
    }
    const hasAllowances = problems.count === 0 && ips.length + subnets.length > 0;
    const flag = network?.publicNetworkAccess;
    if (flag !== undefined && typeof flag !== "boolean") {
        problems.add(`network.publicNetworkAccess must be true or false; got ${JSON.stringify(flag)}.`);
    } else if (flag === false && hasAllowances) {
        problems.add(
            `network.publicNetworkAccess is false but allowedIps/allowedSubnetIds are listed: Azure ignores firewall rules ` +
                `when public access is disabled. Remove the allowances or the publicNetworkAccess setting.`,
        );
    } else if (flag === true && !hasAllowances && problems.count === 0) {
        problems.add(
            `network.publicNetworkAccess is true but no allowedIps or allowedSubnetIds are listed: with the firewall ` +
                `denying by default nothing public could reach it. List the addresses or subnets that need access.`,
        );
    }
    const trusted = network?.allowTrustedServices;
    if (trusted !== undefined && typeof trusted !== "boolean") {
        problems.add(`network.allowTrustedServices must be true or false; got ${JSON.stringify(trusted)}.`);
    }
    problems.throwIfAny();
    return {
        publicNetworkAccess: hasAllowances ? "Enabled" : "Disabled",
        defaultAction: "Deny",
        bypass: trusted ? "AzureServices" : "None",
        ipRules: [...ips],
        subnetIds: [...subnets],
    };
}
