import { classic, classicFlag, forTypes } from "../../lib/classic";
import { checkSettingsByType, fixSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "enableHttpsTrafficOnly",
    accept: (value) => value === true,
    absent: { passes: true, azureDefault: "true since API 2019-04-01" },
    fix: "set it to true (or leave it unset: Azure's default is HTTPS only).",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.storageAccount], [setting]),
    ...forTypes([classic.storageAccount], [classicFlag("httpsTrafficOnlyEnabled", true, true)]),
};

export const storageHttpsOnly: ResourceRule = {
    name: "storage-https-only",
    description: "Storage accounts accept secure transfer (HTTPS) only.",
    severity: "high",
    remediation: "Leave `enableHttpsTrafficOnly` unset or set it to true; clients use `https://` endpoints.",
    anchors: {},
    builtins: [
        { id: "404c3081-a854-4457-ae30-26a93ef643f9", displayName: "Secure transfer to storage accounts should be enabled" },
    ],
    mcsb: ["DP-3"],
    service: "storage",
    defaultLevel: "mandatory",
    justification: "Tokens and SAS sent over plain HTTP can be read on the wire; Azure requires HTTPS by default since API 2019-04-01 and nothing needs it off.",
    resourceTypes: [types.storageAccount, classic.storageAccount],
    check: (resource) => checkSettingsByType(resource, settings),
    fix: {
        changes: fixSettingsByType(settings, { enableHttpsTrafficOnly: true, httpsTrafficOnlyEnabled: true }),
        whySafe: "Azure already refuses plain HTTP by default, so clients of a working account use HTTPS already.",
    },
};
