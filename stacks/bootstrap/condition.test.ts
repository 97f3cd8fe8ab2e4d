import { ProblemsError } from "../../infra/shared/problems";
import { builtInRoles } from "../../infra/access/roles";
import { catalogDelegableRoleIds, checkDelegation, delegationCondition } from "./condition";

const secretsUser = builtInRoles["Key Vault Secrets User"].id;
const acrPull = builtInRoles.AcrPull.id;
const privileged = Object.values(builtInRoles)
    .filter((role) => "privileged" in role && role.privileged)
    .map((role) => role.id);

/** The GUID set and principal types each clause allows, read back from the condition text. */
function clauses(condition: string) {
    const pattern =
        /\(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/(write|delete)'\}\)\) OR \(@(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{([^}]*)\} AND @(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{([^}]*)\}\)\)/g;
    return [...condition.matchAll(pattern)].map((match) => ({
        action: match[1],
        roleSource: match[2],
        roles: match[3].split(", "),
        typeSource: match[4],
        types: match[5].split(", "),
    }));
}

describe("delegationCondition", () => {
    it("writes Microsoft's constrain-roles-and-principal-types form for write and delete", () => {
        expect(delegationCondition({ roleIds: [secretsUser, acrPull] })).toBe(
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
                "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6, 7f951dda-4ed3-4680-a7ca-43fe172d538d} AND " +
                "@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'})) AND " +
                "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR " +
                "(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6, 7f951dda-4ed3-4680-a7ca-43fe172d538d} AND " +
                "@Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))",
        );
    });

    it("judges a write by the request and a delete by the existing assignment, with the same roles and types", () => {
        const parsed = clauses(delegationCondition({ roleIds: catalogDelegableRoleIds() }));
        expect(parsed.map(({ action, roleSource, typeSource }) => [action, roleSource, typeSource])).toEqual([
            ["write", "Request", "Request"],
            ["delete", "Resource", "Resource"],
        ]);
        for (const clause of parsed) {
            expect(clause.roles).toEqual(catalogDelegableRoleIds());
            expect(clause.types).toEqual(["'ServicePrincipal'"]);
        }
    });

    it("delegates every non-privileged catalog role and no privileged one", () => {
        const delegable = catalogDelegableRoleIds();
        expect(delegable).toContain(secretsUser);
        expect(delegable).toContain(builtInRoles["Storage Blob Data Reader"].id);
        expect(delegable).toContain(builtInRoles["Managed Identity Operator"].id);
        expect(privileged).toHaveLength(4);
        for (const id of privileged) {
            expect(delegable).not.toContain(id);
        }
        expect(delegable).toHaveLength(Object.keys(builtInRoles).length - privileged.length);
        expect([...delegable].sort()).toEqual(delegable);
    });

    it("normalises case and duplicates, so the text is stable", () => {
        expect(checkDelegation({ roleIds: [acrPull.toUpperCase(), secretsUser, acrPull], principalTypes: ["ServicePrincipal", "ServicePrincipal"] })).toEqual({
            roleIds: [secretsUser, acrPull],
            principalTypes: ["ServicePrincipal"],
        });
    });

    it("refuses privileged roles, non-GUIDs, empty lists and unknown principal types, naming each", () => {
        const refused = (problems: string[]) => new ProblemsError("Role assignment condition", problems);
        const rbacAdmin = builtInRoles["Role Based Access Control Administrator"].id;
        expect(() => delegationCondition({ roleIds: [secretsUser, builtInRoles.Owner.id] })).toThrow(
            refused(["roleIds[1] is Owner (8e3af657-a8ff-443c-a75c-2fe8c4bcb635), a privileged role: the holder could use it to grant itself anything."]),
        );
        expect(() => delegationCondition({ roleIds: [rbacAdmin] })).toThrow(
            refused([`roleIds[0] is Role Based Access Control Administrator (${rbacAdmin}), a privileged role: the holder could use it to grant itself anything.`]),
        );
        expect(() => delegationCondition({ roleIds: ["Key Vault Secrets User"] })).toThrow(refused(['roleIds[0] must be a role definition GUID; got "Key Vault Secrets User".']));
        expect(() => delegationCondition({ roleIds: [] })).toThrow(refused(["roleIds must list at least one role definition GUID."]));
        expect(() => delegationCondition({ roleIds: [secretsUser], principalTypes: [] })).toThrow(refused(["principalTypes must list at least one principal type."]));
        expect(() => delegationCondition({ roleIds: [secretsUser], principalTypes: ["Device" as never] })).toThrow(
            refused(['principalTypes[0] must be one of ServicePrincipal, Group, User; got "Device".']),
        );
        expect(() => delegationCondition({ roleIds: [], principalTypes: ["Device" as never] })).toThrow(
            refused(["roleIds must list at least one role definition GUID.", 'principalTypes[0] must be one of ServicePrincipal, Group, User; got "Device".']),
        );
    });
});
