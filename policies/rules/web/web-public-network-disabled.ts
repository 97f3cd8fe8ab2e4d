import { classicSites } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { siteTypes } from "../../lib/tokens";

export const webPublicNetworkDisabled = publicNetworkAccessRule({
    name: "web-public-network-disabled",
    service: "web",
    label: "Web and function apps",
    resourceTypes: siteTypes,
    path: "publicNetworkAccess",
    builtins: [
        { id: "1b5ef780-c53c-4a64-87f3-bb9c8c8094ba", displayName: "App Service apps should disable public network access" },
        { id: "969ac98b-88a8-449f-883c-2e9adb123127", displayName: "Function apps should disable public network access" },
    ],
    classicTypes: classicSites,
    reachThrough: "a private endpoint or a front door",
});
