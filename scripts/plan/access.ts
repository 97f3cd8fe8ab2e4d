import type { RecordedResource } from "../../offline/mocks";
import { builtInRoles, roleNameById } from "../../infra/access/roles";
import { describeTargetKind, isChildKind, narrowerKinds, targetKindOfType } from "../../infra/access/targets";
import { classifyUndeclaredId, lastSegment, normalizeId, trimSegments } from "./armIds";
import { compareStrings, ResourceIndex } from "./resources";
import { IdentityKind, PlanGrant, PlanIdentity, PlanScope, PlanWorkload } from "./types";

/**
 * The access matrix, derived only from what the program declares: role assignments (principal, role, scope),
 * user-assigned identities, and the workloads that carry an identity. Names come from the components, so the
 * review reads "storefront → Key Vault Secrets User → vault app-secrets", never GUIDs.
 */

const roleAssignmentType = "azure-native:authorization:RoleAssignment";
const userIdentityType = "azure-native:managedidentity:UserAssignedIdentity";
const federatedCredentialType = "azure-native:managedidentity:FederatedIdentityCredential";
const clusterType = "azure-native:containerservice:ManagedCluster";

/** Kinds, labels, parents and narrower scopes come from the one catalog of target kinds (infra/access/targets.ts). */
export function describeKind(kind: string): string {
    return describeTargetKind(kind);
}

export function describeIdentityKind(kind: IdentityKind): string {
    return kind === "userAssigned" ? "user-assigned" : kind === "systemAssigned" ? "system-assigned" : "external principal";
}

function kindOfType(type: string): string {
    const known = targetKindOfType(type);
    if (known) {
        return known;
    }
    const resource = type.split(":")[2] ?? type;
    return resource.charAt(0).toLowerCase() + resource.slice(1);
}

function str(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The human name of a scope: the declaring component's name, `account/container` for children. */
export function resolveScope(index: ResourceIndex, scopeId: string | undefined): PlanScope {
    if (!scopeId) {
        return { id: "", kind: "unknown", name: "(unknown until deployment)", declared: false };
    }
    const target = index.byId.get(normalizeId(scopeId));
    // Subnets are declared inline on their network: `<network label>/<subnet>`.
    const subnet = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/([^/]+)$/i.exec(scopeId);
    const network = subnet ? index.byId.get(normalizeId(subnet[1])) : undefined;
    if (!target && subnet && network) {
        return { id: scopeId, kind: "subnet", name: `${index.labelOf(network)}/${subnet[2]}`, declared: true };
    }
    // A Kubernetes namespace of a declared cluster (AKS RBAC roles of operator groups): `cluster/namespace`.
    const namespace = /^(.*\/managedClusters\/[^/]+)\/namespaces\/([^/]+)$/i.exec(scopeId);
    const cluster = namespace ? index.byId.get(normalizeId(namespace[1])) : undefined;
    if (!target && namespace && cluster) {
        return { id: scopeId, kind: kindOfType(cluster.type), name: `${index.labelOf(cluster)}/${namespace[2]}`, declared: true };
    }
    if (!target) {
        return { id: scopeId, ...classifyUndeclaredId(scopeId), declared: false };
    }
    const kind = kindOfType(target.type);
    if (!isChildKind(kind)) {
        return { id: scopeId, kind, name: index.labelOf(target), declared: true };
    }
    // The parent is the nearest declared ancestor by ID: .../storageAccounts/st/blobServices/default/containers/c → st.
    for (let trim = 1; trim <= 6; trim++) {
        const prefix = trimSegments(scopeId, trim);
        if (!prefix) {
            break;
        }
        const parent = index.byId.get(normalizeId(prefix));
        if (parent && !isChildKind(kindOfType(parent.type))) {
            return { id: scopeId, kind, name: `${index.labelOf(parent)}/${lastSegment(target.id ?? scopeId)}`, declared: true };
        }
    }
    return { id: scopeId, kind, name: index.labelOf(target), declared: true };
}

interface IdentityEntry {
    name: string;
    kind: IdentityKind;
    urn?: string;
    workloads: Set<string>;
}

export interface AccessModel {
    identities: PlanIdentity[];
    workloads: PlanWorkload[];
    /** The network column is added by the plan (network.ts), from the reachability check. */
    grants: Omit<PlanGrant, "network">[];
}

/** A config grant, reduced to what the plan can compare: identity, role name and target label. */
export interface ExpectedGrant {
    identity: string;
    identityKind: IdentityKind;
    role: string;
    target: string;
}

function identityTypeOf(identity: Record<string, unknown> | undefined): { system: boolean; user: string[] } {
    if (!identity) {
        return { system: false, user: [] };
    }
    const type = str(identity.type) ?? "";
    const assigned = identity.userAssignedIdentities;
    const user = Array.isArray(assigned)
        ? assigned.filter((id): id is string => typeof id === "string")
        : record(assigned)
          ? Object.keys(record(assigned)!)
          : [];
    return { system: /SystemAssigned/i.test(type), user };
}

function workloadTypeOf(index: ResourceIndex, resource: RecordedResource): string {
    const component = index.componentOf(resource);
    if (component) {
        return component.type.split(":").pop() ?? component.type;
    }
    return resource.type;
}

function federatedWorkloadName(subject: string, issuer: string, clusters: Map<string, string>): string {
    const cluster = clusters.get(issuer.replace(/\/+$/, "").toLowerCase());
    const account = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
    if (cluster) {
        return account ? `${cluster} service account ${account[1]}/${account[2]}` : `${cluster} ${subject}`;
    }
    if (/^https:\/\/token\.actions\.githubusercontent\.com\/?$/i.test(issuer)) {
        return `GitHub Actions ${subject}`;
    }
    let host = issuer;
    try {
        host = new URL(issuer).host;
    } catch {
        // Not a URL: show the issuer as given.
    }
    return `${host} ${subject}`;
}

export function deriveAccess(index: ResourceIndex, expected: readonly ExpectedGrant[] = []): AccessModel {
    const identities = new Map<string, IdentityEntry>();
    const identityKey = (kind: IdentityKind, name: string) => `${kind}\u0000${name}`;
    const byPrincipal = new Map<string, IdentityEntry>();
    const userById = new Map<string, IdentityEntry>();
    const workloads = new Map<string, PlanWorkload & { users: Set<string> }>();

    // User-assigned identities, by principal ID and by resource ID.
    for (const resource of index.resources) {
        if (resource.type !== userIdentityType) {
            continue;
        }
        const entry: IdentityEntry = { name: index.labelOf(resource), kind: "userAssigned", urn: resource.urn, workloads: new Set() };
        identities.set(identityKey(entry.kind, entry.name), entry);
        const principal = str(resource.state.principalId);
        if (principal) {
            byPrincipal.set(principal.toLowerCase(), entry);
        }
        if (resource.id) {
            userById.set(normalizeId(resource.id), entry);
        }
    }

    // Workloads: resources that carry an identity block.
    const clusterIssuers = new Map<string, string>();
    for (const resource of index.resources) {
        if (!resource.custom || resource.type === userIdentityType) {
            continue;
        }
        const declared = identityTypeOf(record(resource.inputs.identity));
        const kubelet = str(record(record(record(resource.inputs.identityProfile)?.kubeletidentity))?.resourceId);
        if (!declared.system && declared.user.length === 0 && !kubelet) {
            continue;
        }
        const name = index.labelOf(resource);
        const workload = workloads.get(name) ?? {
            name,
            type: workloadTypeOf(index, resource),
            urn: resource.urn,
            identityKinds: [],
            identities: [],
            users: new Set<string>(),
        };
        workloads.set(name, workload);
        if (declared.system) {
            const entry: IdentityEntry = { name, kind: "systemAssigned", urn: resource.urn, workloads: new Set([name]) };
            identities.set(identityKey(entry.kind, entry.name), entry);
            const principal = str(record(resource.state.identity)?.principalId);
            if (principal) {
                byPrincipal.set(principal.toLowerCase(), entry);
            }
            workload.users.add(identityKey(entry.kind, entry.name));
        }
        for (const id of [...declared.user, ...(kubelet ? [kubelet] : [])]) {
            const entry = userById.get(normalizeId(id));
            if (entry) {
                entry.workloads.add(name);
                workload.users.add(identityKey(entry.kind, entry.name));
            }
        }
        if (resource.type === clusterType) {
            const issuer = str(record(resource.state.oidcIssuerProfile)?.issuerURL);
            if (issuer) {
                clusterIssuers.set(issuer.replace(/\/+$/, "").toLowerCase(), name);
            }
        }
    }

    // Federated credentials: an AKS service account or a CI workflow signs in as a user-assigned identity.
    for (const resource of index.resources) {
        if (resource.type !== federatedCredentialType || !resource.id) {
            continue;
        }
        const identityId = resource.id.replace(/\/federatedIdentityCredentials\/[^/]+\/?$/i, "");
        const entry = userById.get(normalizeId(identityId));
        const subject = str(resource.inputs.subject);
        const issuer = str(resource.inputs.issuer);
        if (!entry || !subject || !issuer) {
            continue;
        }
        const name = federatedWorkloadName(subject, issuer, clusterIssuers);
        entry.workloads.add(name);
        const workload = workloads.get(name) ?? { name, type: "federated", identityKinds: [], identities: [], users: new Set<string>() };
        workload.users.add(identityKey(entry.kind, entry.name));
        workloads.set(name, workload);
    }

    const expectedKeys = new Set(expected.map((grant) => `${grant.identityKind}\u0000${grant.identity}\u0000${grant.role}\u0000${grant.target}`));
    const grants: Omit<PlanGrant, "network">[] = [];
    for (const resource of index.resources) {
        if (resource.type !== roleAssignmentType) {
            continue;
        }
        const principal = str(resource.inputs.principalId) ?? "";
        let entry = byPrincipal.get(principal.toLowerCase());
        if (!entry) {
            // A principal the stack does not declare (a group, a user, an identity from elsewhere).
            const name = principal || "(unknown principal)";
            entry = identities.get(identityKey("external", name)) ?? { name, kind: "external", workloads: new Set() };
            identities.set(identityKey("external", name), entry);
        }
        const definition = str(resource.inputs.roleDefinitionId) ?? "";
        const roleId = lastSegment(definition).toLowerCase();
        const roleName = roleNameById(roleId);
        const builtIn = roleName ? builtInRoles[roleName] : undefined;
        const scope = resolveScope(index, str(resource.inputs.scope));
        const broadReason = broadness(scope, builtIn?.scopes);
        const role = roleName ?? `role ${roleId || "(unknown)"}`;
        grants.push({
            urn: resource.urn,
            identity: entry.name,
            identityKind: entry.kind,
            workloads: [...entry.workloads].sort(compareStrings),
            role,
            roleId,
            privileged: Boolean(builtIn && "privileged" in builtIn && builtIn.privileged),
            writes: Boolean(builtIn && "writes" in builtIn && builtIn.writes),
            scope,
            broad: broadReason !== undefined,
            ...(broadReason ? { broadReason } : {}),
            origin: expectedKeys.has(`${entry.kind}\u0000${entry.name}\u0000${role}\u0000${scope.name}`) ? "config" : "component",
            ...(builtIn && "encryption" in builtIn && builtIn.encryption ? { purpose: "encryption" as const } : {}),
        });
    }
    grants.sort(
        (a, b) =>
            compareStrings(a.identity, b.identity) ||
            compareStrings(a.identityKind, b.identityKind) ||
            compareStrings(a.role, b.role) ||
            compareStrings(a.scope.name, b.scope.name) ||
            compareStrings(a.urn, b.urn),
    );

    const planWorkloads: PlanWorkload[] = [...workloads.values()]
        .map(({ users, ...workload }) => {
            const entries = [...users].map((key) => identities.get(key)!).filter(Boolean);
            return {
                ...workload,
                identityKinds: [...new Set(entries.map((entry) => entry.kind))].sort(compareStrings),
                identities: [...new Set(entries.map((entry) => entry.name))].sort(compareStrings),
            };
        })
        .sort((a, b) => compareStrings(a.name, b.name));
    const planIdentities: PlanIdentity[] = [...identities.values()]
        .map((entry) => ({
            name: entry.name,
            kind: entry.kind,
            workloads: [...entry.workloads].sort(compareStrings),
            ...(entry.urn ? { urn: entry.urn } : {}),
        }))
        .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind));
    return { identities: planIdentities, workloads: planWorkloads, grants };
}

/** Why a scope is broader than one resource needs, or undefined. */
export function broadness(scope: Pick<PlanScope, "kind" | "name">, roleScopes: readonly string[] | undefined): string | undefined {
    switch (scope.kind) {
        case "managementGroup":
            return "a whole management group: every subscription under it";
        case "subscription":
            return "a whole subscription: every resource in it";
        case "resourceGroup":
            return `a whole resource group: every resource in ${scope.name}`;
    }
    const usable = narrowerKinds(scope.kind).filter((kind) => roleScopes?.includes(kind));
    if (usable.length > 0) {
        return `the whole ${describeKind(scope.kind)}; the role also works on a single ${usable.map(describeKind).join(" or ")}`;
    }
    return undefined;
}
