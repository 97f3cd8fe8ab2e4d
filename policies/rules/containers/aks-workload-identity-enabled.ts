import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const aksWorkloadIdentityEnabled: ResourceRule = {
    name: "aks-workload-identity-enabled",
    description: "AKS clusters run the OIDC issuer and Microsoft Entra Workload ID, so pods get tokens from federated identities instead of secrets.",
    severity: "medium",
    remediation:
        "Set `oidcIssuerProfile: { enabled: true }` and `securityProfile: { workloadIdentity: { enabled: true } }`, then federate a user-assigned identity " +
        "with subject `system:serviceaccount:<namespace>:<name>` and the cluster's issuer URL.",
    anchors: {},
    builtins: [
        { id: "2cc2e023-0dac-4046-875b-178f683929d5", displayName: "Azure Kubernetes Service Clusters should enable workload identity" },
    ],
    mcsb: ["IM-3"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "Without workload identity, pods that call Azure need a client secret or the node's identity; federation gives each workload its own identity with no secret.",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check: (resource) =>
        resource.type === classic.kubernetesCluster
            ? [...checkSetting(resource, classicFlag("oidcIssuerEnabled", true, false)), ...checkSetting(resource, classicFlag("workloadIdentityEnabled", true, false))]
            : [
                  ...requireBoolean(resource, "oidcIssuerProfile.enabled", true, "set it to true."),
                  ...requireBoolean(resource, "securityProfile.workloadIdentity.enabled", true, "set it to true."),
              ],
};
