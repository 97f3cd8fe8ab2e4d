import { cidrContains, cidrContainsAddress, cidrsOverlap, formatIpv4, networkAddress, parseCidr, parseIpv4Entry } from "./cidr";

describe("parseCidr", () => {
    it("returns the block's bounds and size", () => {
        expect(parseCidr("10.20.0.0/16")).toEqual({
            text: "10.20.0.0/16",
            first: 10 * 2 ** 24 + 20 * 2 ** 16,
            last: 10 * 2 ** 24 + 20 * 2 ** 16 + 65535,
            prefix: 16,
            size: 65536,
        });
        const single = parseCidr("192.168.1.7/32");
        expect(single.size).toBe(1);
        expect(formatIpv4(single.first)).toBe("192.168.1.7");
        const everything = parseCidr("0.0.0.0/0");
        expect(formatIpv4(everything.last)).toBe("255.255.255.255");
    });

    it("tolerates surrounding whitespace", () => {
        expect(parseCidr(" 10.0.1.0/24 ").text).toBe("10.0.1.0/24");
    });

    it.each(["10.0.0.0", "10.0.0/24", "10.0.0.256/24", "10.0.0.0/33", "010.0.0.0/8", "10.0.0.0/", "a.b.c.d/8", "", "10.0.0.0/24/1", "::1/128"])(
        "refuses %p as not CIDR notation",
        (text) => {
            expect(() => parseCidr(text)).toThrow(`"${text}" is not an IPv4 CIDR block: expected a.b.c.d/n`);
        },
    );

    it("refuses host bits and names the network address to write", () => {
        expect(() => parseCidr("10.0.1.5/24")).toThrow('"10.0.1.5/24" has host bits set: write the network address 10.0.1.0/24.');
        expect(() => parseCidr("10.1.0.0/15")).toThrow("write the network address 10.0.0.0/15");
    });
});

describe("cidrContains", () => {
    it("is true for a block inside another and for the block itself", () => {
        expect(cidrContains("10.20.0.0/16", "10.20.1.0/24")).toBe(true);
        expect(cidrContains("10.20.0.0/16", "10.20.255.248/29")).toBe(true);
        expect(cidrContains("10.20.0.0/16", "10.20.0.0/16")).toBe(true);
    });

    it("is false for a block outside, straddling or larger", () => {
        expect(cidrContains("10.20.0.0/16", "10.21.0.0/24")).toBe(false);
        expect(cidrContains("10.20.0.0/24", "10.20.0.0/23")).toBe(false);
        expect(cidrContains("10.20.1.0/24", "10.20.0.0/16")).toBe(false);
    });

    it("accepts parsed blocks as well as text", () => {
        expect(cidrContains(parseCidr("172.16.0.0/12"), parseCidr("172.31.255.0/24"))).toBe(true);
    });
});

describe("cidrsOverlap", () => {
    it("detects shared addresses in either order", () => {
        expect(cidrsOverlap("10.0.0.0/23", "10.0.1.0/24")).toBe(true);
        expect(cidrsOverlap("10.0.1.0/24", "10.0.0.0/23")).toBe(true);
        expect(cidrsOverlap("10.0.0.0/24", "10.0.0.0/24")).toBe(true);
    });

    it("is false for adjacent blocks", () => {
        expect(cidrsOverlap("10.0.0.0/24", "10.0.1.0/24")).toBe(false);
        expect(cidrsOverlap("10.0.0.248/29", "10.0.1.0/29")).toBe(false);
    });
});

describe("parseIpv4Entry", () => {
    it("reads an address with or without a prefix, keeping host bits as written", () => {
        expect(parseIpv4Entry("203.0.113.7")).toEqual({ address: 203 * 2 ** 24 + 113 * 2 ** 8 + 7 });
        expect(parseIpv4Entry("203.0.113.7/24")).toEqual({ address: 203 * 2 ** 24 + 113 * 2 ** 8 + 7, prefix: 24 });
        expect(parseIpv4Entry("0.0.0.0/0")).toEqual({ address: 0, prefix: 0 });
    });

    it.each([" 203.0.113.7", "203.0.113.7 ", "203.0.113.07", "203.0.113.7/024", "203.0.113.7/", "203.0.113", "2001:db8::1"])("refuses %j", (text) => {
        expect(parseIpv4Entry(text)).toBeUndefined();
    });
});

describe("networkAddress and cidrContainsAddress", () => {
    it("clears the host bits, and places an address inside or outside a block", () => {
        const entry = parseIpv4Entry("10.0.1.5")!;
        expect(formatIpv4(networkAddress(entry.address, 24))).toBe("10.0.1.0");
        expect(formatIpv4(networkAddress(entry.address, 32))).toBe("10.0.1.5");
        expect(cidrContainsAddress("10.0.0.0/8", entry.address)).toBe(true);
        expect(cidrContainsAddress("10.0.0.0/24", entry.address)).toBe(false);
        expect(cidrContainsAddress(parseCidr("10.0.1.0/29"), entry.address)).toBe(true);
    });
});
