import { runUnderMocks, valueOf, mockTenantId } from "../testing";
import { ofType } from "../testing/fixtures";
import { builtInRoles } from "../access/roles";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { AksCluster, AksClusterArgs } from "./AksCluster";
import { ContainerRegistry } from "./ContainerRegistry";
import { linkServiceAccount, WorkloadIdentityBinding, bindingCredentialName, resourceGroupOf } from "./WorkloadIdentityBinding";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ProblemsError } from "../shared/problems";

const adminGroup = "6b1f5e0a-3c2d-4e8f-9a7b-1c2d3e4f5a6b";

describe("AksCluster", () => {
    it("declares a cluster with Entra-only access, workload identity, and identities wired for the nodes", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const registry = new ContainerRegistry("apps", { resourceGroupName: "rg" });
            const cluster = new AksCluster("shop", {
                resourceGroupName: "rg",
                location: "westeurope",
                registries: [registry.asTarget()],
                adminGroupObjectIds: [adminGroup],
                apiServer: { authorizedIpRanges: ["203.0.113.0/24"] },
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
            });
            return { issuer: cluster.oidcIssuerUrl, target: cluster.asTarget() };
        });
        const [component] = ofType(resources, "keyless:containers:AksCluster");
        const [cluster] = ofType(resources, "azure-native:containerservice:ManagedCluster");
        expect(cluster.parentUrn).toBe(component.urn);
        expect(cluster.inputs.resourceName).toBe("aks-shop");
        expect(cluster.inputs.oidcIssuerProfile).toEqual({ enabled: true });
        expect(cluster.inputs.securityProfile).toEqual({ workloadIdentity: { enabled: true } });
        expect(cluster.inputs.disableLocalAccounts).toBe(true);
        expect(cluster.inputs.enableRBAC).toBe(true);
        expect(cluster.inputs.aadProfile).toEqual({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [adminGroup] });
        expect(cluster.inputs.servicePrincipalProfile).toBeUndefined();
        expect(cluster.inputs.apiServerAccessProfile).toEqual({ authorizedIPRanges: ["203.0.113.0/24"] });

        const identities = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const controlPlane = identities.find((identity) => identity.name === "shop-control-plane")!;
        const kubelet = identities.find((identity) => identity.name === "shop-kubelet")!;
        expect(cluster.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [controlPlane.id] });
        expect(cluster.inputs.identityProfile).toEqual({
            kubeletidentity: { resourceId: kubelet.id, clientId: kubelet.state.clientId, objectId: kubelet.state.principalId },
        });

        const assignments = ofType(resources, "azure-native:authorization:RoleAssignment");
        const acrPull = assignments.find((assignment) => String(assignment.inputs.roleDefinitionId).endsWith(builtInRoles.AcrPull.id))!;
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        expect(acrPull.inputs).toMatchObject({ scope: registry.id, principalId: kubelet.state.principalId, principalType: "ServicePrincipal" });
        const operator = assignments.find((assignment) => String(assignment.inputs.roleDefinitionId).endsWith(builtInRoles["Managed Identity Operator"].id))!;
        expect(operator.inputs).toMatchObject({ scope: kubelet.id, principalId: controlPlane.state.principalId });
        // The cluster is created only once both grants exist.
        expect(cluster.dependencies).toEqual(expect.arrayContaining([acrPull.urn, operator.urn]));
        expect(assignments).toHaveLength(2);

        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect((diagnostics.inputs.logs as { category: string }[]).map((log) => log.category)).toEqual(["kube-audit-admin", "guard"]);

        expect(await valueOf(outputs.issuer)).toMatch(new RegExp(`^https://westeurope\\.oic\\.prod-aks\\.azure\\.com/${mockTenantId}/[0-9a-f-]{36}/$`));
        expect(outputs.target.kind).toBe("aksCluster");
        // No credential-bearing call: local accounts are off and nothing lists cluster credentials.
        expect(resources.some((resource) => /credential/i.test(resource.type) && !resource.type.includes("FederatedIdentityCredential"))).toBe(false);
    });

    it("makes a private cluster on request", async () => {
        const { resources } = await runUnderMocks(() => {
            new AksCluster("internal", { resourceGroupName: "rg", apiServer: { private: true }, systemPool: { count: 3, vmSize: "Standard_D4s_v5" } });
        });
        const [cluster] = ofType(resources, "azure-native:containerservice:ManagedCluster");
        expect(cluster.inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
        expect(cluster.inputs.agentPoolProfiles).toEqual([
            expect.objectContaining({ name: "system", mode: "System", osType: "Linux", count: 3, vmSize: "Standard_D4s_v5" }),
        ]);
    });

    const invalid: [string, Partial<AksClusterArgs> & Record<string, unknown>, string][] = [
        ["authorized ranges on a private cluster", { apiServer: { private: true, authorizedIpRanges: ["203.0.113.0/24"] } }, "apiServer.authorizedIpRanges does not apply to a private cluster: remove one of them."],
        ["a private range as an authorized range", { apiServer: { authorizedIpRanges: ["10.0.0.0/8"] } }, 'apiServer.authorizedIpRanges[0] "10.0.0.0/8" is a private (RFC 1918) address, which never reaches a public endpoint; allow its subnet through allowedSubnetIds instead.'],
        ["an admin group that is not an object ID", { adminGroupObjectIds: ["platform-admins"] }, 'adminGroupObjectIds[0] must be an Entra group object ID (a GUID); got "platform-admins".'],
        ["a registry target of the wrong kind", { registries: [{ kind: "vault", name: "kv", id: "/x" }] }, 'registries[0] must be a container registry target (registry.asTarget()); got kind "vault".'],
        ["a service principal profile", { servicePrincipalProfile: { clientId: "x" } }, "servicePrincipalProfile is not accepted: the cluster uses managed identities and Entra sign-in only, with local accounts disabled."],
        ["local accounts", { disableLocalAccounts: false }, "disableLocalAccounts is not accepted: the cluster uses managed identities and Entra sign-in only, with local accounts disabled."],
        ["a bad node count", { systemPool: { count: 0 } }, "systemPool.count must be an integer from 1 to 1000; got 0."],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new AksCluster("bad", { resourceGroupName: "rg", ...extra } as AksClusterArgs)).toThrow(new ProblemsError('AksCluster "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });
});

describe("WorkloadIdentityBinding", () => {
    it("trusts the cluster's issuer for one service account, chaining writes on the same identity", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const cluster = new AksCluster("shop", { resourceGroupName: "rg", location: "westeurope" });
            const identity = new ManagedIdentity("orders", {
                resourceGroupName: "rg-apps",
                federatedCredentials: [{ name: "deploy", issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/shop:environment:prod" }],
            });
            const first = linkServiceAccount(cluster, { namespace: "orders", serviceAccount: "api", identity });
            const second = linkServiceAccount(cluster, { namespace: "orders", serviceAccount: "worker", identity });
            return { issuer: cluster.oidcIssuerUrl, manifest: first.serviceAccountYaml, pod: first.podTemplateYaml, subject: second.subject };
        });
        const credentials = ofType(resources, "azure-native:managedidentity:FederatedIdentityCredential");
        const [own, api, worker] = ["orders-deploy", "shop-orders-api-credential", "shop-orders-worker-credential"].map(
            (name) => credentials.find((credential) => credential.name === name)!,
        );
        const issuer = await valueOf(outputs.issuer);
        expect(api.inputs).toEqual({
            resourceGroupName: "rg-apps",
            resourceName: "id-orders",
            federatedIdentityCredentialResourceName: "shop-orders-api",
            issuer,
            subject: "system:serviceaccount:orders:api",
            audiences: ["api://AzureADTokenExchange"],
        });
        expect(worker.inputs.subject).toBe("system:serviceaccount:orders:worker");
        expect(outputs.subject).toBe("system:serviceaccount:orders:worker");
        // Azure rejects concurrent credential writes on one identity: each waits for the one before.
        expect(api.dependencies).toContain(own.urn);
        expect(worker.dependencies).toContain(api.urn);
        const [binding] = ofType(resources, "keyless:containers:WorkloadIdentityBinding");
        expect(api.parentUrn).toBe(binding.urn);

        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity").filter((resource) => resource.name === "orders");
        const manifest = parse(await valueOf(outputs.manifest));
        expect(manifest).toEqual({
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "api", namespace: "orders", annotations: { "azure.workload.identity/client-id": identity.state.clientId } },
        });
        expect(parse(outputs.pod).metadata.labels["azure.workload.identity/use"]).toBe("true");
    });

    it("refuses a service account that is not a DNS label, and a 21st credential, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const cluster = { name: "shop", oidcIssuerUrl: pulumi.output("https://westeurope.oic.prod-aks.azure.com/t/c/") };
            const identity = new ManagedIdentity("full", {
                resourceGroupName: "rg",
                federatedCredentials: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, issuer: "https://issuer.example", subject: `system:serviceaccount:ns:sa${i}` })),
            });
            expect(() => new WorkloadIdentityBinding("bad-name", { cluster, namespace: "Orders", serviceAccount: "api", identity })).toThrow(
                new ProblemsError('WorkloadIdentityBinding "bad-name"', [
                    'Kubernetes namespace "Orders" must be a DNS label: lowercase letters, digits and \'-\', at most 63 characters.',
                    "identity already has 20 federated credentials; an identity takes at most 20.",
                ]),
            );
            expect(() => linkServiceAccount(cluster, { namespace: "orders", serviceAccount: "api", identity })).toThrow(
                new ProblemsError('WorkloadIdentityBinding "shop-orders-api"', ["identity already has 20 federated credentials; an identity takes at most 20."]),
            );
        });
        expect(ofType(resources, "keyless:containers:WorkloadIdentityBinding")).toHaveLength(0);
        expect(ofType(resources, "azure-native:managedidentity:FederatedIdentityCredential")).toHaveLength(20);
    });

    it("names credentials within Azure's limit and reads the identity's resource group from its ID", () => {
        expect(bindingCredentialName("shop", "orders", "api")).toBe("shop-orders-api");
        const long = bindingCredentialName("c".repeat(40), "n".repeat(63), "s".repeat(63));
        expect(long).toHaveLength(120);
        expect(long).not.toBe(bindingCredentialName("c".repeat(40), "n".repeat(63), `${"s".repeat(62)}t`));
        expect(resourceGroupOf("/subscriptions/s/resourceGroups/rg-apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x")).toBe("rg-apps");
        expect(() => resourceGroupOf("not-an-id")).toThrow(/not an ARM resource ID/);
    });
});
