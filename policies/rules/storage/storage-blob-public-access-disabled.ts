import { classic, classicFlag, forTypes } from "../../lib/classic";
import { checkSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "allowBlobPublicAccess",
    accept: (value) => value === false,
    absent: { passes: false, azureDefault: "false for accounts created since late 2023, true before (the built-in requires it declared)" },
    fix: "set it to false.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.storageAccount], [setting]),
    ...forTypes([classic.storageAccount], [classicFlag("allowNestedItemsToBePublic", false, true)]),
};

export const storageBlobPublicAccessDisabled: ResourceRule = {
    name: "storage-blob-public-access-disabled",
    description: "Storage accounts refuse anonymous public read access to blobs and containers.",
    severity: "high",
    remediation: "Set `allowBlobPublicAccess: false` and serve public content through a CDN or a SAS-free front end.",
    anchors: {},
    builtins: [
        { id: "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751", displayName: "Storage account public access should be disallowed" },
    ],
    mcsb: ["NS-2"],
    service: "storage",
    defaultLevel: "mandatory",
    justification: "Anonymous blob access needs no credential at all; the built-in flags it unless it is explicitly false, and so does the pack.",
    resourceTypes: [types.storageAccount, classic.storageAccount],
    check: (resource) => checkSettingsByType(resource, settings),
};
