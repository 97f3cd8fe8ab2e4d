import { checkSetting, equalsText, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "state",
    accept: equalsText("Enabled"),
    absent: { passes: true, azureDefault: "Enabled" },
    fix: "set it to \"Enabled\".",
};

export const sqlTdeEnabled: ResourceRule = {
    name: "sql-tde-enabled",
    description: "Transparent data encryption stays on for Azure SQL databases.",
    severity: "medium",
    remediation: "Leave TDE at its default, or declare `sql.TransparentDataEncryption` with `state: \"Enabled\"`.",
    anchors: {},
    builtins: [
        { id: "17k78e20-9358-41c9-923c-fb736d382a12", displayName: "Transparent Data Encryption on SQL databases should be enabled" },
    ],
    mcsb: ["DP-4"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "Azure enables TDE on every new database; a resource that turns it off is the only way to lose it.",
    resourceTypes: [types.sqlTransparentDataEncryption],
    check: (resource) => checkSetting(resource, setting),
};
