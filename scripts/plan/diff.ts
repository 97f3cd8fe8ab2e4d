import { isAncestorScope } from "./armIds";
import { compareStrings } from "./resources";
import { compareRoles } from "./roleRank";
import { IdentityKind, PlanDocument, PlanFinding, PlanGrant, PlanIdentity, PlanNetworkEdge, PlanScope } from "./types";

/**
 * Compares two plans of the same stack (base branch, pull request). Access comes first: grants added or removed,
 * scopes widened or narrowed (same identity and role, scope an ancestor or descendant by ARM ID), roles escalated
 * or reduced (same identity and scope; see roleRank.ts), identities added or removed, and workloads that switched
 * identity type. Then resources (by URN; "changed" means a different inputs hash) and policy findings. Before all
 * of them, access edges the change makes unreachable: a grant that the network stops letting through.
 */

export const diffSchemaVersion = 1;

export interface GrantSummary {
    identity: string;
    identityKind: IdentityKind;
    workloads: string[];
    role: string;
    privileged: boolean;
    scope: PlanScope;
    broad: boolean;
    broadReason?: string;
}

export interface ScopeChange {
    identity: string;
    identityKind: IdentityKind;
    workloads: string[];
    role: string;
    from: PlanScope;
    to: PlanScope;
}

export interface RoleChange {
    identity: string;
    identityKind: IdentityKind;
    workloads: string[];
    scope: PlanScope;
    from: string;
    to: string;
    toPrivileged: boolean;
}

export interface WorkloadSwitch {
    workload: string;
    from: IdentityKind[];
    to: IdentityKind[];
}

export interface DatabaseGrantChange {
    identity: string;
    server?: string;
    database: string;
    role: string;
}

export interface ResourceRef {
    urn: string;
    type: string;
    name: string;
}

export interface PlanDiff {
    schemaVersion: typeof diffSchemaVersion;
    stack: { base: string; head: string };
    access: {
        grantsAdded: GrantSummary[];
        grantsRemoved: GrantSummary[];
        scopeWidened: ScopeChange[];
        scopeNarrowed: ScopeChange[];
        roleEscalated: RoleChange[];
        /** Same identity and scope, a role that can do less, or a different one of the same power. */
        roleChanged: (RoleChange & { direction: "reduced" | "lateral" })[];
        identitiesAdded: PlanIdentity[];
        identitiesRemoved: PlanIdentity[];
        workloadsSwitched: WorkloadSwitch[];
        databaseGrantsAdded: DatabaseGrantChange[];
        databaseGrantsRemoved: DatabaseGrantChange[];
    };
    network: {
        /** Edges unreachable in head that were reachable, unknown or absent in base. */
        newlyUnreachable: PlanNetworkEdge[];
        /** Edges unreachable in base that are reachable in head. */
        restored: PlanNetworkEdge[];
    };
    resources: { added: ResourceRef[]; removed: ResourceRef[]; changed: ResourceRef[] };
    policy: { added: PlanFinding[]; resolved: PlanFinding[] };
    summary: {
        /** Role escalations + widened scopes + added grants that are privileged or broad. */
        escalations: number;
        accessChanges: number;
        resourceChanges: number;
        newFindings: number;
        newMandatoryFindings: number;
        newlyUnreachable: number;
    };
}

/** The same edge in two plans: kind, declaring resource, caller, sub-service and detail. */
const edgeKey = (edge: PlanNetworkEdge) => [edge.kind, edge.declaredBy, edge.source ?? "", edge.target ?? "", edge.service ?? "", edge.detail].join("\u0000");

export function diffNetwork(base: Pick<PlanDocument, "network">, head: Pick<PlanDocument, "network">): PlanDiff["network"] {
    const before = new Map(base.network.edges.map((edge) => [edgeKey(edge), edge]));
    const after = new Map(head.network.edges.map((edge) => [edgeKey(edge), edge]));
    const newlyUnreachable = head.network.edges.filter((edge) => edge.verdict === "unreachable" && before.get(edgeKey(edge))?.verdict !== "unreachable");
    const restored = base.network.edges.filter((edge) => {
        const now = after.get(edgeKey(edge));
        return edge.verdict === "unreachable" && now !== undefined && now.verdict !== "unreachable" && now.verdict !== "unknown";
    });
    return { newlyUnreachable, restored: restored.map((edge) => after.get(edgeKey(edge))!) };
}

function summarize(grant: PlanGrant): GrantSummary {
    return {
        identity: grant.identity,
        identityKind: grant.identityKind,
        workloads: grant.workloads,
        role: grant.role,
        privileged: grant.privileged,
        scope: grant.scope,
        broad: grant.broad,
        ...(grant.broadReason ? { broadReason: grant.broadReason } : {}),
    };
}

const identityOf = (grant: Pick<PlanGrant, "identityKind" | "identity">) => `${grant.identityKind}\u0000${grant.identity}`;
const scopeOf = (scope: PlanScope) => `${scope.kind}\u0000${scope.name}`;
const grantKey = (grant: PlanGrant) => `${identityOf(grant)}\u0000${grant.roleId}\u0000${scopeOf(grant.scope)}`;

/** True when `outer` contains `inner`: by ARM ID prefix, or by name (`appdata` contains `appdata/stock`). */
export function scopeContains(outer: PlanScope, inner: PlanScope): boolean {
    if (outer.id && inner.id) {
        return isAncestorScope(outer.id, inner.id);
    }
    return inner.name.startsWith(`${outer.name}/`);
}

function keyed<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
    const map = new Map<string, T>();
    for (const item of items) {
        if (!map.has(key(item))) {
            map.set(key(item), item);
        }
    }
    return map;
}

function difference<T>(left: Map<string, T>, right: Map<string, T>): T[] {
    return [...left].filter(([key]) => !right.has(key)).map(([, item]) => item);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const map = new Map<string, T[]>();
    for (const item of items) {
        const list = map.get(key(item)) ?? [];
        list.push(item);
        map.set(key(item), list);
    }
    return map;
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
    const baseGrants = keyed(base.grants, grantKey);
    const headGrants = keyed(head.grants, grantKey);
    let removed = difference(baseGrants, headGrants);
    let added = difference(headGrants, baseGrants);

    // Same identity and role, scope moved up or down the ARM hierarchy.
    const scopeWidened: ScopeChange[] = [];
    const scopeNarrowed: ScopeChange[] = [];
    const pairedRemoved = new Set<PlanGrant>();
    const pairedAdded = new Set<PlanGrant>();
    const removedByIdentityRole = groupBy(removed, (grant) => `${identityOf(grant)}\u0000${grant.roleId}`);
    for (const grant of added) {
        const candidates = removedByIdentityRole.get(`${identityOf(grant)}\u0000${grant.roleId}`) ?? [];
        const previous = candidates.find((old) => !pairedRemoved.has(old) && (scopeContains(grant.scope, old.scope) || scopeContains(old.scope, grant.scope)));
        if (!previous) {
            continue;
        }
        pairedRemoved.add(previous);
        pairedAdded.add(grant);
        const change = { identity: grant.identity, identityKind: grant.identityKind, workloads: grant.workloads, role: grant.role, from: previous.scope, to: grant.scope };
        (scopeContains(grant.scope, previous.scope) ? scopeWidened : scopeNarrowed).push(change);
    }
    removed = removed.filter((grant) => !pairedRemoved.has(grant));
    added = added.filter((grant) => !pairedAdded.has(grant));

    // Same identity and scope, another role.
    const roleEscalated: RoleChange[] = [];
    const roleChanged: PlanDiff["access"]["roleChanged"] = [];
    const removedByIdentityScope = groupBy(removed, (grant) => `${identityOf(grant)}\u0000${scopeOf(grant.scope)}`);
    for (const grant of added) {
        const candidates = (removedByIdentityScope.get(`${identityOf(grant)}\u0000${scopeOf(grant.scope)}`) ?? []).filter((old) => !pairedRemoved.has(old));
        if (candidates.length === 0) {
            continue;
        }
        // Compare with the strongest role that went away: an escalation is judged against what the identity had.
        const previous = candidates.reduce((best, old) => (compareRoles(best.role, old.role) > 0 ? old : best));
        pairedRemoved.add(previous);
        pairedAdded.add(grant);
        const change: RoleChange = {
            identity: grant.identity,
            identityKind: grant.identityKind,
            workloads: grant.workloads,
            scope: grant.scope,
            from: previous.role,
            to: grant.role,
            toPrivileged: grant.privileged,
        };
        const direction = compareRoles(previous.role, grant.role);
        if (direction > 0) {
            roleEscalated.push(change);
        } else {
            roleChanged.push({ ...change, direction: direction < 0 ? "reduced" : "lateral" });
        }
    }
    removed = removed.filter((grant) => !pairedRemoved.has(grant));
    added = added.filter((grant) => !pairedAdded.has(grant));

    const identityKey = (identity: PlanIdentity) => `${identity.kind}\u0000${identity.name}`;
    const baseIdentities = keyed(base.identities, identityKey);
    const headIdentities = keyed(head.identities, identityKey);

    const baseWorkloads = keyed(base.workloads, (workload) => workload.name);
    const workloadsSwitched: WorkloadSwitch[] = [];
    for (const workload of head.workloads) {
        const before = baseWorkloads.get(workload.name);
        if (before && before.identityKinds.join(",") !== workload.identityKinds.join(",")) {
            workloadsSwitched.push({ workload: workload.name, from: before.identityKinds, to: workload.identityKinds });
        }
    }

    const databaseKey = (grant: DatabaseGrantChange) => `${grant.identity}\u0000${grant.server ?? ""}\u0000${grant.database}\u0000${grant.role}`;
    const expand = (plan: PlanDocument) =>
        keyed(
            plan.databaseGrants.flatMap((grant) =>
                grant.roles.map((role) => ({ identity: grant.identity, ...(grant.server ? { server: grant.server } : {}), database: grant.database, role })),
            ),
            databaseKey,
        );
    const baseDatabase = expand(base);
    const headDatabase = expand(head);

    const resourceKey = (resource: { urn: string }) => resource.urn;
    const baseResources = keyed(base.resources, resourceKey);
    const headResources = keyed(head.resources, resourceKey);
    const ref = (resource: ResourceRef): ResourceRef => ({ urn: resource.urn, type: resource.type, name: resource.name });
    const changed = head.resources.filter((resource) => {
        const before = baseResources.get(resource.urn);
        return before !== undefined && before.inputsHash !== resource.inputsHash;
    });

    const findingKey = (finding: PlanFinding) => `${finding.level}\u0000${finding.rule}\u0000${finding.resource}\u0000${finding.message}`;
    const baseFindings = keyed(base.policy.violations, findingKey);
    const headFindings = keyed(head.policy.violations, findingKey);

    const byGrant = (a: GrantSummary, b: GrantSummary) =>
        compareStrings(a.identity, b.identity) || compareStrings(a.role, b.role) || compareStrings(a.scope.name, b.scope.name);
    const byResource = (a: ResourceRef, b: ResourceRef) => compareStrings(a.type, b.type) || compareStrings(a.name, b.name) || compareStrings(a.urn, b.urn);
    const byName = (a: PlanIdentity, b: PlanIdentity) => compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind);

    const access: PlanDiff["access"] = {
        grantsAdded: added.map(summarize).sort(byGrant),
        grantsRemoved: removed.map(summarize).sort(byGrant),
        scopeWidened,
        scopeNarrowed,
        roleEscalated,
        roleChanged,
        identitiesAdded: difference(headIdentities, baseIdentities).sort(byName),
        identitiesRemoved: difference(baseIdentities, headIdentities).sort(byName),
        workloadsSwitched: workloadsSwitched.sort((a, b) => compareStrings(a.workload, b.workload)),
        databaseGrantsAdded: difference(headDatabase, baseDatabase),
        databaseGrantsRemoved: difference(baseDatabase, headDatabase),
    };
    const newFindings = difference(headFindings, baseFindings);
    const resources = {
        added: difference(headResources, baseResources).map(ref).sort(byResource),
        removed: difference(baseResources, headResources).map(ref).sort(byResource),
        changed: changed.map(ref).sort(byResource),
    };
    const escalations =
        access.roleEscalated.length + access.scopeWidened.length + access.grantsAdded.filter((grant) => grant.privileged || grant.broad).length;
    const accessChanges = Object.values(access).reduce((total, list) => total + list.length, 0);
    const network = diffNetwork(base, head);
    return {
        schemaVersion: diffSchemaVersion,
        stack: { base: base.stack, head: head.stack },
        access,
        network,
        resources,
        policy: { added: newFindings, resolved: difference(baseFindings, headFindings) },
        summary: {
            escalations,
            accessChanges,
            resourceChanges: resources.added.length + resources.removed.length + resources.changed.length,
            newFindings: newFindings.length,
            newMandatoryFindings: newFindings.filter((finding) => finding.level === "mandatory").length,
            newlyUnreachable: network.newlyUnreachable.length,
        },
    };
}
