import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const customRoleNoWildcardActions: ResourceRule = {
    name: "custom-role-no-wildcard-actions",
    description: "Custom role definitions list their actions and data actions explicitly: no `*` wildcards.",
    severity: "high",
    remediation: "List the exact operations the role needs (e.g. `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`); prefer a built-in role when one fits.",
    anchors: {
        checkov: ["CKV_AZURE_39"],
    },
    builtins: [
        { id: "a451c1ef-c6ca-483d-87ed-f49761e3ffb5", displayName: "Audit usage of custom RBAC roles", coverage: "partial" },
    ],
    mcsb: ["PA-7"],
    service: "access",
    defaultLevel: "mandatory",
    justification: "A wildcard grants every operation the provider adds later, so a reviewed role silently grows; explicit lists keep roles least-privilege.",
    resourceTypes: [types.roleDefinition],
    check(resource) {
        const permissions = read(resource.props, "permissions");
        if (!Array.isArray(permissions)) {
            return [];
        }
        const found: Violation[] = [];
        permissions.forEach((permission, index) => {
            for (const field of ["actions", "dataActions"]) {
                const list = read(permission, field);
                if (!Array.isArray(list)) {
                    continue;
                }
                list.forEach((action, position) => {
                    if (!isUnknown(action) && typeof action === "string" && action.includes("*")) {
                        found.push(violation(resource, `permissions[${index}].${field}[${position}]`, `is ${JSON.stringify(action)}; list the exact operations instead of a wildcard.`));
                    }
                });
            }
        });
        return found;
    },
};
