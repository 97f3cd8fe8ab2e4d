import { read, show, violation } from "../../lib/props";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";
import { siteTypes } from "../../lib/tokens";

export const webFtpsDisabled: ResourceRule = {
    name: "web-ftps-disabled",
    description: "Web and function apps have FTP and FTPS deployment turned off.",
    severity: "medium",
    remediation: "Set `siteConfig.ftpsState: \"Disabled\"` and deploy with an Entra identity (OIDC from CI, `az webapp deploy`, or zip deploy through ARM).",
    anchors: {
        azurePolicy: ["App Service apps should require FTPS only (4d24b6d4-5e53-4a4f-a7f4-618fa573ee4b)"],
        checkov: ["CKV_AZURE_78"],
    },
    defaultLevel: "mandatory",
    justification: "FTP deployment authenticates with publishing credentials, a stored username and password; keyless deployments never need it.",
    resourceTypes: siteTypes,
    check(resource) {
        const value = read(resource.props, "siteConfig.ftpsState");
        if (isUnknown(value) || value === "Disabled") {
            return [];
        }
        return [violation(resource, "siteConfig.ftpsState", `is ${show(value)} (Azure's default allows FTP); set it to "Disabled".`)];
    },
};
