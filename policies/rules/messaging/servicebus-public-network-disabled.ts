import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const serviceBusPublicNetworkDisabled = publicNetworkAccessRule({
    name: "servicebus-public-network-disabled",
    service: "messaging",
    label: "Service Bus namespaces",
    resourceTypes: [types.serviceBusNamespace, types.serviceBusNetworkRuleSet],
    path: "publicNetworkAccess",
    builtins: [
        { id: "cbd11fd3-3002-4907-b6c8-579f0e700e13", displayName: "Service Bus Namespaces should disable public network access" },
    ],
    classicTypes: [classic.serviceBusNamespace],
    reachThrough: "a private endpoint",
});
