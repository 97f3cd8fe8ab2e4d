import { runUnderMocks } from "../testing";
import { ofType } from "../testing/fixtures";
import { ContainerRegistry } from "../containers/ContainerRegistry";
import { SqlServer } from "../data/SqlServer";
import { Vault } from "../keyvault/Vault";
import { EventHubsNamespace, ServiceBusNamespace } from "../messaging";
import { ProblemsError } from "../shared/problems";
import { KeylessStorage } from "../storage/KeylessStorage";
import { PrivateDnsZones } from "./PrivateDnsZones";

const vnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-app";
const subnet = `${vnet}/subnets/endpoints`;
const zoneId = (zone: string) => `/subscriptions/s/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${zone}`;
const admin = { login: "sql-admins", objectId: "5b1f2d3c-7a4e-4c1b-9d2e-3f4a5b6c7d8e", principalType: "Group" as const };

describe("privateEndpoints on the data services", () => {
    it.each([
        ["Vault", () => new Vault("kv", { resourceGroupName: "rg", privateEndpoints: [{ subnet }] }), "keyless:keyvault:Vault", "vault", "privatelink.vaultcore.azure.net"],
        ["SqlServer", () => new SqlServer("db", { resourceGroupName: "rg", administrator: admin, privateEndpoints: [{ subnet }] }), "keyless:data:SqlServer", "sqlServer", "privatelink.database.windows.net"],
        ["ContainerRegistry", () => new ContainerRegistry("cr", { resourceGroupName: "rg", sku: "Premium", privateEndpoints: [{ subnet }] }), "keyless:containers:ContainerRegistry", "registry", "privatelink.azurecr.io"],
        ["ServiceBusNamespace", () => new ServiceBusNamespace("sb", { resourceGroupName: "rg", sku: "Premium", privateEndpoints: [{ subnet }] }), "keyless:messaging:ServiceBusNamespace", "namespace", "privatelink.servicebus.windows.net"],
        ["EventHubsNamespace", () => new EventHubsNamespace("eh", { resourceGroupName: "rg", sku: "Standard", privateEndpoints: [{ subnet }] }), "keyless:messaging:EventHubsNamespace", "namespace", "privatelink.servicebus.windows.net"],
    ])("%s: endpoint with its group ID, a linked privatelink zone and a zone group, all children of the component", async (_label, make, componentType, groupId, zoneName) => {
        const { resources } = await runUnderMocks(() => {
            make();
        });
        const [component] = ofType(resources, componentType);
        const [endpoint] = ofType(resources, "azure-native:network:PrivateEndpoint");
        const [zone] = ofType(resources, "azure-native:privatedns:PrivateZone");
        const [link] = ofType(resources, "azure-native:privatedns:VirtualNetworkLink");
        const [group] = ofType(resources, "azure-native:network:PrivateDnsZoneGroup");
        const service = resources.find((resource) => resource.custom && resource.parentUrn === component.urn && resource.id === (endpoint.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId);
        expect(service).toBeDefined();
        for (const child of [endpoint, zone, link, group]) {
            expect(child.parentUrn).toBe(component.urn);
        }
        expect(endpoint.inputs.subnet).toMatchObject({ id: subnet });
        expect((endpoint.inputs.privateLinkServiceConnections as { groupIds: string[] }[])[0].groupIds).toEqual([groupId]);
        expect(zone.inputs).toMatchObject({ privateZoneName: zoneName, location: "global" });
        expect(link.inputs).toMatchObject({ privateZoneName: zoneName, virtualNetwork: { id: vnet }, registrationEnabled: false });
        expect(group.inputs.privateEndpointName).toBe(endpoint.inputs.privateEndpointName);
        expect(group.inputs.privateDnsZoneConfigs).toEqual([expect.objectContaining({ privateDnsZoneId: zone.id })]);
    });

    it("gives a storage account one endpoint per sub-service, each in its own zone", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", {
                resourceGroupName: "rg",
                privateEndpoints: ["blob", "queue", "table", "file"].map((service) => ({ subnet, service })),
            });
        });
        const groups = ofType(resources, "azure-native:network:PrivateEndpoint").map(
            (endpoint) => (endpoint.inputs.privateLinkServiceConnections as { groupIds: string[] }[])[0].groupIds[0],
        );
        expect(groups).toEqual(["blob", "queue", "table", "file"]);
        expect(ofType(resources, "azure-native:privatedns:PrivateZone").map((zone) => zone.inputs.privateZoneName)).toEqual([
            "privatelink.blob.core.windows.net",
            "privatelink.queue.core.windows.net",
            "privatelink.table.core.windows.net",
            "privatelink.file.core.windows.net",
        ]);
    });

    it("declares no zone when an existing zone ID is passed, and registers the endpoint in it", async () => {
        const existing = zoneId("privatelink.vaultcore.azure.net");
        const { resources } = await runUnderMocks(() => {
            new Vault("kv", { resourceGroupName: "rg", privateEndpoints: [{ subnet, privateDnsZone: existing }] });
        });
        expect(ofType(resources, "azure-native:privatedns:PrivateZone")).toEqual([]);
        expect(ofType(resources, "azure-native:privatedns:VirtualNetworkLink")).toEqual([]);
        const [group] = ofType(resources, "azure-native:network:PrivateDnsZoneGroup");
        expect(group.inputs.privateDnsZoneConfigs).toEqual([expect.objectContaining({ privateDnsZoneId: existing })]);
    });

    it("declares a stack's zones once each, linked to its network", async () => {
        const { resources } = await runUnderMocks(() => {
            new PrivateDnsZones("zones", { resourceGroupName: "rg", virtualNetworkId: vnet, zones: ["privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net"] });
        });
        expect(ofType(resources, "azure-native:privatedns:PrivateZone").map((zone) => zone.inputs.privateZoneName)).toEqual(["privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"]);
        expect(ofType(resources, "azure-native:privatedns:VirtualNetworkLink").map((link) => link.inputs.virtualNetwork)).toEqual([{ id: vnet }, { id: vnet }]);
    });

    it.each([
        [
            "a registry below Premium",
            () => new ContainerRegistry("cr", { resourceGroupName: "rg", sku: "Standard", privateEndpoints: [{ subnet }] }),
            'ContainerRegistry "cr"',
            'privateEndpoints need sku "Premium": Azure offers private endpoints for registries on Premium only; got sku "Standard".',
        ],
        [
            "a Service Bus namespace below Premium",
            () => new ServiceBusNamespace("sb", { resourceGroupName: "rg", sku: "Standard", privateEndpoints: [{ subnet }] }),
            'ServiceBusNamespace "sb"',
            'privateEndpoints need sku "Premium": Service Bus offers private endpoints on Premium only; got sku "Standard".',
        ],
        [
            "an Event Hubs namespace on Basic",
            () => new EventHubsNamespace("eh", { resourceGroupName: "rg", sku: "Basic", privateEndpoints: [{ subnet }] }),
            'EventHubsNamespace "eh"',
            'privateEndpoints need sku "Standard" or "Premium": Event Hubs offers private endpoints on Standard and Premium only; got sku "Basic".',
        ],
        [
            "a storage endpoint without its sub-service",
            () => new KeylessStorage("st", { resourceGroupName: "rg", privateEndpoints: [{ subnet }] }),
            'KeylessStorage "st"',
            "privateEndpoints[0].service is required here: one of blob, queue, table, file.",
        ],
        [
            "a sub-service the target does not offer",
            () => new Vault("kv", { resourceGroupName: "rg", privateEndpoints: [{ subnet, service: "blob" }] }),
            'Vault "kv"',
            'privateEndpoints[0].service "blob" is not a private link sub-resource of this service; expected vault.',
        ],
        [
            "a zone that does not match the service",
            () => new KeylessStorage("st", { resourceGroupName: "rg", privateEndpoints: [{ subnet, service: "queue", privateDnsZone: zoneId("privatelink.blob.core.windows.net") }] }),
            'KeylessStorage "st"',
            'privateEndpoints[0].privateDnsZone names zone "privatelink.blob.core.windows.net", but a queue endpoint registers in "privatelink.queue.core.windows.net"; clients would resolve the public address.',
        ],
        [
            "a subnet that is not a subnet ID",
            () => new SqlServer("db", { resourceGroupName: "rg", administrator: admin, privateEndpoints: [{ subnet: "endpoints" }] }),
            'SqlServer "db"',
            'privateEndpoints[0].subnet must be a subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "endpoints".',
        ],
    ])("refuses %s before declaring anything", async (_label, make, subject, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(make).toThrow(new ProblemsError(subject, [message]));
        });
        expect(resources).toEqual([]);
    });
});

describe("resource instance rules on KeylessStorage", () => {
    const workflow = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Logic/workflows/logic-reports";

    it("admits the listed resource instances by identity, in the given tenant, even with public access off", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", resourceInstances: [workflow], tenantId: "5b1f2d3c-7a4e-4c1b-9d2e-3f4a5b6c7d8e" });
        });
        const [account] = ofType(resources, "azure-native:storage:StorageAccount");
        expect(account.inputs.publicNetworkAccess).toBe("Disabled");
        expect((account.inputs.networkRuleSet as Record<string, unknown>).resourceAccessRules).toEqual([{ resourceId: workflow, tenantId: "5b1f2d3c-7a4e-4c1b-9d2e-3f4a5b6c7d8e" }]);
    });

    it("declares no rule when none is listed", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg" });
        });
        const [account] = ofType(resources, "azure-native:storage:StorageAccount");
        expect((account.inputs.networkRuleSet as Record<string, unknown>).resourceAccessRules).toBeUndefined();
    });
});
