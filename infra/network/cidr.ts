/**
 * IPv4 CIDR arithmetic for address plans. Azure rejects a bad plan only at deploy time, often after the
 * VNet exists, so the plan is checked here first: parse, containment and overlap.
 */

/** A parsed IPv4 CIDR block. Addresses are unsigned 32-bit integers. */
export interface Ipv4Cidr {
    /** Canonical text, such as `10.20.1.0/24`. */
    text: string;
    /** First address of the block (the network address). */
    first: number;
    /** Last address of the block (the broadcast address). */
    last: number;
    prefix: number;
    /** Number of addresses in the block. */
    size: number;
}

const octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const cidrPattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}/(3[0-2]|[12]?\\d)$`);

/** Dotted-quad text of a 32-bit address. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * Parses `a.b.c.d/n`. Throws when the text is not IPv4 CIDR notation (leading zeros are refused, because some
 * tools read them as octal) or when host bits are set: Azure refuses `10.0.0.5/24` and the intended block is
 * ambiguous, so the error names the network address to write instead.
 */
export function parseCidr(text: string): Ipv4Cidr {
    const match = typeof text === "string" ? cidrPattern.exec(text.trim()) : null;
    if (!match) {
        throw new Error(`"${String(text)}" is not an IPv4 CIDR block: expected a.b.c.d/n, such as 10.20.0.0/16.`);
    }
    const address = [1, 2, 3, 4].reduce((acc, group) => acc * 256 + Number(match[group]), 0);
    const prefix = Number(match[5]);
    const size = 2 ** (32 - prefix);
    const first = address - (address % size);
    if (first !== address) {
        throw new Error(`"${text}" has host bits set: write the network address ${formatIpv4(first)}/${prefix}.`);
    }
    return { text: `${formatIpv4(first)}/${prefix}`, first, last: first + size - 1, prefix, size };
}

function asCidr(value: Ipv4Cidr | string): Ipv4Cidr {
    return typeof value === "string" ? parseCidr(value) : value;
}

/** True when every address of `inner` is inside `outer` (a block contains itself). */
export function cidrContains(outer: Ipv4Cidr | string, inner: Ipv4Cidr | string): boolean {
    const a = asCidr(outer);
    const b = asCidr(inner);
    return b.first >= a.first && b.last <= a.last;
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(left: Ipv4Cidr | string, right: Ipv4Cidr | string): boolean {
    const a = asCidr(left);
    const b = asCidr(right);
    return a.first <= b.last && b.first <= a.last;
}

/**
 * Ranges Azure refuses in a virtual network's address space: multicast, broadcast, loopback, link-local (which
 * holds the instance metadata service) and the platform's internal DNS and health address 168.63.129.16.
 */
export const azureReservedRanges: readonly string[] = ["224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"];
