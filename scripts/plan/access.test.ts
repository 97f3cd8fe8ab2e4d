import type { RecordedResource } from "../../offline/mocks";
import { builtInRoles, roleDefinitionId } from "../../infra/access/roles";
import { deriveAccess, resolveScope } from "./access";
import { indexResources, inputsHash } from "./resources";

// Hand-made resources in the shape the mock harness records, to pin down each rule of the access matrix.
const sub = "/subscriptions/11111111-2222-4333-8444-555555555555";
const group = `${sub}/resourceGroups/rg-app`;
const stackUrn = "urn:pulumi:test::keyless::pulumi:pulumi:Stack::keyless-test";

function resource(type: string, name: string, fields: Partial<RecordedResource> = {}): RecordedResource {
    const custom = fields.custom ?? !type.startsWith("keyless:");
    return {
        urn: `urn:pulumi:test::keyless::${type}::${name}`,
        type,
        name,
        parentUrn: stackUrn,
        custom,
        inputs: {},
        secretPaths: [],
        dependencies: [],
        protect: false,
        state: {},
        ...fields,
    };
}

function component(type: string, name: string, parent?: RecordedResource): RecordedResource {
    return resource(type, name, { custom: false, parentUrn: parent?.urn ?? stackUrn });
}

function assignment(name: string, principalId: string, role: keyof typeof builtInRoles, scope: string, parent?: RecordedResource): RecordedResource {
    return resource("azure-native:authorization:RoleAssignment", name, {
        parentUrn: parent?.urn ?? stackUrn,
        inputs: { principalId, principalType: "ServicePrincipal", roleDefinitionId: roleDefinitionId(sub.split("/")[2], builtInRoles[role].id), scope },
    });
}

const storageComponent = component("keyless:storage:KeylessStorage", "appdata");
const account = resource("azure-native:storage:StorageAccount", "appdata", {
    parentUrn: storageComponent.urn,
    id: `${group}/providers/Microsoft.Storage/storageAccounts/stappdata01`,
});
const containerId = `${account.id}/blobServices/default/containers/stock`;
const container = resource("azure-native:storage:BlobContainer", "appdata-stock", { parentUrn: storageComponent.urn, id: containerId });
const otherContainer = resource("azure-native:storage:BlobContainer", "appdata-reports", {
    parentUrn: storageComponent.urn,
    id: `${account.id}/blobServices/default/containers/reports`,
});
const vaultComponent = component("keyless:keyvault:Vault", "app-secrets");
const vault = resource("azure-native:keyvault:Vault", "app-secrets", {
    parentUrn: vaultComponent.urn,
    id: `${group}/providers/Microsoft.KeyVault/vaults/kv-app-secrets-x1`,
});
const identityComponent = component("keyless:identity:ManagedIdentity", "api");
const identity = resource("azure-native:managedidentity:UserAssignedIdentity", "api", {
    parentUrn: identityComponent.urn,
    id: `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`,
    state: { principalId: "aaaaaaaa-0000-4000-8000-000000000001" },
});
const siteComponent = component("keyless:web:WebApp", "shop");
const site = resource("azure-native:web:WebApp", "shop", {
    parentUrn: siteComponent.urn,
    id: `${group}/providers/Microsoft.Web/sites/app-shop`,
    inputs: { identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: [identity.id] } },
    state: { identity: { type: "SystemAssigned, UserAssigned", principalId: "bbbbbbbb-0000-4000-8000-000000000002" } },
});
// Settings resources share their site's ID; a grant on that ID is on the site, not on the setting.
const ftp = resource("azure-native:web:WebAppFtpAllowed", "shop-ftp", { parentUrn: siteComponent.urn, id: site.id });

const base = [storageComponent, account, container, otherContainer, vaultComponent, vault, identityComponent, identity, siteComponent, ftp, site];

describe("access matrix", () => {
    it("names a container scope account/container and an account scope by its component", () => {
        const index = indexResources(base);
        expect(resolveScope(index, containerId)).toEqual({ id: containerId, kind: "container", name: "appdata/stock", declared: true });
        expect(resolveScope(index, account.id)).toMatchObject({ kind: "storageAccount", name: "appdata", declared: true });
        expect(resolveScope(index, vault.id)).toMatchObject({ kind: "vault", name: "app-secrets" });
        // Matching is case-insensitive, as ARM IDs are.
        expect(resolveScope(index, containerId.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"))).toMatchObject({ name: "appdata/stock" });
        expect(resolveScope(index, site.id)).toMatchObject({ kind: "site", name: "shop" });
    });

    it("classifies scopes the stack does not declare by their ID", () => {
        const index = indexResources(base);
        expect(resolveScope(index, group)).toMatchObject({ kind: "resourceGroup", name: "rg-app", declared: false });
        expect(resolveScope(index, sub)).toMatchObject({ kind: "subscription", declared: false });
    });

    it("resolves user- and system-assigned principals to their identity and workloads", () => {
        const grants = [
            assignment("user-kv", identity.state.principalId as string, "Key Vault Secrets User", vault.id!, identityComponent),
            assignment("system-blob", "bbbbbbbb-0000-4000-8000-000000000002", "Storage Blob Data Reader", containerId, siteComponent),
        ];
        const access = deriveAccess(indexResources([...base, ...grants]));
        expect(access.grants.map((grant) => [grant.identity, grant.identityKind, grant.workloads, grant.role, grant.scope.name, grant.broad])).toEqual([
            // Key Vault RBAC takes a single secret as scope, so a vault-wide reader is broader than it needs.
            ["api", "userAssigned", ["shop"], "Key Vault Secrets User", "app-secrets", true],
            ["shop", "systemAssigned", ["shop"], "Storage Blob Data Reader", "appdata/stock", false],
        ]);
        expect(access.workloads).toEqual([
            { name: "shop", type: "WebApp", urn: site.urn, identityKinds: ["systemAssigned", "userAssigned"], identities: ["api", "shop"] },
        ]);
        expect(access.identities.map((entry) => [entry.name, entry.kind, entry.workloads])).toEqual([
            ["api", "userAssigned", ["shop"]],
            ["shop", "systemAssigned", ["shop"]],
        ]);
    });

    it("flags account, resource group and subscription scopes as broad, and privileged roles", () => {
        const principal = identity.state.principalId as string;
        const grants = [
            assignment("account", principal, "Storage Blob Data Contributor", account.id!),
            assignment("group", principal, "Reader", group),
            assignment("subscription", principal, "Contributor", sub),
            assignment("vault", principal, "Key Vault Secrets Officer", vault.id!),
        ];
        const byRole = new Map(deriveAccess(indexResources([...base, ...grants])).grants.map((grant) => [grant.role, grant]));
        expect(byRole.get("Storage Blob Data Contributor")).toMatchObject({ broad: true, writes: true, privileged: false });
        expect(byRole.get("Storage Blob Data Contributor")!.broadReason).toMatch(/whole storage account.*container/);
        expect(byRole.get("Reader")).toMatchObject({ broad: true, scope: { kind: "resourceGroup", name: "rg-app" } });
        expect(byRole.get("Contributor")).toMatchObject({ broad: true, privileged: true, scope: { kind: "subscription" } });
        // A secrets role can be scoped to one secret: on the whole vault it is broad.
        expect(byRole.get("Key Vault Secrets Officer")).toMatchObject({ broad: true, writes: true });
        expect(byRole.get("Key Vault Secrets Officer")!.broadReason).toMatch(/whole vault; the role also works on a single secret/);
    });

    it("shows a principal the stack does not declare as external, and marks config grants", () => {
        const grants = [
            assignment("outsider", "cccccccc-0000-4000-8000-000000000003", "Storage Blob Data Reader", containerId),
            assignment("declared", identity.state.principalId as string, "Storage Blob Data Reader", containerId),
        ];
        const access = deriveAccess(indexResources([...base, ...grants]), [
            { identity: "api", identityKind: "userAssigned", role: "Storage Blob Data Reader", target: "appdata/stock" },
        ]);
        expect(access.grants.map((grant) => [grant.identity, grant.identityKind, grant.origin])).toEqual([
            ["api", "userAssigned", "config"],
            ["cccccccc-0000-4000-8000-000000000003", "external", "component"],
        ]);
    });

    it("hashes inputs independently of key order and never from secret values", () => {
        const a = { inputs: { b: 1, a: { y: 2, x: 1 } }, secretPaths: [] };
        const b = { inputs: { a: { x: 1, y: 2 }, b: 1 }, secretPaths: [] };
        expect(inputsHash(a)).toBe(inputsHash(b));
        expect(inputsHash({ inputs: { b: 2, a: { x: 1, y: 2 } }, secretPaths: [] })).not.toBe(inputsHash(b));
        const secretOne = { inputs: { properties: { value: "one" } }, secretPaths: ["properties"] };
        const secretTwo = { inputs: { properties: { value: "two" } }, secretPaths: ["properties"] };
        expect(inputsHash(secretOne)).toBe(inputsHash(secretTwo));
    });
});
