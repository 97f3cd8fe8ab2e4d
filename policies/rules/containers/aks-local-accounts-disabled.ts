import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const aksLocalAccountsDisabled: ResourceRule = {
    name: "aks-local-accounts-disabled",
    description: "AKS clusters have local accounts disabled, so cluster access goes through Entra ID.",
    severity: "high",
    remediation: "Set `disableLocalAccounts: true` with `aadProfile: { managed: true, enableAzureRBAC: true }` and grant Azure Kubernetes Service RBAC roles.",
    anchors: {
        checkov: ["CKV_AZURE_141"],
        psrule: ["Azure.AKS.LocalAccounts"],
    },
    builtins: [
        { id: "993c2fcd-2b29-49d2-9eb0-df2c3a730c32", displayName: "Azure Kubernetes Service Clusters should have local authentication methods disabled" },
    ],
    mcsb: ["IM-1"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "The local cluster-admin kubeconfig is a static credential that bypasses Entra ID and cannot be audited per user.",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check: (resource) =>
        resource.type === classic.kubernetesCluster
            ? checkSetting(resource, classicFlag("localAccountDisabled", true, false))
            : requireBoolean(resource, "disableLocalAccounts", true, "set it to true (Azure's default keeps local accounts)."),
};
