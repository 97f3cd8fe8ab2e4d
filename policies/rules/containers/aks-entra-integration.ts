import { classic, forTypes } from "../../lib/classic";
import { checkSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "aadProfile",
    accept: (value) => typeof value === "object",
    absent: { passes: false, azureDefault: "no Entra integration" },
    fix: "set it to { managed: true, enableAzureRBAC: true }.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.managedCluster], [setting]),
    ...forTypes([classic.kubernetesCluster], [{ ...setting, path: "azureActiveDirectoryRoleBasedAccessControl", fix: "declare it with azureRbacEnabled: true." }]),
};

export const aksEntraIntegration: ResourceRule = {
    name: "aks-entra-integration",
    description: "AKS clusters authenticate users with Microsoft Entra ID (aadProfile).",
    severity: "high",
    remediation: "Set `aadProfile: { managed: true, enableAzureRBAC: true }`.",
    anchors: {},
    builtins: [
        { id: "450d2877-ebea-41e8-b00c-e286317d21bf", displayName: "Azure Kubernetes Service Clusters should enable Microsoft Entra ID integration" },
    ],
    mcsb: ["IM-1"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "Without Entra integration cluster access rests on certificates and kubeconfig secrets instead of identities.",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check: (resource) => checkSettingsByType(resource, settings),
};
