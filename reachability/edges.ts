import { resourceTypes, storageChildService, storageRoleService, TargetType, targetTypes } from "./catalog";
import { evaluateCall } from "./evaluate";
import { absent, get, list, record, StackGraph, text } from "./graph";
import { childTypes, hostOf, providerSegments } from "./ids";
import { isKeyAccessCall, keyAccessEdges } from "./keys";
import { outsideCaller, positionOf, SourcePosition } from "./sources";
import { AccessEdge, DatabaseGrantInput, EdgeEnd, EdgeKind, NetworkResource, ServiceGroup, Verdict } from "./types";

/**
 * The access edges of a stack: who calls which data service as which identity, found from what the program
 * declares, and a verdict for each. A role assignment to an identity that several workloads carry is one edge per
 * workload: each calls from its own network.
 */

interface Caller {
    resource?: NetworkResource;
    /** Set for callers outside the stack's resources (a CI runner signing in through a federated credential). */
    outside?: string;
    role: "workload" | "control-plane";
}

function end(resource: NetworkResource): EdgeEnd {
    return { name: resource.name, type: resource.type, ...(resource.urn ? { urn: resource.urn } : {}) };
}

/** User-assigned identity IDs a resource's `identity` names: a list in inputs, a map keyed by ID in outputs. */
function userAssignedRefs(identity: unknown): string[] {
    const assigned = get(identity, "userAssignedIdentities");
    if (Array.isArray(assigned)) {
        return assigned.map((id) => text(id)).filter((id): id is string => !!id);
    }
    return Object.keys(record(assigned) ?? {});
}

class Identities {
    private readonly byPrincipal = new Map<string, NetworkResource>();
    private readonly byClientId = new Map<string, NetworkResource>();
    private readonly carriers = new Map<NetworkResource, Caller[]>();

    constructor(private readonly graph: StackGraph) {
        const identities = graph.resources.filter((r) => r.type === resourceTypes.userAssignedIdentity);
        for (const identity of identities) {
            const principal = text(identity.props.principalId);
            if (principal) {
                this.byPrincipal.set(principal.toLowerCase(), identity);
            }
            const client = text(identity.props.clientId);
            if (client) {
                this.byClientId.set(client.toLowerCase(), identity);
            }
        }
        const isIdentity = (r: NetworkResource) => r.type === resourceTypes.userAssignedIdentity;
        const add = (identity: NetworkResource, caller: Caller) => {
            const callers = this.carriers.get(identity) ?? [];
            if (!callers.some((c) => c.resource === caller.resource && c.outside === caller.outside && c.role === caller.role)) {
                callers.push(caller);
            }
            this.carriers.set(identity, callers);
        };
        for (const resource of graph.resources) {
            if (resource.type === resourceTypes.userAssignedIdentity || resource.type === resourceTypes.federatedCredential) {
                continue;
            }
            const system = get(resource.props, "identity.principalId");
            if (text(system)) {
                this.byPrincipal.set(text(system)!.toLowerCase(), resource);
            }
            const role = resource.type === resourceTypes.managedCluster ? "control-plane" : "workload";
            const attached = [
                ...userAssignedRefs(resource.props.identity)
                    .map((id) => graph.byArmId(id))
                    .filter((r): r is NetworkResource => !!r && isIdentity(r)),
                ...graph.fromDependencies(resource, "identity", isIdentity),
            ];
            for (const identity of attached) {
                add(identity, { resource, role });
            }
            // AKS nodes sign in as the kubelet identity.
            const kubelet = get(resource.props, "identityProfile.kubeletidentity.resourceId");
            for (const identity of graph.follow(resource, "identityProfile", kubelet, isIdentity)) {
                add(identity, { resource, role: "workload" });
            }
        }
        // Federated credentials: pods of a cluster (by OIDC issuer), or a CI job outside Azure.
        const clusters = graph.resources.filter((r) => r.type === resourceTypes.managedCluster);
        for (const credential of graph.resources.filter((r) => r.type === resourceTypes.federatedCredential)) {
            const parentName = text(credential.props.resourceName);
            const [identity] = parentName
                ? identities.filter((r) => graph.azureName(r)?.toLowerCase() === parentName.toLowerCase())
                : graph.fromDependencies(credential, "resourceName", isIdentity);
            if (!identity) {
                continue;
            }
            const issuer = text(credential.props.issuer);
            const fromCluster = issuer
                ? clusters.find((cluster) => text(get(cluster.props, "oidcIssuerProfile.issuerURL"))?.replace(/\/+$/, "").toLowerCase() === issuer.replace(/\/+$/, "").toLowerCase())
                : graph.fromDependencies(credential, "issuer", (r) => r.type === resourceTypes.managedCluster)[0];
            if (fromCluster) {
                add(identity, { resource: fromCluster, role: "workload" });
            } else if (issuer && /token\.actions\.githubusercontent\.com/i.test(issuer)) {
                add(identity, { outside: `GitHub Actions ${text(credential.props.subject) ?? ""}`.trim(), role: "workload" });
            } else if (issuer && /\.oic\.prod-aks\.azure\.com\//i.test(issuer) && clusters.length === 1) {
                // The issuer URL is computed by AKS; with one cluster in the stack it is that cluster's.
                add(identity, { resource: clusters[0], role: "workload" });
            }
        }
    }

    principal(value: unknown, holder: NetworkResource): NetworkResource | undefined {
        const id = text(value);
        if (id) {
            return this.byPrincipal.get(id.toLowerCase());
        }
        return this.graph.fromDependencies(holder, "principalId", (r) => r.type === resourceTypes.userAssignedIdentity || !absent(r.props.identity))[0];
    }

    byClient(clientId: string): NetworkResource | undefined {
        return this.byClientId.get(clientId.toLowerCase());
    }

    /** Who signs in as this identity: a user-assigned identity's carriers, or the resource owning a system identity. */
    callersOf(identity: NetworkResource): Caller[] {
        if (identity.type === resourceTypes.userAssignedIdentity) {
            return this.carriers.get(identity) ?? [];
        }
        return [{ resource: identity, role: "workload" }];
    }
}

interface TargetRef {
    target: NetworkResource;
    type: TargetType;
    service: ServiceGroup;
}

function targetOfScope(graph: StackGraph, assignment: NetworkResource, roleId: string): TargetRef | "control-plane" | undefined {
    const scope = assignment.props.scope;
    const id = text(scope);
    let found: { target: NetworkResource; type: TargetType; service?: ServiceGroup } | undefined;
    if (id) {
        const top = graph.byTopOf(id);
        const type = top ? targetTypes[top.type] : undefined;
        const [first] = providerSegments(id);
        const guardedArm = first !== undefined && Object.values(targetTypes).some((t) => t.arm === first[0].toLowerCase());
        if (top && type) {
            const child = childTypes(id).find((segment) => storageChildService[segment]);
            found = { target: top, type, ...(child ? { service: storageChildService[child] } : {}) };
        } else if (!guardedArm) {
            return "control-plane";
        } else {
            return undefined;
        }
    } else {
        const [origin] = graph.fromDependencies(assignment, "scope", (r) => graph.guardedParent(r) !== undefined);
        const parent = origin ? graph.guardedParent(origin) : undefined;
        if (!parent) {
            return (assignment.propertyDependencies?.scope ?? []).length > 0 ? "control-plane" : undefined;
        }
        found = parent;
    }
    const service = found.service ?? (found.type.kind === "storage" ? storageRoleService[roleId] : undefined) ?? found.type.defaultService;
    return { target: found.target, type: found.type, service };
}

function decide(graph: StackGraph, caller: Caller, target: TargetRef, kind: EdgeKind): Verdict {
    const source: SourcePosition = caller.resource
        ? positionOf(graph, caller.resource, caller.role)
        : { resource: { type: "outside", name: caller.outside ?? "outside caller", props: {} }, placements: outsideCaller(caller.outside ?? "an outside caller"), routeAll: false, linuxApp: false, egressIps: [] };
    return evaluateCall(graph, { source, target: target.target, type: target.type, service: target.service, kind });
}

function callerEnd(caller: Caller): EdgeEnd {
    return caller.resource ? end(caller.resource) : { name: caller.outside ?? "outside caller", type: "outside" };
}

function targetEnd(target: TargetRef): AccessEdge["target"] {
    return { ...end(target.target), service: target.service };
}

function roleAssignmentEdges(graph: StackGraph, identities: Identities): AccessEdge[] {
    const edges: AccessEdge[] = [];
    for (const assignment of graph.resources.filter((r) => r.type === resourceTypes.roleAssignment)) {
        const roleId = (text(assignment.props.roleDefinitionId) ?? "").split("/").pop()?.toLowerCase() ?? "";
        const principal = identities.principal(assignment.props.principalId, assignment);
        const identityLabel = principal ? principal.name : text(assignment.props.principalId) ?? "(unknown principal)";
        const base = { kind: "role-assignment" as const, declaredBy: end(assignment), identity: identityLabel, detail: `role ${roleId || "(unknown)"}` };
        const target = targetOfScope(graph, assignment, roleId);
        if (target === "control-plane") {
            edges.push({ ...base, verdict: { status: "reachable", via: "control-plane", reason: "the scope is not a network-guarded data service; ARM calls are not filtered by the target's firewall" } });
            continue;
        }
        if (!target) {
            edges.push({ ...base, verdict: { status: "unknown", reason: "the scope is not a resource the stack declares" } });
            continue;
        }
        const carriers = principal ? identities.callersOf(principal) : [];
        // A data service reading its own encryption key with the identity: its key-access edge decides that call.
        const callers = carriers.filter((caller) => !isKeyAccessCall(caller.resource, target.target));
        if (carriers.length > 0 && callers.length === 0) {
            continue;
        }
        if (callers.length === 0) {
            edges.push({
                ...base,
                target: targetEnd(target),
                verdict: { status: "unknown", reason: principal ? `no workload of the stack carries identity ${principal.name}` : "the principal is not an identity the stack declares" },
            });
            continue;
        }
        for (const caller of callers) {
            edges.push({ ...base, source: callerEnd(caller), target: targetEnd(target), verdict: decide(graph, caller, target, "role-assignment") });
        }
    }
    return edges;
}

/** App settings of a site: its `siteConfig.appSettings` list and any standalone settings resource naming it. */
function settingsOf(graph: StackGraph, site: NetworkResource): { name: string; value: string }[] {
    const settings: { name: string; value: string }[] = [];
    for (const entry of list(get(site.props, "siteConfig.appSettings"))) {
        const name = text(get(entry, "name"));
        const value = text(get(entry, "value"));
        if (name && value) {
            settings.push({ name, value });
        }
    }
    const siteName = graph.azureName(site)?.toLowerCase();
    for (const resource of graph.resources) {
        if (resource.type !== resourceTypes.webAppSettings) {
            continue;
        }
        const named = text(resource.props.name);
        const mine = named ? named.toLowerCase() === siteName : (resource.propertyDependencies?.name ?? []).includes(site.urn ?? "\u0000");
        if (!mine) {
            continue;
        }
        for (const [name, value] of Object.entries(record(resource.props.properties) ?? {})) {
            if (text(value)) {
                settings.push({ name, value: value as string });
            }
        }
    }
    return settings;
}

function targetByHost(graph: StackGraph, host: string): TargetRef | undefined {
    for (const type of Object.values(targetTypes)) {
        for (const { suffix, service } of type.hosts) {
            if (host.endsWith(suffix)) {
                const name = host.slice(0, -suffix.length);
                const target = graph.byTypeAndName(type.arm, name);
                if (target) {
                    return { target, type, service };
                }
            }
        }
    }
    return undefined;
}

const keyVaultReference = /^@Microsoft\.KeyVault\((.*)\)\s*$/i;
const identityConnection = /^(.*)__(\w*serviceUri|fullyQualifiedNamespace|accountName)$/i;

function settingEdges(graph: StackGraph, identities: Identities): AccessEdge[] {
    const edges: AccessEdge[] = [];
    const sites = graph.resources.filter((r) => r.type === resourceTypes.webApp || r.type === resourceTypes.webAppSlot);
    for (const site of sites) {
        const settings = settingsOf(graph, site);
        const byName = new Map(settings.map((s) => [s.name.toLowerCase(), s.value]));
        const referenceIdentity = text(site.props.keyVaultReferenceIdentity);
        const referenceLabel = referenceIdentity && !/^SystemAssigned$/i.test(referenceIdentity) ? (graph.byArmId(referenceIdentity)?.name ?? referenceIdentity.split("/").pop()!) : `${site.name} (system-assigned)`;
        const caller: Caller = { resource: site, role: "workload" };
        for (const { name, value } of settings) {
            const reference = keyVaultReference.exec(value);
            if (reference) {
                const body = reference[1];
                const uri = /SecretUri=([^;]+)/i.exec(body)?.[1];
                const vaultName = uri ? hostOf(uri)?.split(".")[0] : /VaultName=([^;]+)/i.exec(body)?.[1];
                const vaultType = targetTypes["azure-native:keyvault:Vault"];
                const vault = vaultName ? graph.byTypeAndName(vaultType.arm, vaultName) : undefined;
                const base = { kind: "keyvault-reference" as const, declaredBy: end(site), identity: referenceLabel, source: end(site), detail: `setting ${name}` };
                if (!vault) {
                    edges.push({ ...base, verdict: { status: "unknown", reason: `vault ${vaultName ?? "(unparsed)"} is not declared in the stack` } });
                    continue;
                }
                const target: TargetRef = { target: vault, type: vaultType, service: "vault" };
                edges.push({ ...base, target: targetEnd(target), verdict: decide(graph, caller, target, "keyvault-reference") });
                continue;
            }
            const connection = identityConnection.exec(name);
            if (!connection) {
                continue;
            }
            const [, prefix, suffix] = connection;
            const clientId = byName.get(`${prefix}__clientid`.toLowerCase());
            const identityLabel = clientId ? (identities.byClient(clientId)?.name ?? clientId) : `${site.name} (system-assigned)`;
            const base = { kind: "identity-connection" as const, declaredBy: end(site), identity: identityLabel, source: end(site), detail: `setting ${name}` };
            const refs: TargetRef[] = [];
            if (/^accountName$/i.test(suffix)) {
                const type = targetTypes["azure-native:storage:StorageAccount"];
                const account = graph.byTypeAndName(type.arm, value);
                // The Functions host uses blobs, and queues and tables for its triggers and bookkeeping.
                const services: ServiceGroup[] = /^AzureWebJobsStorage$/i.test(prefix) ? ["blob", "queue", "table"] : ["blob"];
                if (account) {
                    refs.push(...services.map((service) => ({ target: account, type, service })));
                }
            } else {
                const host = hostOf(value) ?? value.toLowerCase();
                const found = targetByHost(graph, host);
                if (found) {
                    refs.push(found);
                }
            }
            if (refs.length === 0) {
                edges.push({ ...base, verdict: { status: "unknown", reason: `${value} is not a data service the stack declares` } });
            }
            for (const target of refs) {
                edges.push({ ...base, target: targetEnd(target), verdict: decide(graph, caller, target, "identity-connection") });
            }
        }
    }
    return edges;
}

function databaseEdges(graph: StackGraph, grants: readonly DatabaseGrantInput[]): AccessEdge[] {
    const sqlType = targetTypes["azure-native:sql:Server"];
    return grants.map((grant): AccessEdge => {
        const server = graph.resources.find((r) => r.type === "azure-native:sql:Server" && (r.name === grant.server || graph.azureName(r) === grant.server));
        const workload = graph.resources.find((r) => r.name === grant.workload && !absent(r.props.identity) && r.type !== resourceTypes.userAssignedIdentity);
        const base = { kind: "database-grant" as const, declaredBy: { name: `${grant.server}/${grant.database}`, type: "T-SQL grant" }, identity: grant.identity, detail: `database ${grant.database}` };
        if (!server || !workload) {
            return { ...base, verdict: { status: "unknown", reason: !server ? `server ${grant.server} is not declared in the stack` : `workload ${grant.workload} is not declared in the stack` } };
        }
        const target: TargetRef = { target: server, type: sqlType, service: "sqlServer" };
        return { ...base, source: end(workload), target: targetEnd(target), verdict: decide(graph, { resource: workload, role: "workload" }, target, "database-grant") };
    });
}

export function accessEdges(resources: readonly NetworkResource[], databaseGrants: readonly DatabaseGrantInput[] = []): AccessEdge[] {
    const graph = new StackGraph(resources);
    const identities = new Identities(graph);
    const edges = [
        ...roleAssignmentEdges(graph, identities),
        ...settingEdges(graph, identities),
        ...databaseEdges(graph, databaseGrants),
        ...keyAccessEdges(graph, (clientId) => identities.byClient(clientId)),
    ];
    const key = (edge: AccessEdge) => `${edge.kind}\u0000${edge.declaredBy.urn ?? edge.declaredBy.name}\u0000${edge.detail}\u0000${edge.source?.name ?? ""}\u0000${edge.target?.service ?? ""}`;
    return edges.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
