import { needsInfrastructure } from "../../lib/levels";
import { classic, classicFlag, forTypes } from "../../lib/classic";
import { checkSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "apiServerAccessProfile.enablePrivateCluster",
    accept: (value) => value === true,
    absent: { passes: false, azureDefault: "a public API server" },
    fix: "set it to true.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.managedCluster], [setting]),
    ...forTypes([classic.kubernetesCluster], [classicFlag("privateClusterEnabled", true, false)]),
};

export const aksPrivateCluster: ResourceRule = {
    name: "aks-private-cluster",
    description: "AKS API servers have no public endpoint (private cluster).",
    severity: "medium",
    remediation: "Set `apiServerAccessProfile: { enablePrivateCluster: true }` and reach the API server from the VNet.",
    anchors: {},
    builtins: [
        { id: "040732e8-d947-40b8-95d6-854c95024bf8", displayName: "Azure Kubernetes Service Private Clusters should be enabled" },
    ],
    mcsb: ["NS-2"],
    service: "containers",
    defaultLevel: needsInfrastructure,
    justification: "A public API server is the cluster's public network access; it needs in-VNet tooling first, so it warns (advisory) rather than blocks unless the config raises it (advisory in dev, mandatory in prod).",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check: (resource) => checkSettingsByType(resource, settings),
};
