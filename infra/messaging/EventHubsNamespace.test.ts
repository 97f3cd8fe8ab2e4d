import { runUnderMocks, valueOf } from "../testing";
import { ofType } from "../testing/fixtures";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { EventHubsNamespace, EventHubsNamespaceArgs } from "./EventHubsNamespace";
import { ProblemsError } from "../shared/problems";

describe("EventHubsNamespace", () => {
    it("declares a namespace without SAS keys, its event hubs and consumer groups, and a per-hub grant target", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const hubs = new EventHubsNamespace("telemetry", {
                resourceGroupName: "rg",
                eventHubs: { devices: { partitionCount: 4, messageRetentionInDays: 7, consumerGroups: ["analytics"] } },
                lock: { kind: "CanNotDelete" },
            });
            new ManagedIdentity("reader", {
                resourceGroupName: "rg",
                grants: [{ role: "Azure Event Hubs Data Receiver", target: hubs.eventHubTarget("devices") }],
            });
            return { namespace: hubs.asTarget(), hub: hubs.eventHubTarget("devices"), host: hubs.fullyQualifiedNamespace };
        });
        const [component] = ofType(resources, "keyless:messaging:EventHubsNamespace");
        const [namespace] = ofType(resources, "azure-native:eventhub:Namespace");
        expect(namespace.parentUrn).toBe(component.urn);
        expect(namespace.inputs).toMatchObject({
            disableLocalAuth: true,
            minimumTlsVersion: "1.2",
            publicNetworkAccess: "Enabled",
            sku: { name: "Standard", tier: "Standard", capacity: 1 },
        });
        expect(namespace.inputs.namespaceName).toMatch(/^evhns-telemetry-[a-z0-9]{6}$/);
        expect(ofType(resources, "azure-native:eventhub:NamespaceAuthorizationRule")).toHaveLength(0);

        const [hub] = ofType(resources, "azure-native:eventhub:EventHub");
        expect(hub.inputs).toMatchObject({ eventHubName: "devices", partitionCount: 4, messageRetentionInDays: 7 });
        const [group] = ofType(resources, "azure-native:eventhub:ConsumerGroup");
        expect(group.inputs).toMatchObject({ eventHubName: "devices", consumerGroupName: "analytics" });

        const [assignment] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(assignment.inputs.scope).toBe(hub.id);
        expect(outputs.hub).toMatchObject({ kind: "eventHubInstance", name: "telemetry/devices" });
        expect(outputs.namespace.kind).toBe("eventHub");
        expect(await valueOf(outputs.host)).toBe(`${namespace.inputs.namespaceName}.servicebus.windows.net`);
        expect(ofType(resources, "azure-native:authorization:ManagementLockByScope")[0].inputs.scope).toBe(namespace.id);
    });

    const invalid: [string, Partial<EventHubsNamespaceArgs> & Record<string, unknown>, string][] = [
        ["public access disabled on Basic", { sku: "Basic", publicNetworkAccess: "Disabled" }, 'publicNetworkAccess "Disabled" needs sku "Standard" or "Premium": Event Hubs offers no private endpoints on Basic, so the namespace would be unreachable.'],
        ["SAS keys", { disableLocalAuth: false }, "disableLocalAuth is not accepted: SAS keys are always disabled, clients authenticate with Entra ID."],
        ["retention beyond the tier", { eventHubs: { devices: { messageRetentionInDays: 30 } } }, "eventHubs.devices.messageRetentionInDays must be an integer from 1 to 7 on Standard; got 30."],
        ["consumer groups on Basic", { sku: "Basic", eventHubs: { devices: { consumerGroups: ["a"] } } }, 'eventHubs.devices.consumerGroups need sku "Standard" or "Premium": Basic has only $Default.'],
        ["declaring $Default", { eventHubs: { devices: { consumerGroups: ["$Default"] } } }, 'eventHubs.devices.consumerGroups[0] "$Default" exists on every event hub; do not declare it.'],
        ["too many partitions", { eventHubs: { devices: { partitionCount: 64 } } }, "eventHubs.devices.partitionCount must be an integer from 1 to 32 on Standard; got 64."],
        ["an unknown sku", { sku: "Dedicated" as never }, 'sku must be one of Basic, Standard, Premium; got "Dedicated".'],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new EventHubsNamespace("bad", { resourceGroupName: "rg", ...extra } as EventHubsNamespaceArgs)).toThrow(new ProblemsError('EventHubsNamespace "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });
});
