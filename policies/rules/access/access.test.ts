import { check, Fixture, runResourcePolicy, UNKNOWN_STRING, withPath } from "../../testing";
import { customRoleNoWildcardActions } from "./custom-role-no-wildcard-actions";
import { keyVaultAdminToWorkload } from "./keyvault-admin-to-workload";
import { broadScope, noManagedIdentityAtBroadScope } from "./no-managed-identity-at-broad-scope";
import { noPrivilegedRoleForServicePrincipals } from "./no-privileged-role-for-service-principals";
import { roleAssignmentPrincipalTypeSet } from "./role-assignment-principal-type-set";

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001";
const definition = (guid: string) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const secretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
const vaultScope = `${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-api`;

/** The grant the Keyless RoleAssignments component makes: narrow role, resource scope, principal type set. */
const grant: Fixture = {
    type: "azure-native:authorization:RoleAssignment",
    name: "api-kv-secrets-user",
    props: { principalId: "00000000-0000-4000-8000-000000000010", principalType: "ServicePrincipal", roleDefinitionId: definition(secretsUser), scope: vaultScope },
};

function variant(path: string, value: unknown): Fixture {
    return { ...grant, props: withPath(grant.props, path, value) };
}

describe("access rules on a narrow grant", () => {
    it.each([noPrivilegedRoleForServicePrincipals, noManagedIdentityAtBroadScope, roleAssignmentPrincipalTypeSet, keyVaultAdminToWorkload])("$name passes", (rule) => {
        expect(check(rule, grant)).toEqual([]);
    });
});

describe("no-privileged-role-for-service-principals", () => {
    it.each([
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"],
        ["b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"],
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"],
        ["f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator"],
    ])("fails %s (%s) to a service principal", (guid, role) => {
        expect(check(noPrivilegedRoleForServicePrincipals, variant("roleDefinitionId", definition(guid)))).toEqual([
            `RoleAssignment "api-kv-secrets-user" roleDefinitionId: grants ${role} to a service principal; grant a narrow role on the target resource instead.`,
        ]);
    });

    it("fails an unset principal type, matches upper-case GUIDs and bare IDs", () => {
        const owner = "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635";
        expect(check(noPrivilegedRoleForServicePrincipals, { ...grant, props: { ...grant.props, principalType: undefined, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${owner}` } })).toEqual([
            'RoleAssignment "api-kv-secrets-user" roleDefinitionId: grants Owner to a principal of unset type (which may be a service principal); grant a narrow role on the target resource instead.',
        ]);
    });

    it("leaves grants to groups and unknown role IDs alone", async () => {
        expect(check(noPrivilegedRoleForServicePrincipals, { ...grant, props: { ...grant.props, principalType: "Group", roleDefinitionId: definition("b24988ac-6180-42a0-ab88-20f7382dd24c") } })).toEqual([]);
        expect(await runResourcePolicy(noPrivilegedRoleForServicePrincipals, variant("roleDefinitionId", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("no-managed-identity-at-broad-scope", () => {
    it("classifies scopes", () => {
        expect(broadScope(sub)).toBe("subscription");
        expect(broadScope(`${sub}/`)).toBe("subscription");
        expect(broadScope("/providers/Microsoft.Management/managementGroups/platform")).toBe("management group");
        expect(broadScope("/")).toBe("root");
        expect(broadScope(`${sub}/resourceGroups/rg`)).toBeUndefined();
        expect(broadScope(vaultScope)).toBeUndefined();
    });

    it("fails subscription and management group scopes", () => {
        expect(check(noManagedIdentityAtBroadScope, variant("scope", sub))).toEqual([
            `RoleAssignment "api-kv-secrets-user" scope: is the subscription "${sub}"; scope the grant to the target resource or its resource group.`,
        ]);
        expect(check(noManagedIdentityAtBroadScope, variant("scope", "/providers/Microsoft.Management/managementGroups/platform"))).toEqual([
            'RoleAssignment "api-kv-secrets-user" scope: is the management group "/providers/Microsoft.Management/managementGroups/platform"; scope the grant to the target resource or its resource group.',
        ]);
    });

    it("allows resource-group scope, user principals and unknown scopes", async () => {
        expect(check(noManagedIdentityAtBroadScope, variant("scope", `${sub}/resourceGroups/rg`))).toEqual([]);
        expect(check(noManagedIdentityAtBroadScope, { ...grant, props: { ...grant.props, scope: sub, principalType: "User" } })).toEqual([]);
        expect(await runResourcePolicy(noManagedIdentityAtBroadScope, variant("scope", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("role-assignment-principal-type-set", () => {
    it("fails a missing principal type", () => {
        expect(check(roleAssignmentPrincipalTypeSet, variant("principalType", undefined))).toEqual([
            'RoleAssignment "api-kv-secrets-user" principalType: is not set; set it ("ServicePrincipal" for a managed identity).',
        ]);
    });

    it("skips an unknown principal type", async () => {
        expect(await runResourcePolicy(roleAssignmentPrincipalTypeSet, variant("principalType", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("keyvault-admin-to-workload", () => {
    it.each([
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator"],
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer"],
    ])("warns on %s (%s)", (guid, role) => {
        expect(check(keyVaultAdminToWorkload, variant("roleDefinitionId", definition(guid)))).toEqual([
            `RoleAssignment "api-kv-secrets-user" roleDefinitionId: grants ${role} to a service principal; workloads need Key Vault Secrets User.`,
        ]);
    });

    it("is advisory by default", () => {
        expect(keyVaultAdminToWorkload.defaultLevel).toBe("advisory");
    });
});

describe("custom-role-no-wildcard-actions", () => {
    const role: Fixture = {
        type: "azure-native:authorization:RoleDefinition",
        name: "blob-reader",
        props: {
            scope: sub,
            roleName: "Blob reader",
            permissions: [{ actions: ["Microsoft.Storage/storageAccounts/read"], dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], notActions: ["*"] }],
        },
    };

    it("passes explicit actions (notActions may use wildcards)", () => {
        expect(check(customRoleNoWildcardActions, role)).toEqual([]);
    });

    it("fails wildcards in actions and dataActions", () => {
        expect(check(customRoleNoWildcardActions, { ...role, props: withPath(role.props, "permissions[0].actions[0]", "*") })).toEqual([
            'RoleDefinition "blob-reader" permissions[0].actions[0]: is "*"; list the exact operations instead of a wildcard.',
        ]);
        expect(check(customRoleNoWildcardActions, { ...role, props: withPath(role.props, "permissions[0].dataActions[0]", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*") })).toEqual([
            'RoleDefinition "blob-reader" permissions[0].dataActions[0]: is "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"; list the exact operations instead of a wildcard.',
        ]);
    });

    it("skips unknown actions", async () => {
        expect(await runResourcePolicy(customRoleNoWildcardActions, { ...role, props: withPath(role.props, "permissions[0].actions", UNKNOWN_STRING) })).toEqual([]);
    });
});
