import { AccessEdge, accessEdges, DatabaseGrantInput, NetworkResource, verdictCounts, verdictLabel } from "@keyless/reachability";
import type { RecordedResource } from "../../offline/mocks";
import { ResourceIndex } from "./resources";
import { NetworkVerdict, PlanDatabaseGrant, PlanGrant, PlanGrantNetwork, PlanNetwork, PlanNetworkEdge } from "./types";

/**
 * The plan's network view: the reachability check (`@keyless/reachability`) run on the recorded resources, with
 * names as the rest of the plan shows them (component names, catalog role names).
 */

export function networkResources(resources: readonly RecordedResource[]): NetworkResource[] {
    return resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        ...(resource.id ? { id: resource.id } : {}),
        // Outputs carry what Azure computes (principal IDs, the AKS issuer) on top of the inputs.
        props: { ...resource.inputs, ...resource.state },
        dependencies: resource.dependencies,
    }));
}

function databaseInputs(grants: readonly PlanDatabaseGrant[]): DatabaseGrantInput[] {
    return grants.filter((grant) => grant.workload && grant.server).map((grant) => ({ workload: grant.workload!, identity: grant.identity, server: grant.server!, database: grant.database }));
}

function toPlanEdge(index: ResourceIndex, edge: AccessEdge, roleNames: Map<string, string>): PlanNetworkEdge {
    const label = (end: { urn?: string; name: string } | undefined) => {
        const resource = end?.urn ? index.byUrn.get(end.urn) : undefined;
        return resource ? index.labelOf(resource) : (end?.name ?? null);
    };
    const verdict = edge.verdict;
    return {
        kind: edge.kind,
        declaredBy: edge.declaredBy.urn ?? edge.declaredBy.name,
        identity: edge.identity,
        source: label(edge.source),
        target: label(edge.target),
        service: edge.target?.service ?? null,
        detail: edge.kind === "role-assignment" && edge.declaredBy.urn ? (roleNames.get(edge.declaredBy.urn) ?? edge.detail) : edge.detail,
        verdict: verdictLabel(verdict) as NetworkVerdict,
        reason: verdict.reason,
        ...(verdict.status === "unreachable" ? { fix: verdict.fix } : {}),
    };
}

/** A grant's network column: unreachable when any workload carrying the identity cannot reach the scope. */
export function grantNetwork(edges: readonly PlanNetworkEdge[]): PlanGrantNetwork {
    const unreachable = edges.filter((edge) => edge.verdict === "unreachable");
    if (unreachable.length > 0) {
        return {
            verdict: "unreachable",
            reason: unreachable.map((edge) => `${edge.source ?? "?"}: ${edge.reason}`).join(" | "),
            fix: [...new Set(unreachable.map((edge) => edge.fix!))].join(" | "),
        };
    }
    const unknown = edges.find((edge) => edge.verdict === "unknown");
    const first = unknown ?? edges[0];
    return first ? { verdict: first.verdict, reason: first.reason } : { verdict: "unknown", reason: "no edge" };
}

export function deriveNetwork(
    index: ResourceIndex,
    grants: readonly (Pick<PlanGrant, "urn" | "role"> & Partial<Pick<PlanGrant, "identity" | "purpose">>)[],
    databaseGrants: readonly PlanDatabaseGrant[],
): { network: PlanNetwork; byGrant: Map<string, PlanGrantNetwork> } {
    const roleNames = new Map(grants.map((grant) => [grant.urn, grant.role]));
    const raw = accessEdges(networkResources(index.resources), databaseInputs(databaseGrants));
    const edges = raw.map((edge) => toPlanEdge(index, edge, roleNames));
    const byUrn = new Map<string, PlanNetworkEdge[]>();
    for (const edge of edges.filter((e) => e.kind === "role-assignment")) {
        byUrn.set(edge.declaredBy, [...(byUrn.get(edge.declaredBy) ?? []), edge]);
    }
    // A service's grant on its own key: the call it enables is the service's key-access edge, made with that identity.
    const keyEdges = edges.filter((edge) => edge.kind === "key-access");
    const edgesOf = (grant: (typeof grants)[number]) =>
        byUrn.get(grant.urn) ?? (grant.purpose === "encryption" ? keyEdges.filter((edge) => edge.identity === grant.identity) : []);
    const byGrant = new Map(grants.map((grant) => [grant.urn, grantNetwork(edgesOf(grant))]));
    return { network: { counts: verdictCounts(raw), edges }, byGrant };
}
