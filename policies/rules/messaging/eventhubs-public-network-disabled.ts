import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const eventHubsPublicNetworkDisabled = publicNetworkAccessRule({
    name: "eventhubs-public-network-disabled",
    service: "messaging",
    label: "Event Hubs namespaces",
    resourceTypes: [types.eventHubNamespace],
    path: "publicNetworkAccess",
    builtins: [],
    classicTypes: [classic.eventHubNamespace],
    reachThrough: "a private endpoint",
});
