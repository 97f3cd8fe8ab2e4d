import { fixture, ids } from "../../testing/fixtures";
import { check, describeResourceRule, runResourcePolicy, UNKNOWN_STRING, withPath } from "../../testing";
import { encryptionGrantAtKeyScope } from "./encryption-grant-at-key-scope";

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001";
const grant = fixture("app-id-cmk");
const wide = "Key Vault Crypto Service Encryption User there wraps and unwraps with every key in it: scope it to the one key (.../vaults/<vault>/keys/<key>).";

describeResourceRule(
    encryptionGrantAtKeyScope,
    grant,
    [
        { path: "scope", value: ids.vault, message: `RoleAssignment "app-id-cmk" scope: is the vault ${JSON.stringify(ids.vault)}; ${wide}` },
        { path: "scope", value: `${sub}/resourceGroups/rg`, message: `RoleAssignment "app-id-cmk" scope: is the resource group "${sub}/resourceGroups/rg"; ${wide}` },
        { path: "scope", value: sub, message: `RoleAssignment "app-id-cmk" scope: is the subscription "${sub}"; ${wide}` },
        { path: "scope", value: "/providers/Microsoft.Management/managementGroups/root", message: `RoleAssignment "app-id-cmk" scope: is a management group or the root "/providers/Microsoft.Management/managementGroups/root"; ${wide}` },
        {
            path: "scope",
            value: `${ids.vault}/secrets/db`,
            message: `RoleAssignment "app-id-cmk" scope: is "${ids.vault}/secrets/db", not a Key Vault key; scope it to the one key (.../vaults/<vault>/keys/<key>).`,
        },
    ],
    "scope",
);

describe("encryption-grant-at-key-scope", () => {
    it("accepts the key's ID in any case, with a trailing slash, and a bare role GUID", () => {
        expect(check(encryptionGrantAtKeyScope, { ...grant, props: withPath(grant.props, "scope", `${ids.key.toUpperCase()}/`) })).toEqual([]);
        expect(check(encryptionGrantAtKeyScope, { ...grant, props: withPath(grant.props, "roleDefinitionId", "e147488a-f6f5-4113-8e2d-b22465e65bf6") })).toEqual([]);
        expect(check(encryptionGrantAtKeyScope, { ...grant, props: { ...withPath(grant.props, "roleDefinitionId", "e147488a-f6f5-4113-8e2d-b22465e65bf6"), scope: ids.vault } })).toHaveLength(1);
    });

    it("judges only Key Vault Crypto Service Encryption User: other roles keep their own rules", () => {
        const secretsUser = withPath(grant.props, "roleDefinitionId", `${sub}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`);
        expect(check(encryptionGrantAtKeyScope, { ...grant, props: { ...secretsUser, scope: ids.vault } })).toEqual([]);
    });

    it("passes at preview when the key's ID, or the role, is not known yet", async () => {
        expect(await runResourcePolicy(encryptionGrantAtKeyScope, { ...grant, props: withPath(grant.props, "scope", UNKNOWN_STRING) })).toEqual([]);
        expect(await runResourcePolicy(encryptionGrantAtKeyScope, { ...grant, props: { ...withPath(grant.props, "roleDefinitionId", UNKNOWN_STRING), scope: ids.vault } })).toEqual([]);
    });
});
