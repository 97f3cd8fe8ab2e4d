import { classic } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const aksApiServerAuthorizedRanges: ResourceRule = {
    name: "aks-api-server-authorized-ranges",
    description: "A public AKS API server accepts only authorized IP ranges.",
    severity: "medium",
    remediation: "Set `apiServerAccessProfile.authorizedIPRanges` to the CI and admin ranges, or make the cluster private.",
    anchors: { psrule: ["Azure.AKS.AuthorizedIPs"] },
    builtins: [{ id: "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea", displayName: "Authorized IP ranges should be defined on Kubernetes Services" }],
    mcsb: ["NS-2"],
    service: "containers",
    defaultLevel: "advisory",
    justification: "An open API server lets anyone on the Internet try a stolen kubeconfig or token; ranges depend on the team's network, so it warns.",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check(resource) {
        const isClassic = resource.type === classic.kubernetesCluster;
        const isPrivate = read(resource.props, isClassic ? "privateClusterEnabled" : "apiServerAccessProfile.enablePrivateCluster");
        const rangesPath = isClassic ? "apiServerAccessProfile.authorizedIpRanges" : "apiServerAccessProfile.authorizedIPRanges";
        const ranges = read(resource.props, rangesPath);
        if (isUnknown(isPrivate) || isPrivate === true || isUnknown(ranges) || (Array.isArray(ranges) && ranges.length > 0)) {
            return [];
        }
        return [violation(resource, rangesPath, "is not set on a public API server, and Azure's default accepts every address; list the allowed ranges or make the cluster private.")];
    },
};
