import { keyAccess, KeyAccessService, resourceTypes, targetTypes } from "./catalog";
import { get, list, StackGraph, text } from "./graph";
import { guardOf } from "./guards";
import { hostOf } from "./ids";
import { AccessEdge, NetworkResource, Verdict } from "./types";

/**
 * `key-access` edges: each data service that encrypts with a customer-managed key calls the vault holding it, as
 * the platform, with its encryption identity. Read from the service's encryption settings (azure-native inputs, or
 * ARM outputs), following property dependencies where the key URI is not known yet.
 */

type IdentityKind = "userAssigned" | "systemAssigned" | "unknown";

interface KeyReference {
    /** The property the key comes from, to follow dependencies when the URI is unknown. */
    prop: string;
    uri: unknown;
    keyName?: string;
    identity: IdentityKind;
    /** A user-assigned identity by resource ID or client ID, when the settings name one. */
    identityId?: string;
    clientId?: string;
}

/** The key references in a service's encryption settings; empty when it uses Microsoft-managed keys. */
function keyReferences(resource: NetworkResource): KeyReference[] {
    const props = resource.props;
    const encryption = props.encryption;
    switch (resource.type) {
        case "azure-native:storage:StorageAccount": {
            if (!/^microsoft\.keyvault$/i.test(text(get(encryption, "keySource")) ?? "")) {
                return [];
            }
            // Inputs name it encryptionIdentity.encryptionUserAssignedIdentity; ARM outputs identity.userAssignedIdentity.
            const id = text(get(encryption, "encryptionIdentity.encryptionUserAssignedIdentity")) ?? text(get(encryption, "identity.userAssignedIdentity"));
            const named = get(encryption, "encryptionIdentity.encryptionUserAssignedIdentity") ?? get(encryption, "identity.userAssignedIdentity");
            return [{ prop: "encryption", uri: get(encryption, "keyVaultProperties.keyVaultUri"), keyName: text(get(encryption, "keyVaultProperties.keyName")), identity: named === undefined ? "systemAssigned" : id ? "userAssigned" : "unknown", identityId: id }];
        }
        case "azure-native:sql:Server": {
            if (props.keyId === undefined || props.keyId === null) {
                return [];
            }
            const id = text(props.primaryUserAssignedIdentityId);
            return [{ prop: "keyId", uri: props.keyId, identity: props.primaryUserAssignedIdentityId === undefined ? "systemAssigned" : id ? "userAssigned" : "unknown", identityId: id }];
        }
        case "azure-native:containerregistry:Registry": {
            if (!/^enabled$/i.test(text(get(encryption, "status")) ?? "")) {
                return [];
            }
            // The registry names its key identity by client ID: a user-assigned one the stack declares, or its own.
            return [{ prop: "encryption", uri: get(encryption, "keyVaultProperties.keyIdentifier"), identity: "unknown", clientId: text(get(encryption, "keyVaultProperties.identity")) }];
        }
        case "azure-native:servicebus:Namespace":
        case "azure-native:eventhub:Namespace": {
            if (!/^microsoft\.keyvault$/i.test(text(get(encryption, "keySource")) ?? "")) {
                return [];
            }
            return list(get(encryption, "keyVaultProperties")).map((entry) => {
                const named = get(entry, "identity.userAssignedIdentity");
                const id = text(named);
                return { prop: "encryption", uri: get(entry, "keyVaultUri"), keyName: text(get(entry, "keyName")), identity: named === undefined ? "systemAssigned" : id ? "userAssigned" : "unknown", identityId: id };
            });
        }
        default:
            return [];
    }
}

const vaultType = targetTypes["azure-native:keyvault:Vault"];

/** The key's name in a key URI, with or without a version (SQL's `keyId` carries one). */
function keyNameOf(uri: string | undefined): string | undefined {
    return uri?.split("/keys/")[1]?.split("/")[0] || undefined;
}

function vaultOf(graph: StackGraph, service: NetworkResource, reference: KeyReference): NetworkResource | undefined {
    const uri = text(reference.uri);
    if (uri) {
        const name = hostOf(uri)?.split(".")[0];
        return name ? graph.byTypeAndName(vaultType.arm, name) : undefined;
    }
    const [origin] = graph.fromDependencies(service, reference.prop, (r) => graph.guardedParent(r)?.type.kind === "vault");
    return origin ? graph.guardedParent(origin)?.target : undefined;
}

function decideKeyAccess(graph: StackGraph, vault: NetworkResource, entry: KeyAccessService, identity: IdentityKind, serviceName: string): Verdict {
    const guard = guardOf(graph, vault);
    const vaultName = graph.azureName(vault) ?? vault.name;
    if (guard.publicAccess === "unknown" || guard.defaultAction === "unknown") {
        return { status: "unknown", reason: `the network settings of vault ${vaultName} are not known yet` };
    }
    if (guard.publicAccess === "Enabled" && guard.defaultAction === "Allow") {
        return { status: "reachable", via: "public", reason: `vault ${vaultName} accepts public traffic (no firewall)` };
    }
    const trustedIdentity = entry.trustedWith === "any" || identity === "systemAssigned";
    if (guard.bypassTrusted && trustedIdentity) {
        return { status: "reachable", via: "trusted-service", reason: `${entry.label} reads its key as a Key Vault trusted service and vault ${vaultName} allows trusted services (${entry.source})` };
    }
    if (identity === "unknown" && entry.trustedWith !== "any") {
        return { status: "unknown", reason: `${serviceName} reads its key with an identity the stack does not name, and ${entry.label} is trusted only with its system-assigned identity` };
    }
    if (!trustedIdentity) {
        return {
            status: "unreachable",
            reason: `vault ${vaultName} denies by default (${guard.summary}), and ${entry.label} passes a Key Vault firewall only as a trusted service with its system-assigned identity; ${serviceName} reads its key with a user-assigned one`,
            fix: `after creation, turn on ${serviceName}'s system-assigned identity, grant it Key Vault Crypto Service Encryption User on the key and rotate the encryption to it (${entry.source}), or keep the key in a vault that accepts public networks`,
        };
    }
    return {
        status: "unreachable",
        reason: `vault ${vaultName} denies by default (${guard.summary}); ${entry.label} calls it from outside every VNet, and the vault does not allow trusted services`,
        fix: `let trusted Azure services pass vault ${vaultName}'s firewall (networkAcls.bypass AzureServices; network.allowTrustedServices on the Vault component): ${entry.label} reads its key as one (${entry.source})`,
    };
}

export function keyAccessEdges(graph: StackGraph, byClient: (clientId: string) => NetworkResource | undefined): AccessEdge[] {
    const edges: AccessEdge[] = [];
    for (const service of graph.resources) {
        const entry = keyAccess[service.type];
        if (!entry) {
            continue;
        }
        for (const reference of keyReferences(service)) {
            const declaredBy = { name: service.name, type: service.type, ...(service.urn ? { urn: service.urn } : {}) };
            const assigned = reference.identityId ? graph.byArmId(reference.identityId) : reference.clientId ? byClient(reference.clientId) : undefined;
            const identityKind: IdentityKind = reference.clientId ? (assigned ? "userAssigned" : "unknown") : reference.identity;
            const identity =
                assigned?.type === resourceTypes.userAssignedIdentity
                    ? assigned.name
                    : identityKind === "systemAssigned"
                      ? `${service.name} (system-assigned)`
                      : (reference.identityId ?? reference.clientId ?? "(unknown identity)");
            const base = { kind: "key-access" as const, declaredBy, identity, source: declaredBy, detail: `encryption key ${reference.keyName ?? keyNameOf(text(reference.uri)) ?? "(not known yet)"}` };
            const vault = vaultOf(graph, service, reference);
            if (!vault) {
                edges.push({ ...base, verdict: { status: "unknown", reason: `the vault of ${service.name}'s key is not one the stack declares` } });
                continue;
            }
            edges.push({
                ...base,
                target: { name: vault.name, type: vault.type, ...(vault.urn ? { urn: vault.urn } : {}), service: "vault" },
                verdict: decideKeyAccess(graph, vault, entry, identityKind, service.name),
            });
        }
    }
    return edges;
}

/** True for a call the key-access edges decide: a data service that encrypts with a key, calling its vault. */
export function isKeyAccessCall(caller: NetworkResource | undefined, target: NetworkResource): boolean {
    return caller !== undefined && keyAccess[caller.type] !== undefined && keyReferences(caller).length > 0 && target.type === "azure-native:keyvault:Vault";
}
