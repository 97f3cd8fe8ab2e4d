import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const storagePublicNetworkDisabled = publicNetworkAccessRule({
    name: "storage-public-network-disabled",
    service: "storage",
    label: "Storage accounts",
    resourceTypes: [types.storageAccount],
    path: "publicNetworkAccess",
    builtins: [
        { id: "b2982f36-99f2-4db5-8eff-283140c09693", displayName: "Storage accounts should disable public network access" },
    ],
    classicTypes: [classic.storageAccount],
    reachThrough: "a private endpoint",
});
