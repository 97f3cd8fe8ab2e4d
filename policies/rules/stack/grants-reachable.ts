import { accessEdges, AccessEdge } from "@keyless/reachability";
import { shortType } from "../../lib/props";
import { StackRule, Violation } from "../../lib/types";

/**
 * A grant is only as good as the network path to its target: a role assignment, a Key Vault reference or an
 * identity-based connection setting whose caller the target's network refuses. The check (`@keyless/reachability`)
 * reads only the declared resources; at preview it follows unknown IDs (scopes, subnets, private link targets)
 * through the engine's property dependencies, and skips what it still cannot tell.
 */

function message(edge: AccessEdge & { verdict: { status: "unreachable" } }): string {
    const target = edge.target ? `${shortType(edge.target.type)} "${edge.target.name}"${edge.target.service ? ` (${edge.target.service})` : ""}` : "its target";
    const path = edge.kind === "role-assignment" ? "(network)" : `${edge.detail.replace(/^setting /, "siteConfig.appSettings ")} (network)`;
    return `${shortType(edge.declaredBy.type)} "${edge.declaredBy.name}" ${path}: ${edge.source?.name ?? "the caller"} as ${edge.identity} cannot reach ${target}: ${edge.verdict.reason}. Fix: ${edge.verdict.fix}.`;
}

export const grantsReachable: StackRule = {
    name: "grants-reachable",
    description:
        "Every role assignment, Key Vault reference and identity-based connection setting has a network path: the caller's subnet, service endpoint, private endpoint with linked DNS, trusted-service status or IP rule lets it reach the target.",
    severity: "high",
    remediation:
        "Give the caller a path the target admits: VNet integration or a stack subnet with the target's service endpoint and a virtual network rule, a private endpoint in the caller's VNet with its privatelink zone linked, " +
        "or, for multi-tenant callers, a resource instance rule or trusted-service bypass where the target type trusts them. Each finding names the fix.",
    anchors: {},
    builtins: [],
    mcsb: ["NS-2"],
    service: "stack",
    defaultLevel: "mandatory",
    justification:
        "An unreachable grant fails only at run time, with a 403 from the data plane, after the deployment succeeded; an edge the declared resources cannot decide is skipped, not failed.",
    checkStack(resources) {
        const found: Violation[] = [];
        for (const edge of accessEdges(resources)) {
            if (edge.verdict.status !== "unreachable") {
                continue;
            }
            found.push({ message: message(edge as AccessEdge & { verdict: { status: "unreachable" } }), resource: { name: edge.declaredBy.name, ...(edge.declaredBy.urn ? { urn: edge.declaredBy.urn } : {}) } });
        }
        return found;
    },
};
