import { fixture } from "../../testing/fixtures";
import { check, describeResourceRule } from "../../testing";
import { webCorsNoWildcard } from "./web-cors-no-wildcard";
import { webPublicNetworkDisabled } from "./web-public-network-disabled";
import { webRemoteDebuggingDisabled } from "./web-remote-debugging-disabled";
import { webVnetIntegration } from "./web-vnet-integration";

const site = fixture("api");
const api = 'WebApp "api"';

describeResourceRule(
    webRemoteDebuggingDisabled,
    site,
    [{ path: "siteConfig.remoteDebuggingEnabled", value: true, message: `${api} siteConfig.remoteDebuggingEnabled: is true; set it to false.` }],
    "siteConfig.remoteDebuggingEnabled",
);

describeResourceRule(
    webCorsNoWildcard,
    site,
    [{ path: "siteConfig.cors", value: { allowedOrigins: ["https://shop.example.com", "*"] }, message: `${api} siteConfig.cors.allowedOrigins[1]: is "*"; list the calling origins instead.` }],
    "siteConfig.cors",
);

describeResourceRule(
    webVnetIntegration,
    site,
    [{ path: "virtualNetworkSubnetId", value: undefined, message: `${api} virtualNetworkSubnetId: is not set, and Azure's default is no integration; set it to a delegated subnet's ID.` }],
    "virtualNetworkSubnetId",
);

describeResourceRule(
    webPublicNetworkDisabled,
    site,
    [
        { path: "publicNetworkAccess", value: undefined, message: `${api} publicNetworkAccess: is not set, and Azure's default is Enabled; set it to "Disabled" and reach it through a private endpoint or a front door.` },
        { path: "publicNetworkAccess", value: "Enabled", message: `${api} publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint or a front door.` },
    ],
    "publicNetworkAccess",
);

describe("web defaults", () => {
    it("passes remote debugging and CORS left at Azure's defaults (off, no cross-origin calls)", () => {
        expect(site.props.siteConfig).not.toHaveProperty("remoteDebuggingEnabled");
        expect(check(webRemoteDebuggingDisabled, site)).toEqual([]);
        expect(check(webCorsNoWildcard, site)).toEqual([]);
    });

    it("judges deployment slots and function apps the same way", () => {
        const slot = { ...site, type: "azure-native:web:WebAppSlot", props: { ...site.props, kind: "functionapp,linux", publicNetworkAccess: undefined } };
        expect(check(webPublicNetworkDisabled, slot)).toEqual([expect.stringMatching(/^WebAppSlot "api" publicNetworkAccess: is not set/)]);
    });
});
