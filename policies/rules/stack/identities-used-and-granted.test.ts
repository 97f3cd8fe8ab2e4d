import { runStackPolicy, StackFixture, UNKNOWN_STRING, urnOf, withPath } from "../../testing";
import { identitiesUsedAndGranted } from "./identities-used-and-granted";

const rg = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg";
const identityId = `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`;
const identityPrincipal = "00000000-0000-4000-8000-0000000000a1";
const sitePrincipal = "00000000-0000-4000-8000-0000000000b2";

const uaiType = "azure-native:managedidentity:UserAssignedIdentity";
const raType = "azure-native:authorization:RoleAssignment";

/** Stack outputs as the engine reports them after an update: identity, its grant, the site using it (outputs keep IDs as map keys). */
function stack(): StackFixture[] {
    return [
        { type: uaiType, name: "api-id", props: { name: "id-api", principalId: identityPrincipal, clientId: "00000000-0000-4000-8000-0000000000c3" } },
        { type: raType, name: "api-id-kv", props: { principalId: identityPrincipal, principalType: "ServicePrincipal", roleDefinitionId: "x/4633458b-17de-408a-b874-0445c86b69e6", scope: `${rg}/providers/Microsoft.KeyVault/vaults/kv` } },
        {
            type: "azure-native:web:WebApp",
            name: "api",
            props: { identity: { type: "SystemAssigned, UserAssigned", principalId: sitePrincipal, userAssignedIdentities: { [identityId]: { principalId: identityPrincipal } } } },
        },
        { type: raType, name: "api-site-blob", props: { principalId: sitePrincipal, principalType: "ServicePrincipal", roleDefinitionId: "x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", scope: `${rg}/providers/Microsoft.Storage/storageAccounts/st` } },
    ];
}

function replace(resources: StackFixture[], name: string, change: (r: StackFixture) => StackFixture): StackFixture[] {
    return resources.map((resource) => (resource.name === name ? change(resource) : resource));
}

describe("identities-used-and-granted", () => {
    it("passes an identity that a workload uses and a grant gives a role; a system-assigned principal counts as the stack's", async () => {
        expect(await runStackPolicy(identitiesUsedAndGranted, stack())).toEqual([]);
    });

    it("accepts input-shaped identity lists (string arrays) and federated credentials as usage", async () => {
        const inputs = replace(stack(), "api", (site) => ({ ...site, props: withPath(site.props, "identity.userAssignedIdentities", [identityId.toLowerCase()]) }));
        expect(await runStackPolicy(identitiesUsedAndGranted, inputs)).toEqual([]);
        const deployOnly = stack().filter((r) => r.name !== "api" && r.name !== "api-site-blob");
        deployOnly.push({ type: "azure-native:managedidentity:FederatedIdentityCredential", name: "api-id-gh", props: { resourceName: "id-api", issuer: "https://token.actions.githubusercontent.com", subject: "repo:o/r:environment:prod", audiences: ["api://AzureADTokenExchange"] } });
        expect(await runStackPolicy(identitiesUsedAndGranted, deployOnly)).toEqual([]);
    });

    it("fails an identity no workload uses", async () => {
        const unused = stack().filter((r) => r.name !== "api" && r.name !== "api-site-blob");
        expect(await runStackPolicy(identitiesUsedAndGranted, unused)).toEqual([
            {
                message: 'UserAssignedIdentity "api-id" (usage): is not attached to any workload, federated credential or Key Vault reference in this stack; attach it or remove it.',
                urn: urnOf(uaiType, "api-id"),
            },
        ]);
    });

    it("fails an identity with no grant", async () => {
        const ungranted = stack().filter((r) => r.name !== "api-id-kv");
        expect(await runStackPolicy(identitiesUsedAndGranted, ungranted)).toEqual([
            {
                message: `UserAssignedIdentity "api-id" principalId: (${identityPrincipal}) has no role assignment in this stack; grant it the narrow roles its workload needs or remove it.`,
                urn: urnOf(uaiType, "api-id"),
            },
        ]);
    });

    it("fails a grant to a service principal the stack does not declare", async () => {
        const outsider = "00000000-0000-4000-8000-0000000000ff";
        const resources = [...stack(), { type: raType, name: "outside", props: { principalId: outsider, principalType: "ServicePrincipal", roleDefinitionId: "x/y", scope: rg } }];
        expect(await runStackPolicy(identitiesUsedAndGranted, resources)).toEqual([
            {
                message: `RoleAssignment "outside" principalId: (${outsider}) is not an identity declared in this stack; grant roles to the stack's managed identities, or exempt this assignment with the reason.`,
                urn: urnOf(raType, "outside"),
            },
        ]);
    });

    it("leaves grants to groups to the human review, and honours exemptions with reasons", async () => {
        const outsider = { type: raType, name: "outside", props: { principalId: "00000000-0000-4000-8000-0000000000ff", principalType: "Group", roleDefinitionId: "x/y", scope: rg } };
        expect(await runStackPolicy(identitiesUsedAndGranted, [...stack(), outsider])).toEqual([]);
        const sp = { ...outsider, props: { ...outsider.props, principalType: "ServicePrincipal" } };
        expect(await runStackPolicy(identitiesUsedAndGranted, [...stack(), sp], { exemptions: [{ resource: "outside", reason: "Shared deploy identity from the bootstrap stack" }] })).toEqual([]);
    });

    it("skips what is unknown at a first preview instead of failing it", async () => {
        const preview: StackFixture[] = [
            { type: uaiType, name: "api-id", props: { name: "id-api", principalId: UNKNOWN_STRING } },
            { type: raType, name: "api-id-kv", props: { principalId: UNKNOWN_STRING, principalType: "ServicePrincipal", roleDefinitionId: UNKNOWN_STRING, scope: UNKNOWN_STRING } },
            { type: "azure-native:web:WebApp", name: "api", props: { identity: { type: "UserAssigned", userAssignedIdentities: [UNKNOWN_STRING] } } },
        ];
        expect(await runStackPolicy(identitiesUsedAndGranted, preview)).toEqual([]);
    });

    it("uses the engine's property dependencies when references are unknown", async () => {
        const identityUrn = urnOf(uaiType, "api-id");
        const otherUrn = urnOf(uaiType, "other-id");
        const preview: StackFixture[] = [
            { type: uaiType, name: "api-id", props: { name: "id-api", principalId: identityPrincipal } },
            { type: uaiType, name: "other-id", props: { name: "id-other", principalId: "00000000-0000-4000-8000-0000000000d4" } },
            { type: raType, name: "api-id-kv", props: { principalId: identityPrincipal, principalType: "ServicePrincipal" } },
            { type: raType, name: "other-id-kv", props: { principalId: "00000000-0000-4000-8000-0000000000d4", principalType: "ServicePrincipal" } },
            {
                type: "azure-native:web:WebApp",
                name: "api",
                props: { identity: { type: "UserAssigned", userAssignedIdentities: [UNKNOWN_STRING] } },
                propertyDependencies: { identity: [identityUrn] },
            },
        ];
        expect(await runStackPolicy(identitiesUsedAndGranted, preview)).toEqual([
            {
                message: 'UserAssignedIdentity "other-id" (usage): is not attached to any workload, federated credential or Key Vault reference in this stack; attach it or remove it.',
                urn: otherUrn,
            },
        ]);
    });
});
