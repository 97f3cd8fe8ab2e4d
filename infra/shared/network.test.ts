import { ProblemsError } from "./problems";
import { ipRuleProblem, isIpv4OrCidr, isSubnetId, resolveNetworkAccess } from "./network";

const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps";

describe("isIpv4OrCidr", () => {
    it.each(["203.0.113.7", "0.0.0.0", "255.255.255.255", "203.0.113.0/24", "198.51.100.0/0", "198.51.100.8/32", "10.0.0.0/8"])(
        "accepts %s",
        (value) => expect(isIpv4OrCidr(value)).toBe(true),
    );

    it.each([
        "",
        "203.0.113",
        "203.0.113.256",
        "203.0.113.07",
        "203.0.113.7/33",
        "203.0.113.7/",
        "203.0.113.7/24/1",
        "203.0.113.7/024",
        " 203.0.113.7",
        "2001:db8::1",
        "example.com",
    ])("refuses %j", (value) => expect(isIpv4OrCidr(value)).toBe(false));
});

describe("ipRuleProblem", () => {
    it("passes a public address and a public network range", () => {
        expect(ipRuleProblem("ips[0]", "203.0.113.7")).toBeUndefined();
        expect(ipRuleProblem("ips[0]", "203.0.113.0/24")).toBeUndefined();
    });

    it("names the key and the expected form for a malformed entry", () => {
        expect(ipRuleProblem("network.allowedIps[1]", "300.1.1.1")).toBe(
            'network.allowedIps[1] must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "300.1.1.1".',
        );
    });

    it("suggests the network address when host bits are set", () => {
        expect(ipRuleProblem("k", "203.0.113.7/24")).toMatch(/host bits set; write the network address "203.0.113.0\/24"/);
    });

    it("refuses private ranges, which only reach Azure through a subnet", () => {
        expect(ipRuleProblem("k", "10.1.2.3")).toMatch(/private \(RFC 1918\)/);
        expect(ipRuleProblem("k", "172.20.0.0/16")).toMatch(/private/);
        expect(ipRuleProblem("k", "192.168.1.0/24")).toMatch(/private/);
        expect(ipRuleProblem("k", "172.32.0.1")).toBeUndefined();
    });

    it("refuses a range that opens everything", () => {
        expect(ipRuleProblem("k", "0.0.0.0/0")).toMatch(/would allow every address/);
    });

    it("refuses /31 and /32 only where Storage asks for it", () => {
        expect(ipRuleProblem("k", "203.0.113.7/32")).toBeUndefined();
        expect(ipRuleProblem("k", "203.0.113.7/32", { refuseHostPrefixes: true })).toMatch(/\/31 or \/32 .*"203.0.113.7"/);
        expect(ipRuleProblem("k", "203.0.113.6/31", { refuseHostPrefixes: true })).toMatch(/\/31 or \/32/);
    });
});

describe("isSubnetId", () => {
    it("accepts a subnet ID in any case and refuses a virtual network ID", () => {
        expect(isSubnetId(subnetId)).toBe(true);
        expect(isSubnetId(subnetId.toLowerCase())).toBe(true);
        expect(isSubnetId(subnetId.replace(/\/subnets\/apps$/, ""))).toBe(false);
    });
});

describe("resolveNetworkAccess", () => {
    it("disables the public endpoint when nothing is asked", () => {
        expect(resolveNetworkAccess("Vault \"app\"", undefined)).toEqual({
            publicNetworkAccess: "Disabled",
            defaultAction: "Deny",
            bypass: "None",
            ipRules: [],
            subnetIds: [],
        });
    });

    it("enables the public endpoint, denying by default, when allowances are listed", () => {
        const resolved = resolveNetworkAccess("Vault \"app\"", { allowedIps: ["203.0.113.7"], allowedSubnetIds: [subnetId] });
        expect(resolved).toEqual({
            publicNetworkAccess: "Enabled",
            defaultAction: "Deny",
            bypass: "None",
            ipRules: ["203.0.113.7"],
            subnetIds: [subnetId],
        });
    });

    it("lets trusted services bypass the firewall only when asked", () => {
        expect(resolveNetworkAccess("x", { allowTrustedServices: true }).bypass).toBe("AzureServices");
    });

    it("refuses allowances with public access explicitly off, since Azure would ignore them", () => {
        expect(() => resolveNetworkAccess("Vault \"app\"", { publicNetworkAccess: false, allowedIps: ["203.0.113.7"] })).toThrow(
            new ProblemsError('Vault "app"', [
                "network.publicNetworkAccess is false but allowedIps/allowedSubnetIds are listed: Azure ignores firewall rules " +
                    "when public access is disabled. Remove the allowances or the publicNetworkAccess setting.",
                    ]),
        );
    });

    it("refuses public access with nothing allowed", () => {
        expect(() => resolveNetworkAccess("Vault \"app\"", { publicNetworkAccess: true })).toThrow(
            new ProblemsError('Vault "app"', [
                "network.publicNetworkAccess is true but no allowedIps or allowedSubnetIds are listed: with the firewall " +
                    "denying by default nothing public could reach it. List the addresses or subnets that need access.",
                    ]),
        );
    });

    it("admits every network, still denying nothing it was not asked to, only on allowAllNetworks: true", () => {
        expect(resolveNetworkAccess("Vault \"state\"", { allowAllNetworks: true })).toEqual({
            publicNetworkAccess: "Enabled",
            defaultAction: "Allow",
            bypass: "None",
            ipRules: [],
            subnetIds: [],
        });
        expect(resolveNetworkAccess("x", { allowAllNetworks: true, allowTrustedServices: true }).bypass).toBe("AzureServices");
        expect(resolveNetworkAccess("x", { allowAllNetworks: false }).defaultAction).toBe("Deny");
    });

    it("refuses allowAllNetworks mixed with allowances or with public access off, and a non-boolean value", () => {
        const mixed =
            "network.allowAllNetworks opens the public endpoint to every network; it cannot be combined with allowedIps, " +
            "allowedSubnetIds or publicNetworkAccess: false. Use one or the other.";
        expect(() => resolveNetworkAccess("Vault \"state\"", { allowAllNetworks: true, allowedSubnetIds: [subnetId] })).toThrow(
            new ProblemsError('Vault "state"', [mixed]),
        );
        expect(() => resolveNetworkAccess("x", { allowAllNetworks: true, publicNetworkAccess: false })).toThrow(new ProblemsError("x", [mixed]));
        expect(() => resolveNetworkAccess("x", { allowAllNetworks: "yes" } as unknown as Parameters<typeof resolveNetworkAccess>[1])).toThrow(
            new ProblemsError("x", ['network.allowAllNetworks must be true or false; got "yes".']),
        );
    });

    it("lists every bad entry at once, each with its index", () => {
        expect(() =>
            resolveNetworkAccess("Storage \"data\"", { allowedIps: ["1.2.3", "203.0.113.7", "203.0.113.7"], allowedSubnetIds: ["vnet/apps"] }),
        ).toThrow(
            new ProblemsError('Storage "data"', [
                'network.allowedIps[0] must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "1.2.3".',
                'network.allowedIps[2] "203.0.113.7" is listed twice.',
                "network.allowedSubnetIds[0] must be a subnet resource ID " +
                    '(/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "vnet/apps".',
            ]),
        );
    });

    it("reports a bad allowAllNetworks and a bad allowTrustedServices together", () => {
        const network = { allowAllNetworks: true, allowedIps: ["203.0.113.7"], allowTrustedServices: "no" } as unknown as Parameters<typeof resolveNetworkAccess>[1];
        expect(() => resolveNetworkAccess("x", network)).toThrow(
            new ProblemsError("x", [
                "network.allowAllNetworks opens the public endpoint to every network; it cannot be combined with allowedIps, " +
                    "allowedSubnetIds or publicNetworkAccess: false. Use one or the other.",
                'network.allowTrustedServices must be true or false; got "no".',
            ]),
        );
    });
});
