import { classicSites } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { ResourceRule } from "../../lib/types";
import { siteTypes } from "../../lib/tokens";

export const webHttpsOnly: ResourceRule = {
    name: "web-https-only",
    description: "Web and function apps accept HTTPS only.",
    severity: "high",
    remediation: "Set `httpsOnly: true` on the site; clients then authenticate with Entra tokens over TLS only.",
    anchors: {
        checkov: ["CKV_AZURE_14"],
        psrule: ["Azure.AppService.UseHTTPS"],
    },
    builtins: [
        { id: "a4af4a39-4135-47fb-b175-47fbdf85311d", displayName: "App Service apps should only be accessible over HTTPS" },
        { id: "6d555dd1-86f2-4f1c-8ed7-5abae7c6cbab", displayName: "Function apps should only be accessible over HTTPS" },
    ],
    mcsb: ["DP-3"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "Bearer tokens sent over plain HTTP can be replayed; identity-based access is only as safe as the channel.",
    resourceTypes: [...siteTypes, ...classicSites],
    // The same property in both providers; the classic provider also defaults it to false.
    check: (resource) => requireBoolean(resource, "httpsOnly", true, "set it to true so the site accepts HTTPS only."),
    fix: {
        changes: (resource) => (webHttpsOnly.check(resource).length === 0 ? [] : [{ path: "httpsOnly", value: true }]),
        whySafe: "Plain HTTP requests get a redirect to the same URL over HTTPS, which every App Service site already serves with its own certificate.",
    },
};
