import { classicSites } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { siteTypes } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const webCorsNoWildcard: ResourceRule = {
    name: "web-cors-no-wildcard",
    description: "Web and function apps do not allow every origin through CORS (no \"*\" in siteConfig.cors.allowedOrigins).",
    severity: "medium",
    remediation: "List the origins that call the app in `siteConfig.cors.allowedOrigins` instead of \"*\".",
    anchors: { checkov: ["CKV_AZURE_57"] },
    builtins: [
        { id: "5744710e-cc2f-4ee8-8809-3b11e89f4bc9", displayName: "App Service apps should not have CORS configured to allow every resource to access your apps" },
        { id: "0820b7b9-23aa-4725-a1ce-ae4558f718e5", displayName: "Function apps should not have CORS configured to allow every resource to access your apps" },
    ],
    mcsb: ["PV-2"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "A wildcard origin lets any web page call the app with a signed-in user's token; Azure allows no cross-origin calls unless told to.",
    // The classic provider keeps the same path (`siteConfig.cors.allowedOrigins`).
    resourceTypes: [...siteTypes, ...classicSites],
    check(resource) {
        const origins = read(resource.props, "siteConfig.cors.allowedOrigins");
        if (!Array.isArray(origins)) {
            return [];
        }
        const index = origins.findIndex((origin) => !isUnknown(origin) && origin === "*");
        return index < 0 ? [] : [violation(resource, `siteConfig.cors.allowedOrigins[${index}]`, 'is "*"; list the calling origins instead.')];
    },
};
