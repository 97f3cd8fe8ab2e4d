import { classic } from "../../lib/classic";
import { read, requireBoolean, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/** Classic `mssql.Server`: `azureadAdministrator.azureadAuthenticationOnly` (default false) and `administratorLoginPassword`. */
function checkClassic(resource: RuleResource): Violation[] {
    const found = requireBoolean(resource, "azureadAdministrator.azureadAuthenticationOnly", true, "set it to true with an Entra administrator.");
    const password = read(resource.props, "administratorLoginPassword");
    if (!isUnknown(password) && password !== undefined && password !== null && password !== "") {
        found.push(violation(resource, "administratorLoginPassword", "is set; remove the SQL administrator and use Entra-only authentication."));
    }
    return found;
}

export const sqlEntraOnlyAuth: ResourceRule = {
    name: "sql-entra-only-auth",
    description: "Azure SQL logical servers use Microsoft Entra authentication only: no SQL administrator password.",
    severity: "high",
    remediation:
        "Set `administrators: { azureADOnlyAuthentication: true, administratorType: \"ActiveDirectory\", login, sid, principalType, tenantId }` " +
        "naming an Entra group, drop `administratorLogin`/`administratorLoginPassword`, and connect with " +
        "`Authentication=Active Directory Managed Identity`.",
    anchors: {
        psrule: ["Azure.SQL.AADOnly"],
    },
    builtins: [
        { id: "abda6d70-9778-44e7-84a8-06713e6db027", displayName: "Azure SQL logical servers should have Microsoft Entra-only authentication enabled during creation" },
        { id: "b3a22bc9-66de-45fb-98fa-00f5df42f41a", displayName: "Azure SQL Database should have Microsoft Entra-only authentication enabled" },
        { id: "1f314764-cb73-4fc9-b863-8eca98ac36e9", displayName: "An Azure Active Directory administrator should be provisioned for SQL servers", coverage: "partial" },
    ],
    mcsb: ["IM-1"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "A SQL admin password is a server-wide credential outside Entra conditional access and auditing; Entra-only removes it.",
    resourceTypes: [types.sqlServer, types.sqlServerEntraOnly, classic.sqlServer],
    check(resource) {
        if (resource.type === classic.sqlServer) {
            return checkClassic(resource);
        }
        if (resource.type === types.sqlServerEntraOnly) {
            return requireBoolean(resource, "azureADOnlyAuthentication", true, "set it to true.");
        }
        const found: Violation[] = requireBoolean(
            resource,
            "administrators.azureADOnlyAuthentication",
            true,
            "set it to true with an Entra administrator.",
        );
        // The password itself is never shown; its presence is the finding.
        const password = read(resource.props, "administratorLoginPassword");
        if (!isUnknown(password) && password !== undefined && password !== null && password !== "") {
            found.push(violation(resource, "administratorLoginPassword", "is set; remove the SQL administrator and use Entra-only authentication."));
        }
        return found;
    },
};
