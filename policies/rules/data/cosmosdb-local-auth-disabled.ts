import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { read, requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const cosmosDbLocalAuthDisabled: ResourceRule = {
    name: "cosmosdb-local-auth-disabled",
    description: "Cosmos DB accounts refuse account keys (disableLocalAuth: true).",
    severity: "high",
    remediation:
        "Set `disableLocalAuth: true` on the `cosmosdb.DatabaseAccount` and give the workload's identity a Cosmos DB data-plane role assignment (sqlRoleAssignments).",
    anchors: {
        checkov: ["CKV_AZURE_140"],
        psrule: ["Azure.Cosmos.DisableLocalAuth"],
    },
    builtins: [
        { id: "5450f5bd-9c72-4390-a9c4-a7aba4edfdd2", displayName: "Cosmos DB database accounts should have local authentication methods disabled" },
    ],
    mcsb: ["IM-1"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "Cosmos DB primary keys give full read-write access to every database in the account and cannot be scoped; Entra data-plane roles can.",
    resourceTypes: [types.cosmosAccount, classic.cosmosAccount],
    check(resource) {
        if (resource.type !== classic.cosmosAccount) {
            return requireBoolean(resource, "disableLocalAuth", true, "set it to true (Azure's default keeps account keys working).");
        }
        // Classic: `localAuthenticationEnabled` (default true) replaces the deprecated `localAuthenticationDisabled`.
        return read(resource.props, "localAuthenticationDisabled") !== undefined
            ? checkSetting(resource, classicFlag("localAuthenticationDisabled", true, false))
            : checkSetting(resource, classicFlag("localAuthenticationEnabled", false, true));
    },
};
