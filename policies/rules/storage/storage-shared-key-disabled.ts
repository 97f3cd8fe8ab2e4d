import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const storageSharedKeyDisabled: ResourceRule = {
    name: "storage-shared-key-disabled",
    description: "Storage accounts refuse Shared Key authorization (allowSharedKeyAccess: false), so account keys and key-signed SAS stop working.",
    severity: "high",
    remediation:
        "Set `allowSharedKeyAccess: false` and grant identities Storage Blob/Queue/Table Data roles; Functions use `AzureWebJobsStorage__accountName`. " +
        "Consumption and Elastic Premium plans mount an Azure Files share that needs a key: use a Dedicated or Flex Consumption plan, or exempt that account with the reason.",
    anchors: {
        psrule: ["Azure.Storage.LocalAuth"],
    },
    builtins: [
        { id: "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", displayName: "Storage accounts should prevent shared key access" },
    ],
    mcsb: ["IM-1"],
    service: "storage",
    defaultLevel: "mandatory",
    justification: "While Shared Key is allowed, the two account keys grant full control of all data to anyone who can list them; Entra-only access removes them.",
    resourceTypes: [types.storageAccount, classic.storageAccount],
    check: (resource) =>
        resource.type === classic.storageAccount
            ? checkSetting(resource, classicFlag("sharedAccessKeyEnabled", false, true, "set it to false and use Entra ID with data-plane roles."))
            : requireBoolean(resource, "allowSharedKeyAccess", false, "set it to false (Azure's default allows Shared Key) and use Entra ID with data-plane roles."),
};
