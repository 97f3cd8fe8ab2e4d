import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const acrPublicNetworkDisabled = publicNetworkAccessRule({
    name: "acr-public-network-disabled",
    service: "containers",
    label: "Container registries",
    resourceTypes: [types.containerRegistry],
    path: "publicNetworkAccess",
    builtins: [
        { id: "0fdf0491-d080-4575-b627-ad0e843cba0f", displayName: "Public network access should be disabled for Container registries" },
    ],
    classicTypes: [classic.containerRegistry],
    reachThrough: "a private endpoint",
});
