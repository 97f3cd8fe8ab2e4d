import { fixture } from "../../testing/fixtures";
import { check, describeResourceRule } from "../../testing";
import { eventHubsPublicNetworkDisabled } from "./eventhubs-public-network-disabled";
import { serviceBusPublicNetworkDisabled } from "./servicebus-public-network-disabled";

describeResourceRule(
    serviceBusPublicNetworkDisabled,
    fixture("bus"),
    [{ path: "publicNetworkAccess", value: "Enabled", message: 'Namespace "bus" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.' }],
    "publicNetworkAccess",
);

describeResourceRule(
    eventHubsPublicNetworkDisabled,
    fixture("hub"),
    [{ path: "publicNetworkAccess", value: undefined, message: 'Namespace "hub" publicNetworkAccess: is not set, and Azure\'s default is Enabled; set it to "Disabled" and reach it through a private endpoint.' }],
    "publicNetworkAccess",
);

describe("servicebus-public-network-disabled", () => {
    it("also judges a standalone NamespaceNetworkRuleSet", () => {
        const ruleSet = { type: "azure-native:servicebus:NamespaceNetworkRuleSet", name: "bus-rules", props: { namespaceName: "sb", publicNetworkAccess: "Enabled", defaultAction: "Deny" } };
        expect(check(serviceBusPublicNetworkDisabled, ruleSet)).toEqual([
            'NamespaceNetworkRuleSet "bus-rules" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.',
        ]);
    });
});
