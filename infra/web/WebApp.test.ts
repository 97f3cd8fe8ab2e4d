import { randomBytes } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { githubToken, jsonWebToken, revealsMoreThan4, runUnderMocks, sasUrl, valueOf } from "../testing";
import { ofType, one, settingsOf, thrownBy } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { builtInRoles } from "../access/roles";
import { WebApp, WebAppArgs } from "./WebApp";

const vaultId = "/subscriptions/s/resourceGroups/rg-shop/providers/Microsoft.KeyVault/vaults/kv-shop";
const workspaceId = "/subscriptions/s/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/log-ops";
const subnetId = "/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps";
const secretUri = "https://kv-shop.vault.azure.net/secrets/db-password";

function appIdentity(name = "shop-id"): ManagedIdentity {
    return new ManagedIdentity(name, {
        resourceGroupName: "rg-shop",
        grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "shop", id: vaultId } }],
    });
}

function baseArgs(identity: WebAppArgs["identity"]): WebAppArgs {
    return { resourceGroupName: "rg-shop", identity };
}

describe("WebApp", () => {
    it("declares a hardened Linux site that reads secrets through its user-assigned identity", async () => {
        const { resources } = await runUnderMocks(() => {
            const identity = appIdentity();
            new WebApp("shop", {
                ...baseArgs({ userAssigned: [identity] }),
                linuxFxVersion: "NODE|20-lts",
                subnetId,
                settings: {
                    LOG_LEVEL: { value: "info" },
                    DB_PASSWORD: { keyVaultSecret: { secretUri } },
                    Storage: { identityConnection: { accountName: "stshop" } },
                },
                diagnostics: { workspaceId },
                lock: { kind: "CanNotDelete" },
                tags: { team: "shop" },
            });
        });
        const component = one(resources, "keyless:web:WebApp");
        const userIdentity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const identityGrant = one(resources, "azure-native:authorization:RoleAssignment");

        const plan = one(resources, "azure-native:web:AppServicePlan");
        expect(plan.parentUrn).toBe(component.urn);
        expect(plan.inputs).toMatchObject({ reserved: true, kind: "linux", sku: { name: "B1" }, name: "asp-shop" });

        const site = one(resources, "azure-native:web:WebApp");
        expect(site.parentUrn).toBe(component.urn);
        expect(site.inputs).toMatchObject({
            kind: "app,linux",
            reserved: true,
            httpsOnly: true,
            serverFarmId: plan.id,
            virtualNetworkSubnetId: subnetId,
            identity: { type: "UserAssigned", userAssignedIdentities: [userIdentity.id] },
            // Top level: App Service ignores a siteConfig.keyVaultReferenceIdentity for references.
            keyVaultReferenceIdentity: userIdentity.id,
            tags: { team: "shop" },
        });
        expect(site.inputs.siteConfig).toMatchObject({
            minTlsVersion: "1.2",
            scmMinTlsVersion: "1.2",
            ftpsState: "Disabled",
            http20Enabled: true,
            remoteDebuggingEnabled: false,
            vnetRouteAllEnabled: true,
            linuxFxVersion: "NODE|20-lts",
        });
        expect((site.inputs.siteConfig as Record<string, unknown>).keyVaultReferenceIdentity).toBeUndefined();
        expect(String(site.inputs.name)).toMatch(/^app-shop-[0-9a-f]{6}$/);
        // The site waits for the identity's grants, so references resolve from the first start.
        expect(site.dependencies).toContain(identityGrant.urn);

        expect(settingsOf(site)).toEqual({
            AZURE_CLIENT_ID: userIdentity.state.clientId,
            DB_PASSWORD: `@Microsoft.KeyVault(SecretUri=${secretUri})`,
            LOG_LEVEL: "info",
            Storage__accountName: "stshop",
            Storage__credential: "managedidentity",
            Storage__clientId: userIdentity.state.clientId,
        });

        for (const type of ["azure-native:web:WebAppFtpAllowed", "azure-native:web:WebAppScmAllowed"]) {
            const policy = one(resources, type);
            expect(policy.parentUrn).toBe(component.urn);
            expect(policy.inputs).toEqual({ name: site.inputs.name, resourceGroupName: "rg-shop", allow: false });
        }

        const diagnostics = one(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diagnostics.inputs.resourceUri).toBe(site.id);
        expect((diagnostics.inputs.logs as { category: string }[]).map((log) => log.category)).toEqual([
            "AppServiceHTTPLogs",
            "AppServiceConsoleLogs",
            "AppServiceAppLogs",
            "AppServiceAuditLogs",
        ]);

        const lock = one(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs).toMatchObject({ scope: site.id, level: "CanNotDelete" });
        expect(lock.dependencies).toEqual(
            expect.arrayContaining(
                ["azure-native:web:WebAppFtpAllowed", "azure-native:web:WebAppScmAllowed"].map((type) => one(resources, type).urn),
            ),
        );
    });

    it("lets keyVaultReferenceIdentity pick another user-assigned identity, by index or by reference", async () => {
        for (const pick of ["index", "ref"] as const) {
            const { resources } = await runUnderMocks(() => {
                const first = appIdentity("first-id");
                const second = appIdentity("second-id");
                new WebApp("shop", {
                    ...baseArgs({ userAssigned: [first, second] }),
                    keyVaultReferenceIdentity: pick === "index" ? 1 : second,
                });
            });
            const second = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity").find((r) => r.name === "second-id")!;
            const site = one(resources, "azure-native:web:WebApp");
            expect(site.inputs.keyVaultReferenceIdentity).toBe(second.id);
            expect(settingsOf(site).AZURE_CLIENT_ID).toBe(second.state.clientId);
            expect((site.inputs.identity as { userAssignedIdentities: string[] }).userAssignedIdentities).toHaveLength(2);
        }
    });

    it("uses the system-assigned identity when it is the only one, and grants it roles after the site exists", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const app = new WebApp("shop", {
                ...baseArgs({ systemAssigned: true }),
                grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "shop", id: vaultId } }],
                settings: { DB_PASSWORD: { keyVaultSecret: { secretUri } }, Storage: { identityConnection: { accountName: "stshop" } } },
            });
            return { principalId: app.principalId, keyVaultReferenceIdentity: app.keyVaultReferenceIdentity };
        });
        const site = one(resources, "azure-native:web:WebApp");
        expect(site.inputs.identity).toEqual({ type: "SystemAssigned" });
        expect(site.inputs.keyVaultReferenceIdentity).toBe("SystemAssigned");
        // No AZURE_CLIENT_ID and no __clientId: DefaultAzureCredential and the runtime fall back to the system identity.
        expect(settingsOf(site)).toEqual({
            DB_PASSWORD: `@Microsoft.KeyVault(SecretUri=${secretUri})`,
            Storage__accountName: "stshop",
        });
        const principal = (site.state.identity as { principalId: string }).principalId;
        const grant = one(resources, "azure-native:authorization:RoleAssignment");
        expect(grant.inputs).toMatchObject({ principalId: principal, principalType: "ServicePrincipal", scope: vaultId });
        expect(String(grant.inputs.roleDefinitionId)).toMatch(new RegExp(`${builtInRoles["Key Vault Secrets User"].id}$`));
        expect(grant.dependencies).toContain(site.urn);
        expect(await valueOf(outputs.principalId)).toBe(principal);
        expect(await valueOf(outputs.keyVaultReferenceIdentity)).toBe("SystemAssigned");
    });

    it("pulls a container image with the managed identity instead of a registry password", async () => {
        const { resources } = await runUnderMocks(() => {
            new WebApp("shop", { ...baseArgs({ userAssigned: [appIdentity()] }), linuxFxVersion: "DOCKER|crshop.azurecr.io/shop:1.0" });
        });
        const userIdentity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(one(resources, "azure-native:web:WebApp").inputs.siteConfig).toMatchObject({
            acrUseManagedIdentityCreds: true,
            acrUserManagedIdentityID: userIdentity.state.clientId,
        });
    });

    it("runs on an existing plan without declaring one", async () => {
        const existingPlanId = "/subscriptions/s/resourceGroups/rg-shared/providers/Microsoft.Web/serverfarms/asp-shared";
        const { resources } = await runUnderMocks(() => {
            new WebApp("shop", { ...baseArgs({ systemAssigned: true }), plan: { existingPlanId } });
        });
        expect(ofType(resources, "azure-native:web:AppServicePlan")).toHaveLength(0);
        expect(one(resources, "azure-native:web:WebApp").inputs.serverFarmId).toBe(existingPlanId);
    });

    it("fails the deployment when a plain setting resolves to a Pulumi secret", async () => {
        await expect(
            runUnderMocks(() => {
                new WebApp("shop", {
                    ...baseArgs({ systemAssigned: true }),
                    settings: { UPSTREAM: { value: pulumi.secret(randomBytes(16).toString("hex")) } },
                });
            }),
        ).rejects.toThrow(/app setting "UPSTREAM" resolved to a Pulumi secret/);
    });

    it("fails the deployment when a plain setting resolves to a credential", async () => {
        const token = githubToken();
        const failure = runUnderMocks(() => {
            new WebApp("shop", {
                ...baseArgs({ systemAssigned: true }),
                settings: { GREETING: { value: pulumi.output(token.text) } },
            });
        }).then(
            () => "",
            (error: Error) => error.message,
        );
        const message = await failure;
        expect(message).toMatch(/WebApp "shop" \(1 problem\):\n {2}- app setting "GREETING" holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\); use \{ keyVaultSecret/);
        expect(revealsMoreThan4(message, token.secret)).toBe(false);
    });

    describe("refuses bad input before declaring anything", () => {
        async function refuses(args: () => WebAppArgs, message: RegExp | RegExp[], secret?: string): Promise<void> {
            const { resources } = await runUnderMocks(() => {
                const built = args();
                const thrown = thrownBy(() => new WebApp("shop", built));
                // Each problem, in the shared format under the component's subject.
                expect(thrown).toBeInstanceOf(ProblemsError);
                expect((thrown as ProblemsError).subject).toBe('WebApp "shop"');
                expect((thrown as ProblemsError).problems).toEqual((Array.isArray(message) ? message : [message]).map((line) => expect.stringMatching(line)));
                if (secret) {
                    // Never more than 4 characters of a secret.
                    expect(revealsMoreThan4(thrown?.message ?? "", secret)).toBe(false);
                }
            });
            expect(ofType(resources, "keyless:web:WebApp")).toHaveLength(0);
            expect(resources.filter((resource) => resource.type.startsWith("azure-native:web:"))).toHaveLength(0);
        }

        it("a site without any identity", () =>
            refuses(
                () => baseArgs({}),
                /^identity must enable systemAssigned or list at least one userAssigned identity; got neither: a workload without a managed identity would need a stored credential\.$/,
            ));

        it("a storage connection string with an account key in the settings", () => {
            const key = randomBytes(64).toString("base64");
            const connection = ["DefaultEndpointsProtocol=https", "AccountName=stshop", `Account${"Key"}=${key}`].join(";");
            return refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), settings: { STOCK_STORE: { value: connection } } }),
                /app setting "STOCK_STORE" holds a credential: storage-connection-string \(Storage account connection string with AccountKey: .{4}…\(88 chars\)\); use \{ keyVaultSecret: \{ secretUri \} \}/,
                key,
            );
        });

        it.each([
            ["a GitHub token", githubToken, "github-token"],
            ["a JSON Web Token", jsonWebToken, "jwt"],
            ["a SAS URL", () => sasUrl(), "sas-token"],
        ])("%s under an innocuous setting name", (_case, make, kind) => {
            const credential = make();
            return refuses(
                () => ({ ...baseArgs({ systemAssigned: true }), settings: { GREETING: { value: credential.text } } }),
                new RegExp(`^app setting "GREETING" holds a credential: ${kind} \\([^\n]*; use \\{ keyVaultSecret[^\n]*\\.$`),
                credential.secret,
            );
        });

        it("an out-of-range or unattached keyVaultReferenceIdentity", async () => {
            await refuses(
                () => ({ ...baseArgs({ userAssigned: [appIdentity()] }), keyVaultReferenceIdentity: 2 }),
                /keyVaultReferenceIdentity is 2, but identity.userAssigned has 1 entry; expected an index from 0 to 0/,
            );
            await refuses(
                () => ({ ...baseArgs({ userAssigned: [appIdentity()] }), keyVaultReferenceIdentity: appIdentity("other-id") }),
                /keyVaultReferenceIdentity names an identity that is not in identity.userAssigned/,
            );
            await refuses(
                () => ({ ...baseArgs({ userAssigned: [appIdentity()] }), keyVaultReferenceIdentity: "SystemAssigned" }),
                /keyVaultReferenceIdentity is "SystemAssigned" but identity.systemAssigned is not true/,
            );
        });

        it("a user-assigned identity without a client ID", () =>
            refuses(
                () => baseArgs({ userAssigned: [{ ready: pulumi.output("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x") }] }),
                /identity.userAssigned\[0\]\) has no clientId or principalId.*pass a ManagedIdentity/,
            ));

        it("grants without a system-assigned identity", () =>
            refuses(
                () => ({
                    ...baseArgs({ userAssigned: [appIdentity()] }),
                    grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "shop", id: vaultId } }],
                }),
                /grants are for the system-assigned identity, but identity.systemAssigned is not true/,
            ));

        it("a Functions-only plan", () =>
            refuses(() => ({ ...baseArgs({ systemAssigned: true }), plan: { sku: "FC1" } }), /plan.sku "FC1" is a Functions-only plan/));

        it("an AZURE_CLIENT_ID the component writes itself", () =>
            refuses(
                () => ({ ...baseArgs({ userAssigned: [appIdentity()] }), settings: { AZURE_CLIENT_ID: { value: "x" } } }),
                /app setting "AZURE_CLIENT_ID" is written by the component/,
            ));
    });
});
