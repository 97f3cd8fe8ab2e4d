import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const roleAssignmentPrincipalTypeSet: ResourceRule = {
    name: "role-assignment-principal-type-set",
    description: "Every role assignment states its principalType.",
    severity: "low",
    remediation: "Set `principalType: \"ServicePrincipal\"` for managed identities (the Keyless RoleAssignments component does), \"Group\" or \"User\" otherwise.",
    anchors: {},
    builtins: [],
    mcsb: ["PA-7"],
    service: "access",
    defaultLevel: "mandatory",
    justification:
        "Without it Azure looks the principal up and fails with PrincipalNotFound while a new identity replicates, and the access rules cannot tell a workload from a person.",
    resourceTypes: [types.roleAssignment],
    check(resource) {
        const value = read(resource.props, "principalType");
        if (isUnknown(value) || (typeof value === "string" && value.length > 0)) {
            return [];
        }
        return [violation(resource, "principalType", "is not set; set it (\"ServicePrincipal\" for a managed identity).")];
    },
};
