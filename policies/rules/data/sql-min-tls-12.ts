import { classic, forTypes } from "../../lib/classic";
import { checkSettingsByType, fixSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "minimalTlsVersion",
    accept: (value) => value === "1.2" || value === "1.3",
    absent: { passes: false, azureDefault: "no minimum (the built-in flags it)" },
    fix: "set it to \"1.2\".",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.sqlServer], [setting]),
    ...forTypes([classic.sqlServer], [{ ...setting, path: "minimumTlsVersion", absent: { passes: true, azureDefault: "1.2", whose: "the classic provider's" } }]),
};

export const sqlMinTls12: ResourceRule = {
    name: "sql-min-tls-12",
    description: "Azure SQL logical servers require TLS 1.2 or later.",
    severity: "medium",
    remediation: "Set `minimalTlsVersion: \"1.2\"`.",
    anchors: {},
    builtins: [
        { id: "32e6bbec-16b6-44c2-be37-c5b672d103cf", displayName: "Azure SQL Database should be running TLS version 1.2 or newer" },
    ],
    mcsb: ["DP-3"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "The built-in flags an absent minimalTlsVersion; declaring it keeps clients on TLS 1.2.",
    resourceTypes: [types.sqlServer, classic.sqlServer],
    check: (resource) => checkSettingsByType(resource, settings),
    fix: {
        changes: fixSettingsByType(settings, { minimalTlsVersion: "1.2", minimumTlsVersion: "1.2" }),
        whySafe: "Supported SQL drivers all negotiate TLS 1.2; Azure SQL retired TLS 1.0/1.1.",
    },
};
