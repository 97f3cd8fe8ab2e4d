import { classicFlag, classicSites, forTypes } from "../../lib/classic";
import { checkSettingsByType, fixSettingsByType, SettingSpec } from "../../lib/setting";
import { siteTypes } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "siteConfig.remoteDebuggingEnabled",
    accept: (value) => value === false,
    absent: { passes: true, azureDefault: "off" },
    fix: "set it to false.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes(siteTypes, [setting]),
    ...forTypes(classicSites, [classicFlag("siteConfig.remoteDebuggingEnabled", false, false)]),
};

export const webRemoteDebuggingDisabled: ResourceRule = {
    name: "web-remote-debugging-disabled",
    description: "Web and function apps have remote debugging turned off.",
    severity: "medium",
    remediation: "Leave `siteConfig.remoteDebuggingEnabled` unset or set it to false.",
    anchors: {},
    builtins: [
        { id: "cb510bfd-1cba-4d9f-a230-cb0976f4bb71", displayName: "App Service apps should have remote debugging turned off" },
        { id: "0e60b895-3786-45da-8377-9c6b4b6ac5f9", displayName: "Function apps should have remote debugging turned off" },
    ],
    mcsb: ["PV-2"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "Remote debugging opens extra ports authenticated with publishing credentials; Azure keeps it off unless asked.",
    resourceTypes: [...siteTypes, ...classicSites],
    check: (resource) => checkSettingsByType(resource, settings),
    fix: {
        changes: fixSettingsByType(settings, { "siteConfig.remoteDebuggingEnabled": false }),
        whySafe: "Turning remote debugging off changes nothing for the running app; only an attached debugger session ends.",
    },
};
