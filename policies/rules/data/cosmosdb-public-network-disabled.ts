import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const cosmosDbPublicNetworkDisabled = publicNetworkAccessRule({
    name: "cosmosdb-public-network-disabled",
    service: "data",
    label: "Cosmos DB accounts",
    resourceTypes: [types.cosmosAccount],
    path: "publicNetworkAccess",
    builtins: [],
    classicTypes: [classic.cosmosAccount],
    reachThrough: "a private endpoint",
});
