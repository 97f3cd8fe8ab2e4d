/**
 * IPv4 and CIDR text, parsed in one place for every caller: firewall entries (`./network`) and address plans
 * (`infra/network`, stack config). Azure rejects a bad address plan only at deploy time, often after the VNet
 * exists, so plans are checked here first: parse, containment and overlap.
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

/** An address as written, with its prefix when one was given: `203.0.113.7` or `203.0.113.0/24`. */
export interface Ipv4Entry {
    address: number;
    prefix?: number;
}

const octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const entryPattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}(?:/(3[0-2]|[12]?\\d))?$`);

/**
 * Parses `a.b.c.d` or `a.b.c.d/n` exactly as written: no surrounding whitespace, and no leading zeros, because
 * some tools read them as octal. Host bits are not checked. Undefined when the text is neither form.
 */
export function parseIpv4Entry(text: string): Ipv4Entry | undefined {
    const match = typeof text === "string" ? entryPattern.exec(text) : null;
    if (!match) {
        return undefined;
    }
    const address = [1, 2, 3, 4].reduce((acc, group) => acc * 256 + Number(match[group]), 0);
    return match[5] === undefined ? { address } : { address, prefix: Number(match[5]) };
}

/** Dotted-quad text of a 32-bit address. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The first address of the `/prefix` block that holds `address`; equal to `address` when no host bits are set. */
export function networkAddress(address: number, prefix: number): number {
    const size = 2 ** (32 - prefix);
    return address - (address % size);
}

/**
 * Parses `a.b.c.d/n` (surrounding whitespace is ignored). Throws when the text is not IPv4 CIDR notation (leading
 * zeros are refused) or when host bits are set: Azure refuses `10.0.0.5/24` and the intended block is ambiguous,
 * so the error names the network address to write instead.
 */
export function parseCidr(text: string): Ipv4Cidr {
    const entry = typeof text === "string" ? parseIpv4Entry(text.trim()) : undefined;
    if (entry?.prefix === undefined) {
        throw new Error(`"${String(text)}" is not an IPv4 CIDR block: expected a.b.c.d/n, such as 10.20.0.0/16.`);
    }
    const { address, prefix } = entry;
    const first = networkAddress(address, prefix);
    if (first !== address) {
        throw new Error(`"${text}" has host bits set: write the network address ${formatIpv4(first)}/${prefix}.`);
    }
    const size = 2 ** (32 - prefix);
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

/** True when the 32-bit `address` is inside `block`. */
export function cidrContainsAddress(block: Ipv4Cidr | string, address: number): boolean {
    const a = asCidr(block);
    return address >= a.first && address <= a.last;
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
