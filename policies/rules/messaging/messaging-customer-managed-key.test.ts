import { fixture, ids } from "../../testing/fixtures";
import { check, describeResourceRule, runResourcePolicy, UNKNOWN_STRING, withPath } from "../../testing";
import { eventHubsCustomerManagedKey } from "./eventhubs-customer-managed-key";
import { serviceBusCustomerManagedKey } from "./servicebus-customer-managed-key";

const fix =
    'set it to "Microsoft.KeyVault" with keyVaultProperties naming the key without a version (rotation then needs no redeploy) ' +
    "and a user-assigned identity holding Key Vault Crypto Service Encryption User on that key.";

const encryption = {
    keySource: "Microsoft.KeyVault",
    keyVaultProperties: [{ keyName: "cmk", keyVaultUri: "https://kv-app.vault.azure.net", identity: { userAssignedIdentity: ids.identity } }],
};

describeResourceRule(
    serviceBusCustomerManagedKey,
    fixture("bus"),
    [
        { path: "encryption", value: undefined, message: `Namespace "bus" encryption.keySource: is not set, and Azure's default is Microsoft-managed keys; ${fix}` },
        { path: "encryption.keySource", value: "Microsoft.Storage", message: `Namespace "bus" encryption.keySource: is "Microsoft.Storage"; ${fix}` },
    ],
    "encryption.keySource",
);

describe("servicebus-customer-managed-key", () => {
    const bus = fixture("bus");
    const plain = withPath(bus.props, "encryption", undefined);

    it.each(["Basic", "Standard"])("leaves a %s namespace alone, as the built-in does: only Premium takes a key", (sku) => {
        expect(check(serviceBusCustomerManagedKey, { ...bus, props: withPath(plain, "sku", { name: sku, tier: sku }) })).toEqual([]);
    });

    it("reads the tier Azure reports (sku.tier) before the name a program declares", () => {
        expect(check(serviceBusCustomerManagedKey, { ...bus, props: withPath(plain, "sku", { name: "Premium", tier: "Premium", capacity: 1 }) })).toHaveLength(1);
        expect(check(serviceBusCustomerManagedKey, { ...bus, props: withPath(plain, "sku", { tier: "Premium" }) })).toHaveLength(1);
        expect(check(serviceBusCustomerManagedKey, { ...bus, props: withPath(plain, "sku", { name: "premium" }) })).toHaveLength(1);
    });

    it("skips a namespace whose SKU is not known at preview", async () => {
        expect(await runResourcePolicy(serviceBusCustomerManagedKey, { ...bus, props: withPath(plain, "sku.name", UNKNOWN_STRING) })).toEqual([]);
    });
});

describe("eventhubs-customer-managed-key", () => {
    const hub = fixture("hub");
    const premium = { ...hub, props: { ...hub.props, sku: { name: "Premium", tier: "Premium" } } };

    it("leaves a namespace without a Dedicated cluster or Premium SKU alone (Basic and Standard cannot take a key)", () => {
        expect(check(eventHubsCustomerManagedKey, hub)).toEqual([]);
        expect(check(eventHubsCustomerManagedKey, { ...hub, props: { ...hub.props, sku: { name: "Standard" } } })).toEqual([]);
    });

    it("judges a Premium namespace and a namespace in a Dedicated cluster, as Microsoft Learn and the built-in say they take a key", () => {
        const missing = `Namespace "hub" encryption.keySource: is not set, and Azure's default is Microsoft-managed keys; ${fix}`;
        expect(check(eventHubsCustomerManagedKey, premium)).toEqual([missing]);
        const dedicated = { ...hub, props: { ...hub.props, clusterArmId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.EventHub/clusters/c" } };
        expect(check(eventHubsCustomerManagedKey, dedicated)).toEqual([missing]);
        expect(check(eventHubsCustomerManagedKey, { ...premium, props: { ...premium.props, encryption } })).toEqual([]);
        expect(check(eventHubsCustomerManagedKey, { ...dedicated, props: { ...dedicated.props, encryption: { ...encryption, keySource: "microsoft.keyvault" } } })).toEqual([]);
    });

    it("judges a namespace whose cluster is not known at preview (it is in one), and skips an unknown key source", async () => {
        expect(await runResourcePolicy(eventHubsCustomerManagedKey, { ...hub, props: { ...hub.props, clusterArmId: UNKNOWN_STRING } })).toHaveLength(1);
        expect(await runResourcePolicy(eventHubsCustomerManagedKey, { ...premium, props: { ...premium.props, encryption: { keySource: UNKNOWN_STRING } } })).toEqual([]);
        expect(await runResourcePolicy(eventHubsCustomerManagedKey, { ...premium, props: { ...premium.props, encryption } })).toEqual([]);
    });
});
