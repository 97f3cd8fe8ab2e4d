import { classicSites } from "../../lib/classic";
import { read, show, violation } from "../../lib/props";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";
import { siteTypes } from "../../lib/tokens";

export const webFtpsDisabled: ResourceRule = {
    name: "web-ftps-disabled",
    description: "Web and function apps have FTP and FTPS deployment turned off.",
    severity: "medium",
    remediation: "Set `siteConfig.ftpsState: \"Disabled\"` and deploy with an Entra identity (OIDC from CI, `az webapp deploy`, or zip deploy through ARM).",
    anchors: {
        checkov: ["CKV_AZURE_78"],
    },
    builtins: [
        { id: "4d24b6d4-5e53-4a4f-a7f4-618fa573ee4b", displayName: "App Service apps should require FTPS only" },
        { id: "399b2637-a50f-4f95-96f8-3a145476eb15", displayName: "Function apps should require FTPS only" },
    ],
    mcsb: ["DP-3"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "FTP deployment authenticates with publishing credentials, a stored username and password; keyless deployments never need it.",
    resourceTypes: [...siteTypes, ...classicSites],
    check: checkFtps,
    fix: {
        changes: (resource) => (checkFtps(resource).length > 0 ? [{ path: "siteConfig.ftpsState", value: "Disabled" }] : []),
        whySafe: "FTP only uploads files; the running app never uses it, and keyless deployments go through ARM or zip deploy with an Entra identity.",
    },
};

function checkFtps(resource: RuleResource): Violation[] {
    const value = read(resource.props, "siteConfig.ftpsState");
    // The classic provider sends "Disabled" when ftpsState is left out.
    const absentIsDisabled = classicSites.includes(resource.type) && (value === undefined || value === null);
    if (isUnknown(value) || value === "Disabled" || absentIsDisabled) {
        return [];
    }
    return [violation(resource, "siteConfig.ftpsState", `is ${show(value)} (Azure's default allows FTP); set it to "Disabled".`)];
}
