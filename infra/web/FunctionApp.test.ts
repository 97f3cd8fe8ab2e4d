import { randomBytes } from "crypto";
import { RecordedResource, runUnderMocks } from "../testing";
import { ofType, one, settingsOf, thrownBy } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { FunctionApp, FunctionAppArgs, keyedPlanExplanation } from "./FunctionApp";

const storageId = "/subscriptions/s/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stjobs";
const hostStorage = { accountName: "stjobs", id: storageId };

/** The three roles the Functions host needs, by GUID as Azure knows them. */
const hostRoleIds = {
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
};

function hostIdentity(): ManagedIdentity {
    return new ManagedIdentity("jobs-id", { resourceGroupName: "rg-jobs" });
}

function expectHostGrants(resources: RecordedResource[], principalId: unknown): RecordedResource[] {
    const grants = ofType(resources, "azure-native:authorization:RoleAssignment");
    expect(grants).toHaveLength(3);
    expect(grants.map((grant) => String(grant.inputs.roleDefinitionId).split("/").pop()).sort()).toEqual(Object.values(hostRoleIds).sort());
    for (const grant of grants) {
        expect(grant.inputs).toMatchObject({ scope: storageId, principalId, principalType: "ServicePrincipal" });
        expect(String(grant.inputs.roleDefinitionId)).toMatch(/^\/subscriptions\/[^/]+\/providers\/Microsoft.Authorization\/roleDefinitions\//);
    }
    return grants;
}

describe("FunctionApp", () => {
    it("reaches host storage through the user-assigned identity, granted before the site exists", async () => {
        const { resources } = await runUnderMocks(() => {
            new FunctionApp("jobs", {
                resourceGroupName: "rg-jobs",
                identity: { userAssigned: [hostIdentity()] },
                runtime: { name: "python", version: "3.11" },
                hostStorage,
                plan: { sku: "P0v3" },
                settings: { Queue: { identityConnection: { accountName: "stjobs" } } },
            });
        });
        const component = one(resources, "keyless:web:FunctionApp");
        const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const clientId = identity.state.clientId as string;

        expect(one(resources, "azure-native:web:AppServicePlan").inputs).toMatchObject({ reserved: true, kind: "linux", sku: { name: "P0v3" } });
        const site = one(resources, "azure-native:web:WebApp");
        expect(site.parentUrn).toBe(component.urn);
        expect(site.inputs).toMatchObject({
            kind: "functionapp,linux",
            httpsOnly: true,
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
            keyVaultReferenceIdentity: identity.id,
        });
        expect(site.inputs.siteConfig).toMatchObject({
            minTlsVersion: "1.2",
            scmMinTlsVersion: "1.2",
            ftpsState: "Disabled",
            http20Enabled: true,
            linuxFxVersion: "PYTHON|3.11",
            alwaysOn: true,
        });
        expect(String(site.inputs.name)).toMatch(/^func-jobs-[0-9a-f]{6}$/);

        const settings = settingsOf(site);
        expect(settings).toEqual({
            AZURE_CLIENT_ID: clientId,
            AzureWebJobsStorage__accountName: "stjobs",
            AzureWebJobsStorage__credential: "managedidentity",
            // A client ID (GUID), not the identity's resource ID, which the host does not accept here.
            AzureWebJobsStorage__clientId: clientId,
            FUNCTIONS_EXTENSION_VERSION: "~4",
            FUNCTIONS_WORKER_RUNTIME: "python",
            Queue__accountName: "stjobs",
            Queue__credential: "managedidentity",
            Queue__clientId: clientId,
        });
        expect(settings.AzureWebJobsStorage__clientId).toMatch(/^[0-9a-f-]{36}$/);
        expect(Object.keys(settings)).not.toContain("AzureWebJobsStorage");

        const grants = expectHostGrants(resources, identity.state.principalId);
        for (const grant of grants) {
            expect(site.dependencies).toContain(grant.urn);
        }
        for (const type of ["azure-native:web:WebAppFtpAllowed", "azure-native:web:WebAppScmAllowed"]) {
            expect(one(resources, type).inputs).toEqual({ name: site.inputs.name, resourceGroupName: "rg-jobs", allow: false });
        }
    });

    it("grants a system-assigned host identity after the site, with no credential settings", async () => {
        const { resources } = await runUnderMocks(() => {
            new FunctionApp("jobs", {
                resourceGroupName: "rg-jobs",
                identity: { systemAssigned: true },
                runtime: { name: "node", version: "20" },
                hostStorage,
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
            });
        });
        const site = one(resources, "azure-native:web:WebApp");
        const settings = settingsOf(site);
        expect(settings).toEqual({
            AzureWebJobsStorage__accountName: "stjobs",
            FUNCTIONS_EXTENSION_VERSION: "~4",
            FUNCTIONS_WORKER_RUNTIME: "node",
        });
        expect(site.inputs.keyVaultReferenceIdentity).toBe("SystemAssigned");
        const principal = (site.state.identity as { principalId: string }).principalId;
        for (const grant of expectHostGrants(resources, principal)) {
            expect(grant.dependencies).toContain(site.urn);
        }
        const diagnostics = one(resources, "azure-native:monitor:DiagnosticSetting");
        expect((diagnostics.inputs.logs as { category: string }[]).map((log) => log.category)).toEqual(["FunctionAppLogs"]);
    });

    it("pins the system-assigned host identity when AZURE_CLIENT_ID names a user-assigned one", async () => {
        const { resources } = await runUnderMocks(() => {
            new FunctionApp("jobs", {
                resourceGroupName: "rg-jobs",
                identity: { systemAssigned: true, userAssigned: [hostIdentity()] },
                hostStorageIdentity: "SystemAssigned",
                runtime: { name: "node", version: "20" },
                hostStorage,
            });
        });
        const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const site = one(resources, "azure-native:web:WebApp");
        const settings = settingsOf(site);
        expect(settings.AZURE_CLIENT_ID).toBe(identity.state.clientId);
        expect(settings.AzureWebJobsStorage__credential).toBe("managedidentity");
        expect(settings).not.toHaveProperty("AzureWebJobsStorage__clientId");
        expectHostGrants(resources, (site.state.identity as { principalId: string }).principalId);
    });

    it("accepts a storage component that names itself as a grant target", async () => {
        const { resources } = await runUnderMocks(() => {
            new FunctionApp("jobs", {
                resourceGroupName: "rg-jobs",
                identity: { userAssigned: [hostIdentity()] },
                runtime: { name: "dotnet-isolated", version: "8.0" },
                hostStorage: { accountName: "stjobs", asTarget: () => ({ kind: "storageAccount", name: "jobs-data", id: storageId }) },
            });
        });
        const grants = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(grants.map((grant) => grant.inputs.scope)).toEqual([storageId, storageId, storageId]);
        expect(grants.every((grant) => grant.name.endsWith("-storageaccount-jobs-data"))).toBe(true);
        expect(one(resources, "azure-native:web:WebApp").inputs.siteConfig).toMatchObject({ linuxFxVersion: "DOTNET-ISOLATED|8.0" });
    });

    it("runs on Flex Consumption, deploying from a private blob container through the identity", async () => {
        const { resources } = await runUnderMocks(() => {
            new FunctionApp("jobs", {
                resourceGroupName: "rg-jobs",
                identity: { userAssigned: [hostIdentity()] },
                runtime: { name: "node", version: "20" },
                hostStorage,
                plan: { sku: "FC1" },
                flexConsumption: { maximumInstanceCount: 40, instanceMemoryMB: 512 },
            });
        });
        const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(one(resources, "azure-native:web:AppServicePlan").inputs).toMatchObject({
            kind: "functionapp",
            reserved: true,
            sku: { name: "FC1", tier: "FlexConsumption" },
        });
        const container = one(resources, "azure-native:storage:BlobContainer");
        const site = one(resources, "azure-native:web:WebApp");
        const containerName = `deploy-${site.inputs.name}`;
        expect(container.inputs).toEqual({ resourceGroupName: "rg-data", accountName: "stjobs", containerName, publicAccess: "None" });
        expect(site.dependencies).toContain(container.urn);
        expect(site.inputs.functionAppConfig).toEqual({
            deployment: {
                storage: {
                    type: "blobContainer",
                    value: `https://stjobs.blob.core.windows.net/${containerName}`,
                    authentication: { type: "UserAssignedIdentity", userAssignedIdentityResourceId: identity.id },
                },
            },
            runtime: { name: "node", version: "20" },
            scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 512 },
        });
        // Flex Consumption takes the runtime from functionAppConfig and rejects the older settings.
        const settings = settingsOf(site);
        expect(settings).not.toHaveProperty("FUNCTIONS_WORKER_RUNTIME");
        expect(settings).not.toHaveProperty("FUNCTIONS_EXTENSION_VERSION");
        expect(settings.AzureWebJobsStorage__clientId).toBe(identity.state.clientId);
        expect(site.inputs.siteConfig).not.toHaveProperty("linuxFxVersion");
        expect(site.inputs.siteConfig).not.toHaveProperty("alwaysOn");
        expect(site.inputs.siteConfig).toMatchObject({ minTlsVersion: "1.2", ftpsState: "Disabled" });
        expectHostGrants(resources, identity.state.principalId);
    });

    describe("refuses bad input before declaring anything", () => {
        function baseArgs(identity: FunctionAppArgs["identity"]): FunctionAppArgs {
            return { resourceGroupName: "rg-jobs", identity, runtime: { name: "node", version: "20" }, hostStorage };
        }

        async function refuses(args: () => FunctionAppArgs, message: RegExp | RegExp[], secret?: string): Promise<void> {
            const { resources } = await runUnderMocks(() => {
                const built = args();
                const thrown = thrownBy(() => new FunctionApp("jobs", built));
                // Each problem, in the shared format under the component's subject.
                expect(thrown).toBeInstanceOf(ProblemsError);
                expect((thrown as ProblemsError).subject).toBe('FunctionApp "jobs"');
                expect((thrown as ProblemsError).problems).toEqual((Array.isArray(message) ? message : [message]).map((line) => expect.stringMatching(line)));
                if (secret) {
                    expect(thrown?.message).not.toContain(secret.slice(0, 8));
                }
            });
            expect(ofType(resources, "keyless:web:FunctionApp")).toHaveLength(0);
            expect(resources.filter((resource) => /^azure-native:(web|storage|authorization):/.test(resource.type))).toHaveLength(0);
        }

        it.each(["Y1", "EP1", "EP3"])("the %s plan, explaining why it needs a key", (sku) =>
            refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), plan: { sku } }),
                new RegExp(`plan.sku "${sku}" is refused. .*Azure Files has no identity-based authentication.*Flex Consumption \\(FC1\\)`),
            ),
        );

        it("the explanation names the plans to use instead", () => {
            expect(keyedPlanExplanation).toMatch(/B1, P0v3, P1v3/);
        });

        it("an existing plan whose SKU is not given", () =>
            refuses(
                () => ({
                    ...baseArgs({ systemAssigned: true }),
                    plan: { existingPlanId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/asp-x" },
                }),
                /plan.sku is required with plan.existingPlanId/,
            ));

        it("a free plan", () => refuses(() => ({ ...baseArgs({ systemAssigned: true }), plan: { sku: "F1" } }), /plan.sku "F1" has no Always On/));

        it("a host storage connection string in the settings", () => {
            const key = randomBytes(64).toString("base64");
            const connection = ["DefaultEndpointsProtocol=https", "AccountName=stjobs", `Account${"Key"}=${key}`].join(";");
            return refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), settings: { AzureWebJobsStorage: { value: connection } } }),
                [
                    /^app setting "AzureWebJobsStorage" holds a credential: storage-connection-string \(Storage account connection string with AccountKey: .{4}…\(88 chars\)\); use \{ keyVaultSecret/,
                    /^app setting "AzureWebJobsStorage" is not accepted: host storage is configured from hostStorage, through the managed identity\.$/,
                ],
                key,
            );
        });

        it("a host identity without a client ID", () =>
            refuses(
                () =>
                    baseArgs({
                        userAssigned: [{ ready: hostIdentity().ready }],
                    }),
                [
                    /^keyVaultReferenceIdentity \(identity.userAssigned\[0\]\) has no clientId or principalId, which AZURE_CLIENT_ID and identity connections need; /,
                    /^hostStorageIdentity \(identity.userAssigned\[0\]\) has no clientId or principalId, which the Functions host needs /,
                ],
            ));

        it("a hostStorageIdentity that is not attached", () =>
            refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), hostStorageIdentity: 0 }),
                /hostStorageIdentity is 0, but identity.userAssigned has 0 entries/,
            ));

        it("a container as host storage", () =>
            refuses(
                () => ({
                    ...baseArgs({ systemAssigned: true }),
                    hostStorage: { accountName: "stjobs", asTarget: () => ({ kind: "container", name: "stjobs/data", id: `${storageId}/blobServices/default/containers/data` }) },
                }),
                /hostStorage names a container \("stjobs\/data"\); the host needs a whole storage account/,
            ));

        it("an unsupported runtime and Flex options on a dedicated plan", () =>
            refuses(
                () => ({
                    ...baseArgs({ systemAssigned: true }),
                    runtime: { name: "ruby" as never, version: "3" },
                    flexConsumption: { maximumInstanceCount: 10 },
                }),
                [/^flexConsumption is set but plan.sku is "B1"; it applies only to FC1\.$/, /^runtime.name "ruby" is not supported; expected one of node, python, dotnet-isolated, java, powershell\.$/],
            ));

        it("a Flex Consumption memory size Azure does not offer", () =>
            refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), plan: { sku: "FC1" }, flexConsumption: { instanceMemoryMB: 1024 as never } }),
                /flexConsumption.instanceMemoryMB is 1024; expected 512, 2048 or 4096/,
            ));
    });
});
