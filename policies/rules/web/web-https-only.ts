import { requireBoolean } from "../../lib/props";
import { ResourceRule } from "../../lib/types";
import { siteTypes } from "../../lib/tokens";

export const webHttpsOnly: ResourceRule = {
    name: "web-https-only",
    description: "Web and function apps accept HTTPS only.",
    severity: "high",
    remediation: "Set `httpsOnly: true` on the site; clients then authenticate with Entra tokens over TLS only.",
    anchors: {
        azurePolicy: ["App Service apps should only be accessible over HTTPS (a4af4a39-4135-47fb-b175-47fbdf85311d)"],
        checkov: ["CKV_AZURE_14"],
        psrule: ["Azure.AppService.UseHTTPS"],
    },
    defaultLevel: "mandatory",
    justification: "Bearer tokens sent over plain HTTP can be replayed; identity-based access is only as safe as the channel.",
    resourceTypes: siteTypes,
    check: (resource) => requireBoolean(resource, "httpsOnly", true, "set it to true so the site accepts HTTPS only."),
};
