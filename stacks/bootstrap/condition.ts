import { builtInRoles, resolveRole } from "../../infra/access/roles";
import { isGuid } from "../../infra/shared/naming";
import { Problems } from "../../infra/shared/problems";

/**
 * The ABAC condition on the deploy identity's Role Based Access Control Administrator assignment. Without it that
 * role could grant anything, including Owner, to anyone; with it the identity can only add or remove assignments
 * of the listed roles, and only for principals of the listed types. Azure evaluates the request's attributes on
 * write and the existing assignment's attributes on delete, so each action gets its own clause.
 */

export type DelegablePrincipalType = "ServicePrincipal" | "Group" | "User";

const principalTypes: readonly DelegablePrincipalType[] = ["ServicePrincipal", "Group", "User"];

export interface DelegationConditionArgs {
    /** Role definition GUIDs the holder may assign and unassign. Privileged roles are refused. */
    roleIds: readonly string[];
    /** Defaults to `ServicePrincipal` only: every managed identity is one. */
    principalTypes?: readonly DelegablePrincipalType[];
}

/**
 * The roles the main stacks grant: the non-privileged part of the role catalog (data-plane roles, AcrPull, Reader,
 * Managed Identity Operator, ...). Sorted, so that the condition text is stable.
 */
export function catalogDelegableRoleIds(): string[] {
    return Object.values(builtInRoles)
        .filter((role) => !("privileged" in role && role.privileged))
        .map((role) => role.id.toLowerCase())
        .sort();
}

/** Checks the arguments and returns them normalised (lowercase, deduplicated, sorted). Throws one ProblemsError naming every bad entry. */
export function checkDelegation(args: DelegationConditionArgs): { roleIds: string[]; principalTypes: DelegablePrincipalType[] } {
    const problems = new Problems("Role assignment condition");
    const ids: readonly unknown[] = Array.isArray(args.roleIds) ? args.roleIds : [];
    if (ids.length === 0) {
        problems.add("roleIds must list at least one role definition GUID.");
    }
    ids.forEach((id, index) => {
        if (typeof id !== "string" || !isGuid(id)) {
            problems.add(`roleIds[${index}] must be a role definition GUID; got ${JSON.stringify(id)}.`);
            return;
        }
        const known = resolveRole(id);
        if (known.builtIn?.privileged) {
            problems.add(`roleIds[${index}] is ${known.name} (${id}), a privileged role: the holder could use it to grant itself anything.`);
        }
    });
    const types: readonly unknown[] = args.principalTypes ?? ["ServicePrincipal"];
    if (!Array.isArray(types) || types.length === 0) {
        problems.add("principalTypes must list at least one principal type.");
    }
    types.forEach((type, index) => {
        if (!principalTypes.includes(type as DelegablePrincipalType)) {
            problems.add(`principalTypes[${index}] must be one of ${principalTypes.join(", ")}; got ${JSON.stringify(type)}.`);
        }
    });
    problems.throwIfAny();
    return {
        roleIds: [...new Set(args.roleIds.map((id) => id.toLowerCase()))].sort(),
        principalTypes: [...new Set(types as DelegablePrincipalType[])],
    };
}

/**
 * Builds the condition (conditionVersion 2.0), following Microsoft's "Constrain roles" and "Constrain roles and
 * principal types" examples for delegating role assignment management:
 *
 *     ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))
 *       OR (@Request[...:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {...}
 *           AND @Request[...:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {...}))
 *     AND
 *     ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}))
 *       OR (@Resource[...:RoleDefinitionId] ... AND @Resource[...:PrincipalType] ...))
 */
export function delegationCondition(args: DelegationConditionArgs | readonly DelegationConditionArgs[]): string {
    // Several rules (roles for service principals, other roles for groups) are alternatives: any one may allow a request.
    const rules = (Array.isArray(args) ? args : [args]).map((rule) => checkDelegation(rule));
    const allowed = (source: "Request" | "Resource") =>
        rules.map(({ roleIds, principalTypes: types }) => {
            const roles = `{${roleIds.join(", ")}}`;
            const kinds = `{${types.map((type) => `'${type}'`).join(", ")}}`;
            return (
                `(@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${roles} AND ` +
                `@${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase ${kinds})`
            );
        });
    const clause = (action: "write" | "delete", source: "Request" | "Resource") =>
        `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR ${allowed(source).join(" OR ")})`;
    // Write is judged on the request (the assignment being made), delete on the resource (the one being removed).
    return `${clause("write", "Request")} AND ${clause("delete", "Resource")}`;
}

/** The condition version Azure requires for the syntax above. */
export const delegationConditionVersion = "2.0";
