/** IPv4 ranges as firewalls write them: `1.2.3.4`, `1.2.3.0/24`, or SQL's `start-end`. */

function toNumber(ip: string): number | undefined {
    const parts = ip.trim().split(".");
    if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
        return undefined;
    }
    return parts.reduce((total, part) => total * 256 + Number(part), 0);
}

export function inRange(ip: string, range: string): boolean {
    const address = toNumber(ip);
    if (address === undefined) {
        return false;
    }
    const dash = range.split("-");
    if (dash.length === 2) {
        const start = toNumber(dash[0]);
        const end = toNumber(dash[1]);
        return start !== undefined && end !== undefined && address >= start && address <= end;
    }
    const [base, bits] = range.split("/");
    const start = toNumber(base);
    const prefix = bits === undefined ? 32 : Number(bits);
    if (start === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
        return false;
    }
    const size = 2 ** (32 - prefix);
    const first = Math.floor(start / size) * size;
    return address >= first && address < first + size;
}
