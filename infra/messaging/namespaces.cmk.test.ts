import { runUnderMocks } from "../testing";
import { expectKeyAndGrant, keyFixture } from "../testing/customerManagedKey";
import { ofType } from "../testing/fixtures";
import { EventHubsNamespace } from "./EventHubsNamespace";
import { ServiceBusNamespace } from "./ServiceBusNamespace";

const services = [
    { label: "Service Bus", type: "azure-native:servicebus:Namespace", make: (args: object) => new ServiceBusNamespace("bus", { resourceGroupName: "rg", queues: { orders: {} }, ...args }) },
    { label: "Event Hubs", type: "azure-native:eventhub:Namespace", make: (args: object) => new EventHubsNamespace("bus", { resourceGroupName: "rg", eventHubs: { orders: {} }, ...args }) },
];

describe.each(services)("$label namespace customerManagedKey", ({ label, type, make }) => {
    it("encrypts a Premium namespace with a versionless key read by the attached identity, after the grant on the key", async () => {
        const { resources } = await runUnderMocks(() => {
            make({ sku: "Premium", customerManagedKey: keyFixture() });
        });
        const { identity, service, vaultUri } = expectKeyAndGrant(resources, type);
        expect(service.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        expect(service.inputs.encryption).toEqual({
            keySource: "Microsoft.KeyVault",
            keyVaultProperties: [{ keyName: "cmk-bus", keyVaultUri: vaultUri, identity: { userAssignedIdentity: identity.id } }],
        });
        // The entities come after the namespace, which Azure encrypts only while it is empty.
        const entity = ofType(resources, type.replace("Namespace", label === "Service Bus" ? "Queue" : "EventHub"))[0];
        expect(entity.dependencies).toContain(service.urn);
    });

    it("refuses a Standard namespace, naming the sku it needs, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const customerManagedKey = keyFixture();
            expect(() => make({ sku: "Standard", customerManagedKey })).toThrow(`customerManagedKey needs sku "Premium": ${label} takes a customer-managed key on Premium`);
        });
        expect(ofType(resources, type)).toHaveLength(0);
        expect(ofType(resources, "azure-native:keyvault:Key")).toHaveLength(0);
    });
});
