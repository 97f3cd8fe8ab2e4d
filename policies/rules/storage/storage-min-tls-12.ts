import { classic, forTypes } from "../../lib/classic";
import { checkSettingsByType, fixSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "minimumTlsVersion",
    accept: (value) => value === "TLS1_2" || value === "TLS1_3",
    absent: { passes: false, azureDefault: "TLS 1.0" },
    fix: "set it to \"TLS1_2\".",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.storageAccount], [setting]),
    ...forTypes([classic.storageAccount], [{ ...setting, path: "minTlsVersion", absent: { passes: true, azureDefault: "TLS1_2", whose: "the classic provider's" } }]),
};

export const storageMinTls12: ResourceRule = {
    name: "storage-min-tls-12",
    description: "Storage accounts require TLS 1.2 or later.",
    severity: "medium",
    remediation: "Set `minimumTlsVersion: \"TLS1_2\"`.",
    anchors: {},
    builtins: [
        { id: "fe83a0eb-a853-422d-aac2-1bffd182c5d0", displayName: "Storage accounts should have the specified minimum TLS version" },
    ],
    mcsb: ["DP-3"],
    service: "storage",
    defaultLevel: "mandatory",
    justification: "The Storage API reads an absent minimumTlsVersion as TLS 1.0 (https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.powershell.cmdlets.functions.models.istorageaccountcreateparameters.minimumtlsversion), so it must be declared.",
    resourceTypes: [types.storageAccount, classic.storageAccount],
    check: (resource) => checkSettingsByType(resource, settings),
    fix: {
        changes: fixSettingsByType(settings, { minimumTlsVersion: "TLS1_2", minTlsVersion: "TLS1_2" }),
        whySafe: "Every supported Azure SDK and the Storage clients speak TLS 1.2; TLS 1.0/1.1 are retired by Azure Storage.",
    },
};
