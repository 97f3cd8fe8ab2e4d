import { runUnderMocks, valueOf } from "../testing";
import { ofType } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { validateNetworkLayout } from "./layout";
import { Network } from "./Network";

interface Rule {
    name: string;
    access: string;
    direction: string;
    sourceAddressPrefix?: string;
    priority: number;
}

describe("Network", () => {
    it("declares the network with inline subnets, each behind its own NSG, and exposes subnet IDs", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const net = new Network("core", {
                resourceGroupName: "rg-core",
                addressSpace: "10.20.0.0/16",
                subnets: {
                    vms: { addressPrefix: "10.20.1.0/24", serviceEndpoints: ["Microsoft.KeyVault", "Microsoft.Storage"] },
                    web: { addressPrefix: "10.20.2.0/26", delegation: "Microsoft.Web/serverFarms" },
                },
                tags: { env: "test" },
            });
            return { vnetId: net.vnetId, vms: net.subnetIds.vms, web: net.subnetIds.web, nsgIds: net.nsgIds };
        });
        const [component] = ofType(resources, "keyless:network:Network");
        const [vnet] = ofType(resources, "azure-native:network:VirtualNetwork");
        const nsgs = ofType(resources, "azure-native:network:NetworkSecurityGroup");
        expect(ofType(resources, "azure-native:network:Subnet")).toHaveLength(0);
        expect(vnet.parentUrn).toBe(component.urn);
        expect(nsgs.map((nsg) => nsg.parentUrn)).toEqual([component.urn, component.urn]);
        expect(vnet.inputs.virtualNetworkName).toBe("vnet-core");
        expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.20.0.0/16"] });
        expect(vnet.inputs.tags).toEqual({ env: "test" });

        const subnets = vnet.inputs.subnets as Array<Record<string, unknown>>;
        expect(subnets.map((subnet) => [subnet.name, subnet.addressPrefix])).toEqual([
            ["vms", "10.20.1.0/24"],
            ["web", "10.20.2.0/26"],
        ]);
        const byName = Object.fromEntries(subnets.map((subnet) => [subnet.name as string, subnet]));
        expect(byName.vms.serviceEndpoints).toEqual([{ service: "Microsoft.KeyVault" }, { service: "Microsoft.Storage" }]);
        expect(byName.vms.delegations).toBeUndefined();
        expect(byName.web.delegations).toEqual([{ name: "delegation", serviceName: "Microsoft.Web/serverFarms" }]);
        expect(byName.web.serviceEndpoints).toBeUndefined();

        // Every subnet is attached to a distinct NSG declared by the component.
        const nsgIdsByName = Object.fromEntries(nsgs.map((nsg) => [nsg.inputs.networkSecurityGroupName as string, nsg.id]));
        expect(byName.vms.networkSecurityGroup).toEqual({ id: nsgIdsByName["nsg-core-vms"] });
        expect(byName.web.networkSecurityGroup).toEqual({ id: nsgIdsByName["nsg-core-web"] });
        expect(outputs.nsgIds).toBeDefined();
        expect(await valueOf(outputs.nsgIds.vms)).toBe(nsgIdsByName["nsg-core-vms"]);

        expect(await valueOf(outputs.vnetId)).toBe(vnet.id);
        expect(await valueOf(outputs.vms)).toBe(`${vnet.id}/subnets/vms`);
        expect(await valueOf(outputs.web)).toMatch(/\/providers\/Microsoft\.Network\/virtualNetworks\/vnet-core\/subnets\/web$/);
    });

    it("gives every NSG an explicit deny for Internet inbound and no inbound allow rule at all", async () => {
        const { resources } = await runUnderMocks(() => {
            new Network("edge", {
                resourceGroupName: "rg",
                addressSpace: "10.30.0.0/22",
                subnets: { a: { addressPrefix: "10.30.0.0/24" }, b: { addressPrefix: "10.30.1.0/24" } },
            });
        });
        const nsgs = ofType(resources, "azure-native:network:NetworkSecurityGroup");
        expect(nsgs).toHaveLength(2);
        for (const nsg of nsgs) {
            const rules = nsg.inputs.securityRules as Rule[];
            expect(rules.filter((rule) => rule.direction === "Inbound" && rule.access === "Allow")).toEqual([]);
            expect(rules).toContainEqual(
                expect.objectContaining({ name: "DenyInternetInbound", direction: "Inbound", access: "Deny", sourceAddressPrefix: "Internet", destinationPortRange: "*" }),
            );
        }
    });

    it("locks the network when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new Network("locked", {
                resourceGroupName: "rg",
                addressSpace: "10.40.0.0/24",
                subnets: { only: { addressPrefix: "10.40.0.0/28" } },
                lock: { kind: "CanNotDelete" },
            });
        });
        const [vnet] = ofType(resources, "azure-native:network:VirtualNetwork");
        const [lock] = ofType(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs).toMatchObject({ scope: vnet.id, level: "CanNotDelete" });
    });

    it.each([
        ["a subnet outside the address space", { a: { addressPrefix: "10.21.0.0/24" } }, 'subnets.a.addressPrefix "10.21.0.0/24" is outside the address space "10.20.0.0/16".'],
        [
            "overlapping subnets",
            { a: { addressPrefix: "10.20.0.0/23" }, b: { addressPrefix: "10.20.1.0/24" } },
            'subnets.b.addressPrefix "10.20.1.0/24" overlaps subnets.a "10.20.0.0/23".',
        ],
        ["a subnet smaller than /29", { a: { addressPrefix: "10.20.0.0/30" } }, 'subnets.a.addressPrefix "10.20.0.0/30" is smaller than Azure\'s smallest subnet (/29).'],
        ["host bits in a prefix", { a: { addressPrefix: "10.20.0.1/24" } }, 'subnets.a.addressPrefix: "10.20.0.1/24" has host bits set: write the network address 10.20.0.0/24.'],
        [
            "a reserved subnet name",
            { AzureBastionSubnet: { addressPrefix: "10.20.0.0/26" } },
            'subnets.AzureBastionSubnet: "AzureBastionSubnet" is reserved by Azure for a gateway, Bastion, Firewall or Route Server and needs rules this network does not declare.',
        ],
        [
            "an App Service delegation on a /29",
            { web: { addressPrefix: "10.20.0.0/29", delegation: "Microsoft.Web/serverFarms" } },
            'subnets.web.addressPrefix "10.20.0.0/29" is too small for Microsoft.Web/serverFarms: use /28 or larger.',
        ],
        [
            "an App Service delegation on a /29, whatever its case",
            { web: { addressPrefix: "10.20.0.0/29", delegation: "microsoft.web/serverfarms" } },
            'subnets.web.addressPrefix "10.20.0.0/29" is too small for microsoft.web/serverfarms: use /28 or larger.',
        ],
        [
            "a malformed delegation",
            { a: { addressPrefix: "10.20.0.0/24", delegation: "serverFarms" } },
            'subnets.a.delegation "serverFarms" must be a service name such as Microsoft.Web/serverFarms.',
        ],
        [
            "a malformed service endpoint",
            { a: { addressPrefix: "10.20.0.0/24", serviceEndpoints: ["KeyVault"] } },
            'subnets.a.serviceEndpoints[0] "KeyVault" must be a service such as Microsoft.KeyVault or Microsoft.Storage.',
        ],
        [
            "a duplicated service endpoint",
            { a: { addressPrefix: "10.20.0.0/24", serviceEndpoints: ["Microsoft.Storage", "microsoft.storage"] } },
            'subnets.a.serviceEndpoints[1] "microsoft.storage" is listed twice.',
        ],
        ["no subnets", {}, 'subnets must name at least one subnet, such as { app: { addressPrefix: "10.20.1.0/24" } }; got {}.'],
    ])("refuses %s before declaring anything", async (_label, subnets, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new Network("bad", { resourceGroupName: "rg", addressSpace: "10.20.0.0/16", subnets })).toThrow(new ProblemsError('Network "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });

    it("refuses an address space that is not CIDR or overlaps Azure's reserved ranges", () => {
        expect(validateNetworkLayout("10.20.0.0", { a: { addressPrefix: "10.20.0.0/24" } })).toContain(
            'addressSpace: "10.20.0.0" is not an IPv4 CIDR block: expected a.b.c.d/n, such as 10.20.0.0/16.',
        );
        expect(validateNetworkLayout("169.254.0.0/16", { a: { addressPrefix: "169.254.1.0/24" } })).toContain(
            'addressSpace "169.254.0.0/16" overlaps 169.254.0.0/16, which Azure reserves; use a private range such as 10.0.0.0/16.',
        );
        expect(validateNetworkLayout("10.0.0.0/16", { a: { addressPrefix: "10.0.0.0/24" }, b: { addressPrefix: "10.0.1.0/24" } })).toEqual([]);
    });

    it("lists every problem at once, each naming its key", () => {
        const subnets = { "bad name!": { addressPrefix: "10.0.0.0/24" }, b: { addressPrefix: "10.1.0.0/24" } };
        expect(() => new Network("core", { resourceGroupName: "rg", addressSpace: "10.0.0.0/16", subnets })).toThrow(
            new ProblemsError('Network "core"', [
                "subnets.bad name!: a subnet name is 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit and ending with a letter, digit or '_'.",
                'subnets.b.addressPrefix "10.1.0.0/24" is outside the address space "10.0.0.0/16".',
            ]),
        );
    });
});
