import { read, show, violation } from "../../lib/props";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";
import { siteTypes } from "../../lib/tokens";

const accepted = new Set(["1.2", "1.3"]);

function checkVersion(resource: RuleResource, path: string, required: boolean): Violation[] {
    const value = read(resource.props, path);
    if (isUnknown(value) || (!required && (value === undefined || value === null))) {
        return [];
    }
    return typeof value === "string" && accepted.has(value)
        ? []
        : [violation(resource, path, `is ${show(value)}; set it to "1.2" or "1.3".`)];
}

export const webMinTls12: ResourceRule = {
    name: "web-min-tls-12",
    description: "Web and function apps (and their SCM sites) require TLS 1.2 or later.",
    severity: "medium",
    remediation: "Set `siteConfig.minTlsVersion: \"1.2\"` (and `scmMinTlsVersion` if you set it) on the site.",
    anchors: {
        azurePolicy: ["App Service apps should use the latest TLS version (f0e6e85b-9b9f-4a4b-b67b-f730d42f1b0b)"],
        checkov: ["CKV_AZURE_15"],
        psrule: ["Azure.AppService.MinTLS"],
    },
    defaultLevel: "mandatory",
    justification: "TLS 1.0 and 1.1 are deprecated; declaring 1.2 explicitly keeps an older default or a portal change from weakening the channel tokens travel on.",
    resourceTypes: siteTypes,
    check: (resource) => [
        ...checkVersion(resource, "siteConfig.minTlsVersion", true),
        ...checkVersion(resource, "siteConfig.scmMinTlsVersion", false),
    ],
};
