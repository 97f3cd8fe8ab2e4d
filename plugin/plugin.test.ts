import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { ManagedIdentity } from "../infra/identity";
import { Vault } from "../infra/keyvault";
import { ProblemsError } from "../infra/shared";
import { KeylessStorage } from "../infra/storage";
import { runUnderMocks } from "../infra/testing";
import { FunctionApp, UserAssignedIdentityDetails, WebApp } from "../infra/web";
import * as plugin from "./index";
import { roleGrants } from "./ManagedIdentity";
import { construct, pluginPath, QuietEngine, RecordingMonitor, Registration, RunningPlugin, startPlugin } from "./testing";
import { appSettings } from "./plain";

interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    description?: string;
}

interface SchemaObject {
    description?: string;
    inputProperties?: Record<string, SchemaProperty>;
    requiredInputs?: string[];
    properties: Record<string, SchemaProperty>;
    required?: string[];
}

interface Schema {
    name: string;
    version: string;
    resources: Record<string, SchemaObject>;
    types: Record<string, SchemaObject>;
}

const manifest = JSON.parse(fs.readFileSync(pluginPath("package.json"), "utf8")) as { name: string; version: string };
// The CLI names the provider after the unscoped package name (cmd/run-plugin).
const providerName = manifest.name.replace(/^@[^/]+\//, "");
const token = (component: string) => `${providerName}:index:${component}`;
const exported = ["FunctionApp", "ManagedIdentity", "StorageAccount", "Vault", "WebApp"];

const vaultId = "/subscriptions/s/resourceGroups/rg-shop/providers/Microsoft.KeyVault/vaults/kv-shop";
const identityId = "/subscriptions/s/resourceGroups/rg-shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shop";
const secretUri = "https://kv-shop.vault.azure.net/secrets/db-password";
const identity = { id: identityId, clientId: "00000000-0000-4000-8000-0000000000c1", principalId: "00000000-0000-4000-8000-0000000000b1" };
const identityRef: UserAssignedIdentityDetails = { ready: pulumi.output(identity.id), clientId: identity.clientId, principalId: identity.principalId };

/** Each exported component with the inputs another language sends, and the TypeScript program that means the same. */
const hostStorageId = "/subscriptions/s/resourceGroups/rg-shop/providers/Microsoft.Storage/storageAccounts/stfnhost";
const cases: { component: string; inputs: Record<string, unknown>; typescript: (name: string) => void }[] = [
    {
        component: "FunctionApp",
        inputs: {
            resourceGroupName: "rg-shop",
            runtime: "node",
            runtimeVersion: "20",
            hostStorageAccountName: "stfnhost",
            hostStorageAccountId: hostStorageId,
            userAssignedIdentities: [identity],
            keyVaultSecrets: { DB_PASSWORD: secretUri },
        },
        typescript: (name) =>
            new FunctionApp(name, {
                resourceGroupName: "rg-shop",
                runtime: { name: "node", version: "20" },
                hostStorage: { accountName: "stfnhost", id: hostStorageId },
                identity: { userAssigned: [identityRef] },
                settings: { DB_PASSWORD: { keyVaultSecret: { secretUri } } },
            }),
    },
    {
        component: "ManagedIdentity",
        inputs: { resourceGroupName: "rg-shop", grants: [{ role: "Key Vault Secrets User", scopeKind: "vault", scopeId: vaultId, scopeName: "shop" }] },
        typescript: (name) => new ManagedIdentity(name, { resourceGroupName: "rg-shop", grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "shop", id: vaultId } }] }),
    },
    {
        component: "StorageAccount",
        inputs: { resourceGroupName: "rg-shop", containers: ["stock"], queues: ["orders"], workspaceId: "/subscriptions/s/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/log-ops" },
        typescript: (name) =>
            new KeylessStorage(name, {
                resourceGroupName: "rg-shop",
                containers: ["stock"],
                queues: ["orders"],
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/log-ops" },
            }),
    },
    {
        component: "Vault",
        inputs: { resourceGroupName: "rg-shop", network: { allowedIps: ["203.0.113.0/24"] } },
        typescript: (name) => new Vault(name, { resourceGroupName: "rg-shop", network: { allowedIps: ["203.0.113.0/24"] } }),
    },
    {
        component: "WebApp",
        inputs: { resourceGroupName: "rg-shop", linuxFxVersion: "NODE|20-lts", userAssignedIdentities: [identity], settings: { LOG_LEVEL: "info" }, keyVaultSecrets: { DB_PASSWORD: secretUri } },
        typescript: (name) =>
            new WebApp(name, {
                resourceGroupName: "rg-shop",
                linuxFxVersion: "NODE|20-lts",
                identity: { userAssigned: [identityRef] },
                settings: { LOG_LEVEL: { value: "info" }, DB_PASSWORD: { keyVaultSecret: { secretUri } } },
            }),
    },
];

describe("component provider schema", () => {
    let schema: Schema;

    beforeAll(async () => {
        const provider = new ComponentProvider({ components: getPulumiComponents(plugin), name: providerName, dirname: pluginPath() });
        schema = JSON.parse(await provider.getSchema()) as Schema;
    });

    it("exports the workload and data-service components under the package's name and version", () => {
        expect({ name: schema.name, version: schema.version }).toEqual({ name: providerName, version: manifest.version });
        expect(Object.keys(schema.resources).sort()).toEqual(exported.map(token));
    });

    it("describes every component, input and output from its doc comment", () => {
        for (const [type, resource] of Object.entries(schema.resources)) {
            const undocumented = [
                ...(resource.description ? [] : ["(component)"]),
                ...Object.entries({ ...resource.inputProperties, ...resource.properties }).filter(([, property]) => !property.description).map(([key]) => key),
            ];
            expect({ type, undocumented }).toEqual({ type, undocumented: [] });
        }
        expect(schema.resources[token("WebApp")].inputProperties?.keyVaultSecrets.description).toBe(
            "App settings resolved from Key Vault, by name: `https://<vault>.vault.azure.net/secrets/<secret>` URIs.",
        );
        expect(schema.resources[token("ManagedIdentity")].properties.ready.description).toMatch(/resolved only once its role grants exist/);
    });

    it("takes plain inputs: strings, flags, lists and maps of them, and plain object types", () => {
        const webApp = schema.resources[token("WebApp")];
        expect(webApp.requiredInputs).toEqual(["resourceGroupName"]);
        expect(webApp.inputProperties).toMatchObject({
            resourceGroupName: { type: "string" },
            systemAssigned: { type: "boolean" },
            userAssignedIdentities: { type: "array", items: { $ref: `#/types/${token("AttachedIdentity")}` } },
            settings: { type: "object", additionalProperties: { type: "string" } },
            keyVaultSecrets: { type: "object", additionalProperties: { type: "string" } },
        });
        expect(Object.keys(webApp.properties).sort()).toEqual(["defaultHostName", "siteId", "siteName"]);
        expect(schema.types[token("AttachedIdentity")].required?.sort()).toEqual(["clientId", "id", "principalId"]);

        const functionApp = schema.resources[token("FunctionApp")];
        expect(functionApp.requiredInputs?.sort()).toEqual(["hostStorageAccountId", "hostStorageAccountName", "resourceGroupName", "runtime", "runtimeVersion"]);
        expect(Object.keys(functionApp.properties).sort()).toEqual(["defaultHostName", "siteId", "siteName"]);

        const identityGrant = schema.types[token("IdentityGrant")];
        expect(Object.keys(identityGrant.properties).sort()).toEqual(["role", "scopeId", "scopeKind", "scopeName"]);
        expect(Object.keys(schema.resources[token("ManagedIdentity")].properties).sort()).toEqual(["clientId", "identityId", "principalId", "ready"]);

        const vault = schema.resources[token("Vault")];
        expect(vault.inputProperties?.network).toMatchObject({ $ref: `#/types/${token("NetworkAccessArgs")}` });
        expect(schema.types[token("NetworkAccessArgs")].properties).toMatchObject({ allowedIps: { type: "array", items: { type: "string" } }, publicNetworkAccess: { type: "boolean" } });
        expect(Object.keys(vault.properties).sort()).toEqual(["vaultId", "vaultName", "vaultUri"]);

        const account = schema.resources[token("StorageAccount")];
        expect(account.inputProperties).toMatchObject({ containers: { type: "array", items: { type: "string" } }, queues: { type: "array" }, tables: { type: "array" } });
        expect(Object.keys(account.properties).sort()).toEqual(["accountId", "accountName", "blobEndpoint", "queueEndpoint"]);
    });
});

describe("facade input checks", () => {
    it("names a grant's unknown scope kind and the kinds it accepts", () => {
        const error = (() => {
            try {
                roleGrants("shop", [{ role: "Storage Blob Data Reader", scopeKind: "bucket", scopeId: "x", scopeName: "b" }]);
            } catch (thrown) {
                return thrown;
            }
            return undefined;
        })();
        expect(error).toBeInstanceOf(ProblemsError);
        expect((error as Error).message).toMatch(/grants\[0\]\.scopeKind is "bucket"; expected one of .*vault.*container/);
    });

    it("refuses a setting named both as a plain value and as a Key Vault secret", () => {
        expect(() => appSettings(`WebApp "shop"`, { settings: { DB: "x" }, keyVaultSecrets: { DB: secretUri } })).toThrow(/"DB" is in both settings and keyVaultSecrets/);
    });
});

describe("construct over the provider's gRPC interface", () => {
    const engine = new QuietEngine();
    const monitor = new RecordingMonitor();
    let monitorAddress: string;
    let running: RunningPlugin;

    beforeAll(async () => {
        monitorAddress = await monitor.start();
        running = await startPlugin(await engine.start(), 150_000);
    }, 180_000);

    afterAll(() => {
        running?.child.kill();
        monitor.stop();
        engine.stop();
    });

    const childrenOf = (records: Pick<Registration, "type" | "name">[]) =>
        records
            .filter((record) => !record.type.startsWith(`${providerName}:`))
            .map((record) => `${record.type}::${record.name}`)
            .sort();

    it.each(cases.map((c) => [c.component, c]))("%s declares the same child resources as the TypeScript component", async (_component, c) => {
        const name = `shop-${c.component.toLowerCase()}`;
        const start = monitor.registrations.length;
        const { urn } = await construct(running, monitorAddress, token(c.component), name, c.inputs);
        const registered = monitor.registrations.slice(start);
        expect(urn).toBe(`urn:pulumi:dev::consumer::${token(c.component)}::${name}`);
        expect(registered[0]).toMatchObject({ type: token(c.component), name });

        const { resources } = await runUnderMocks(() => {
            c.typescript(name);
        });
        const children = childrenOf(registered);
        expect(children.length).toBeGreaterThan(1);
        expect(children).toEqual(childrenOf(resources));
    });
});
