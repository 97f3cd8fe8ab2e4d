import { classicSites } from "../../lib/classic";
import { read, show, violation } from "../../lib/props";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";
import { siteTypes } from "../../lib/tokens";

const accepted = new Set(["1.2", "1.3"]);
/** The classic provider names them `minimumTlsVersion` / `scmMinimumTlsVersion` and also defaults them to 1.2. */
function pathsOf(resource: RuleResource): string[] {
    return classicSites.includes(resource.type)
        ? ["siteConfig.minimumTlsVersion", "siteConfig.scmMinimumTlsVersion"]
        : ["siteConfig.minTlsVersion", "siteConfig.scmMinTlsVersion"];
}

/**
 * An unset version passes: App Service enforces TLS 1.2 by default for new apps
 * (https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.AppService.MinTLS), the same bar as the built-ins.
 */
function checkVersion(resource: RuleResource, path: string): Violation[] {
    const value = read(resource.props, path);
    if (isUnknown(value) || value === undefined || value === null || value === "") {
        return [];
    }
    return typeof value === "string" && accepted.has(value) ? [] : [violation(resource, path, `is ${show(value)}; set it to "1.2" or "1.3" (or leave it unset: Azure's default is 1.2).`)];
}

export const webMinTls12: ResourceRule = {
    name: "web-min-tls-12",
    description: "Web and function apps (and their SCM sites) require TLS 1.2 or later; unset means Azure's default, 1.2.",
    severity: "medium",
    remediation: "Set `siteConfig.minTlsVersion: \"1.2\"` (and `scmMinTlsVersion`), or leave them unset to get Azure's default of 1.2.",
    anchors: {
        checkov: ["CKV_AZURE_15"],
        psrule: ["Azure.AppService.MinTLS"],
    },
    builtins: [
        { id: "f0e6e85b-9b9f-4a4b-b67b-f730d42f1b0b", displayName: "App Service apps should use the latest TLS version" },
        { id: "f9d614c5-c173-4d56-95a7-b4437057d193", displayName: "Function apps should use the latest TLS version" },
    ],
    mcsb: ["DP-3"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "TLS 1.0 and 1.1 are deprecated; a site that lowers the minimum weakens the channel tokens travel on.",
    resourceTypes: [...siteTypes, ...classicSites],
    check: (resource) => pathsOf(resource).flatMap((path) => checkVersion(resource, path)),
    fix: {
        changes: (resource) => pathsOf(resource).filter((path) => checkVersion(resource, path).length > 0).map((path) => ({ path, value: "1.2" })),
        whySafe: "Azure already defaults new apps to 1.2 and every supported browser and SDK speaks it; only clients Azure itself has retired lose access.",
    },
};
