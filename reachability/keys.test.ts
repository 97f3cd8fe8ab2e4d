import { accessEdges } from "./edges";
import { armId, grant, identity, identityId, storage, urn, vault } from "./fixtures";
import { AccessEdge, NetworkResource } from "./types";

const encryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
const keyId = armId("Microsoft.KeyVault/vaults", "kv-keys", "keys", "cmk-st");
const closed = { publicNetworkAccess: "Disabled", defaultAction: "Deny", bypass: "AzureServices" };

function withProps(resource: NetworkResource, props: Record<string, unknown>, extra: Partial<NetworkResource> = {}): NetworkResource {
    return { ...resource, props: { ...resource.props, ...props }, ...extra };
}

/** A storage account encrypted with key cmk-st in kv-keys, read by identity cmk-st. */
function encryptedStorage(encryption: Record<string, unknown> = {}): NetworkResource {
    return withProps(storage("st", { publicNetworkAccess: "Disabled" }), {
        identity: { type: "UserAssigned", userAssignedIdentities: [identityId("cmk-st")] },
        encryption: {
            keySource: "Microsoft.Keyvault",
            keyVaultProperties: { keyVaultUri: "https://kv-keys.vault.azure.net/", keyName: "cmk-st" },
            encryptionIdentity: { encryptionUserAssignedIdentity: identityId("cmk-st") },
            ...encryption,
        },
    });
}

function keyEdges(resources: NetworkResource[]): AccessEdge[] {
    return accessEdges(resources).filter((edge) => edge.kind === "key-access");
}

describe("key-access edges", () => {
    it("lets a storage account reach a closed vault for its key as a trusted service, in place of the grant's role-assignment edge", () => {
        const resources = [identity("cmk-st"), vault("kv-keys", closed), encryptedStorage(), grant("cmk-grant", "p-cmk-st", keyId, encryptionUser)];
        const edges = accessEdges(resources);
        expect(edges).toHaveLength(1);
        expect(edges[0]).toMatchObject({
            kind: "key-access",
            declaredBy: { name: "st", type: "azure-native:storage:StorageAccount" },
            identity: "cmk-st",
            source: { name: "st" },
            target: { name: "kv-keys", service: "vault" },
            detail: "encryption key cmk-st",
            verdict: { status: "reachable", via: "trusted-service" },
        });
    });

    it("finds no path through a vault that does not allow trusted services, and says how to open one", () => {
        const [edge] = keyEdges([identity("cmk-st"), vault("kv-keys", { ...closed, bypass: "None" }), encryptedStorage()]);
        expect(edge.verdict).toEqual({
            status: "unreachable",
            reason: expect.stringContaining("Azure Storage calls it from outside every VNet, and the vault does not allow trusted services"),
            fix: expect.stringContaining("networkAcls.bypass AzureServices; network.allowTrustedServices on the Vault component"),
        });
    });

    it("refuses a registry reading its key with a user-assigned identity through a firewall: it is trusted only with its system-assigned one", () => {
        const registry: NetworkResource = {
            type: "azure-native:containerregistry:Registry",
            name: "images",
            urn: urn("azure-native:containerregistry:Registry", "images"),
            props: {
                registryName: "images",
                identity: { type: "UserAssigned", userAssignedIdentities: { [identityId("cmk-images")]: {} } },
                encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: "https://kv-keys.vault.azure.net/keys/cmk-images", identity: "c-cmk-images" } },
            },
        };
        const [edge] = keyEdges([identity("cmk-images"), vault("kv-keys", closed), registry]);
        expect(edge).toMatchObject({ identity: "cmk-images", detail: "encryption key cmk-images" });
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict).toMatchObject({ fix: expect.stringContaining("turn on images's system-assigned identity") });
        // The same registry and key through a vault open to public networks.
        expect(keyEdges([identity("cmk-images"), vault("kv-keys"), registry])[0].verdict).toMatchObject({ status: "reachable", via: "public" });
    });

    it("treats the Service Bus, Event Hubs and SQL key settings alike", () => {
        const namespace = (type: string, name: string): NetworkResource => ({
            type,
            name,
            urn: urn(type, name),
            props: {
                namespaceName: name,
                encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: [{ keyName: `cmk-${name}`, keyVaultUri: "https://kv-keys.vault.azure.net/", identity: { userAssignedIdentity: identityId("cmk") } }] },
            },
        });
        const server: NetworkResource = {
            type: "azure-native:sql:Server",
            name: "sql",
            urn: urn("azure-native:sql:Server", "sql"),
            // SQL's keyId names the key's version.
            props: { serverName: "sql", keyId: "https://kv-keys.vault.azure.net/keys/cmk-sql/0123456789abcdef0123456789abcdef", primaryUserAssignedIdentityId: identityId("cmk") },
        };
        const edges = keyEdges([identity("cmk"), vault("kv-keys", closed), namespace("azure-native:servicebus:Namespace", "bus"), namespace("azure-native:eventhub:Namespace", "hub"), server]);
        expect(edges.map((edge) => [edge.declaredBy.name, edge.detail, edge.verdict.status])).toEqual([
            ["hub", "encryption key cmk-hub", "reachable"],
            ["bus", "encryption key cmk-bus", "reachable"],
            ["sql", "encryption key cmk-sql", "reachable"],
        ]);
    });

    it("follows the key's dependency to its vault at preview, when the URI is not known yet", () => {
        const key: NetworkResource = { type: "azure-native:keyvault:Key", name: "st-cmk", urn: urn("azure-native:keyvault:Key", "st-cmk"), props: { vaultName: "kv-keys", keyName: "cmk-st" } };
        const unknown = Symbol("unknown");
        const account = withProps(encryptedStorage({ keyVaultProperties: { keyVaultUri: unknown, keyName: "cmk-st" } }), {}, { propertyDependencies: { encryption: [key.urn!] } });
        const [edge] = keyEdges([identity("cmk-st"), vault("kv-keys", { ...closed, bypass: "None" }), key, account]);
        expect(edge).toMatchObject({ target: { name: "kv-keys" }, verdict: { status: "unreachable" } });
    });

    it("declares no edge for a service on Microsoft-managed keys", () => {
        expect(keyEdges([vault("kv-keys", closed), storage("st")])).toEqual([]);
    });
});
