import { runUnderMocks } from "../testing";
import { ofType } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { ManagedIdentity } from "./ManagedIdentity";
import { githubCredential, serviceAccountSubject } from "./federated";
import { builtInRoles } from "../access/roles";

const repo = { owner: "contoso", repo: "keyless" };
const vaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-app";

describe("ManagedIdentity", () => {
    it("declares the identity, chains its federated credentials and grants roles as a service principal", async () => {
        const { resources } = await runUnderMocks(() => {
            new ManagedIdentity("deploy", {
                resourceGroupName: "rg-test",
                federatedCredentials: [
                    githubCredential("env-dev", repo, { environment: "dev" }),
                    githubCredential("pr", repo, { pullRequest: true }),
                    { name: "aks", issuer: "https://oidc.example/issuer", subject: serviceAccountSubject("stock", "tracker") },
                ],
                grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "app", id: vaultId } }],
            });
        });
        const [component] = ofType(resources, "keyless:identity:ManagedIdentity");
        expect(component.name).toBe("deploy");
        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(identity.inputs.resourceName).toBe("id-deploy");
        expect(identity.parentUrn).toBe(component.urn);

        const credentials = ofType(resources, "azure-native:managedidentity:FederatedIdentityCredential");
        expect(credentials.map((c) => c.inputs.subject)).toEqual([
            "repo:contoso/keyless:environment:dev",
            "repo:contoso/keyless:pull_request",
            "system:serviceaccount:stock:tracker",
        ]);
        // Each credential waits for the previous one: Azure rejects concurrent writes on one identity.
        expect(credentials[0].dependencies.filter((urn) => urn.includes("FederatedIdentityCredential"))).toEqual([]);
        expect(credentials[1].dependencies).toContain(credentials[0].urn);
        expect(credentials[2].dependencies).toContain(credentials[1].urn);
        expect(credentials.every((c) => (c.inputs.audiences as string[])[0] === "api://AzureADTokenExchange")).toBe(true);

        const [assignment] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(assignment.inputs.principalType).toBe("ServicePrincipal");
        expect(assignment.inputs.scope).toBe(vaultId);
        expect(String(assignment.inputs.roleDefinitionId)).toMatch(
            new RegExp(`/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles["Key Vault Secrets User"].id}$`),
        );
        expect(assignment.inputs.roleAssignmentName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("refuses more than 20 federated credentials before declaring anything", async () => {
        const many = Array.from({ length: 21 }, (_, i) => githubCredential(`b${i}`, repo, { branch: `feature-${i}` }));
        const { resources } = await runUnderMocks(() => {
            expect(() => new ManagedIdentity("too-many", { resourceGroupName: "rg", federatedCredentials: many })).toThrow(
                new ProblemsError('ManagedIdentity "too-many"', ["federatedCredentials lists 21 credentials; an identity takes at most 20."]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("refuses a privileged role for a workload identity", async () => {
        const { resources } = await runUnderMocks(() => {
            expect(
                () =>
                    new ManagedIdentity("app", {
                        resourceGroupName: "rg",
                        grants: [{ role: "Owner", target: { kind: "vault", name: "app", id: vaultId } }],
                    }),
            ).toThrow(
                new ProblemsError('ManagedIdentity "app"', [
                    'grants[0]: Role "Owner" on vault "app" is privileged: workload identities never get ' +
                        "Owner, Contributor, User Access Administrator or RBAC Administrator. Use a data-plane role instead.",
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("reports a bad credential and a repeated grant in one error", async () => {
        const grant = { role: "Key Vault Secrets User", target: { kind: "vault" as const, name: "app", id: vaultId } };
        const { resources } = await runUnderMocks(() => {
            expect(
                () =>
                    new ManagedIdentity("app", {
                        resourceGroupName: "rg",
                        federatedCredentials: [{ name: "ci", issuer: "http://token.example", subject: "s" }],
                        grants: [grant, grant],
                    }),
            ).toThrow(
                new ProblemsError('ManagedIdentity "app"', [
                    'federatedCredentials[0].issuer "http://token.example" must be an https URL.',
                    'grants[1]: role "Key Vault Secrets User" is granted twice on vault "app".',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });
});
