import { evaluateResources, EvaluatedResource } from "./evaluate";
import { secrets, UNKNOWN_BOOLEAN, urnOf } from "../testing";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prodConfig = require("../config.prod.json");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const devConfig = require("../config.dev.json");

const sub = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg";
const identityId = `${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`;
const principal = "00000000-0000-4000-8000-0000000000a1";

function resource(type: string, name: string, props: Record<string, unknown>, outputs?: Record<string, unknown>): EvaluatedResource {
    return { type, name, urn: urnOf(type, name), props, outputs };
}

/** A small stack the way the Keyless components declare it. */
function cleanStack(): EvaluatedResource[] {
    return [
        resource("azure-native:managedidentity:UserAssignedIdentity", "api-id", { resourceGroupName: "rg", resourceName: "id-api" }, { name: "id-api", principalId: principal }),
        resource("azure-native:authorization:RoleAssignment", "api-id-kv", {
            principalId: principal,
            principalType: "ServicePrincipal",
            roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
            scope: `${sub}/providers/Microsoft.KeyVault/vaults/kv-api`,
        }),
        resource("azure-native:keyvault:Vault", "kv", {
            properties: {
                enableRbacAuthorization: true,
                enablePurgeProtection: true,
                networkAcls: { defaultAction: "Deny" },
                publicNetworkAccess: "Disabled",
                tenantId: "t",
                sku: { family: "A", name: "standard" },
            },
        }),
        resource("azure-native:web:WebApp", "api", {
            httpsOnly: true,
            publicNetworkAccess: "Disabled",
            virtualNetworkSubnetId: `${sub}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps`,
            identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
            keyVaultReferenceIdentity: identityId,
            siteConfig: { minTlsVersion: "1.2", ftpsState: "Disabled", appSettings: [{ name: "Db", value: "@Microsoft.KeyVault(SecretUri=https://kv-api.vault.azure.net/secrets/db)" }] },
        }),
        ...["WebAppFtpAllowed", "WebAppScmAllowed"].map((kind) => ({
            ...resource(`azure-native:web:${kind}`, `api-${kind}`, { allow: false, name: "app-api", resourceGroupName: "rg" }),
            dependencies: [urnOf("azure-native:web:WebApp", "api")],
        })),
        ...[
            ["azure-native:keyvault:Vault", "kv", "AuditEvent"],
            ["azure-native:web:WebApp", "api", "AppServiceHTTPLogs"],
        ].map(([type, name, category]) => ({
            ...resource("azure-native:monitor:DiagnosticSetting", `${name}-diagnostics`, { resourceUri: `${sub}/${name}`, logs: [{ category, enabled: true }] }),
            dependencies: [urnOf(type, name)],
        })),
    ];
}

function replace(resources: EvaluatedResource[], name: string, props: Record<string, unknown>): EvaluatedResource[] {
    return resources.map((r) => (r.name === name ? { ...r, props } : r));
}

describe("evaluateResources", () => {
    it("finds nothing in a clean stack, with default levels, every rule on, and the prod config", () => {
        expect(evaluateResources(cleanStack())).toEqual([]);
        expect(evaluateResources(cleanStack(), { all: "mandatory" })).toEqual([]);
        expect(evaluateResources(cleanStack(), prodConfig)).toEqual([]);
    });

    it("reports each finding with rule, level, resource and message", () => {
        const stack = replace(cleanStack(), "kv", {
            properties: { enableRbacAuthorization: true, enablePurgeProtection: true, networkAcls: { defaultAction: "Allow" }, tenantId: "t", sku: { family: "A", name: "standard" } },
        });
        const urn = urnOf("azure-native:keyvault:Vault", "kv");
        const expected = [
            {
                rule: "keyvault-network-deny-by-default",
                resource: "kv",
                urn,
                message: 'Vault "kv" properties.networkAcls.defaultAction: is "Allow" (Azure\'s default is Allow); set it to "Deny" or set properties.publicNetworkAccess to "Disabled".',
            },
            {
                rule: "keyvault-public-network-disabled",
                resource: "kv",
                urn,
                message: 'Vault "kv" properties.publicNetworkAccess: is not set, and Azure\'s default is Enabled; set it to "Disabled" and reach it through a private endpoint.',
            },
        ];
        // The public network rule is advisory by default (lib/levels.ts), mandatory where prod's config says so.
        expect(evaluateResources(stack)).toEqual(expected.map((finding) => ({ ...finding, level: "advisory" })));
        expect(evaluateResources(stack, devConfig)).toEqual(expected.map((finding) => ({ ...finding, level: "advisory" })));
        expect(evaluateResources(stack, prodConfig)).toEqual(expected.map((finding) => ({ ...finding, level: "mandatory" })));
        const quiet = { "keyvault-public-network-disabled": "disabled" as const };
        expect(evaluateResources(stack, { ...quiet, "keyvault-network-deny-by-default": "disabled" })).toEqual([]);
        expect(
            evaluateResources(stack, { ...quiet, "keyvault-network-deny-by-default": { exemptions: [{ resource: "kv", reason: "Dev vault reached from CI runners" }] } }),
        ).toEqual([]);
    });

    it("runs the secrets rule over every resource and masks what it reports", () => {
        const key = secrets.storageKey();
        const stack = [...cleanStack(), resource("azure-native:resources:Deployment", "arm", { properties: { parameters: { conn: { value: secrets.storageConnectionString(key) } } } })];
        const findings = evaluateResources(stack);
        expect(findings.map((f) => [f.rule, f.level, f.resource])).toEqual([["no-hardcoded-secrets", "mandatory", "arm"]]);
        expect(findings[0].message).not.toContain(key.slice(0, 5));
    });

    it("runs stack rules on outputs and reports the resource at fault", () => {
        const stack = cleanStack().filter((r) => r.name !== "api-id-kv");
        expect(evaluateResources(stack).map((f) => [f.rule, f.level, f.resource])).toEqual([["identities-used-and-granted", "mandatory", "api-id"]]);
    });

    it("skips values given as the engine's unknown sentinels", () => {
        const stack = replace(cleanStack(), "api", { ...cleanStack()[3].props, httpsOnly: UNKNOWN_BOOLEAN });
        expect(cleanStack()[3].name).toBe("api");
        expect(evaluateResources(stack)).toEqual([]);
    });

    it("applies the all key first and each rule's own entry on top, as the engine does", () => {
        const stack = replace(cleanStack(), "kv", { properties: { enableRbacAuthorization: false, enablePurgeProtection: true, publicNetworkAccess: "Disabled", tenantId: "t", sku: { family: "A", name: "standard" } } });
        expect(evaluateResources(stack, { all: "advisory" }).map((f) => [f.rule, f.level])).toEqual([["keyvault-rbac-only", "advisory"]]);
        expect(evaluateResources(stack, { all: "disabled", "keyvault-rbac-only": "mandatory" }).map((f) => [f.rule, f.level])).toEqual([["keyvault-rbac-only", "mandatory"]]);
        expect(evaluateResources(stack, { all: "disabled" })).toEqual([]);
    });

    it("rejects a config entry whose exemption has no reason", () => {
        expect(() => evaluateResources(cleanStack(), { "storage-shared-key-disabled": { exemptions: [{ resource: "st" } as never] } })).toThrow(
            'Policy "storage-shared-key-disabled" config: exemptions[0].reason must be a non-empty explanation of why "st" is exempt; got nothing.',
        );
    });
});
