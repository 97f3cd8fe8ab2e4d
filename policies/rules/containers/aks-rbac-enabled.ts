import { classic, classicFlag, forTypes } from "../../lib/classic";
import { checkSettingsByType, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "enableRBAC",
    accept: (value) => value === true,
    absent: { passes: true, azureDefault: "enabled" },
    fix: "set it to true.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.managedCluster], [setting]),
    ...forTypes([classic.kubernetesCluster], [classicFlag("roleBasedAccessControlEnabled", true, true)]),
};

export const aksRbacEnabled: ResourceRule = {
    name: "aks-rbac-enabled",
    description: "AKS clusters keep Kubernetes RBAC on.",
    severity: "high",
    remediation: "Leave `enableRBAC` unset or set it to true.",
    anchors: {},
    builtins: [
        { id: "ac4a19c2-fa67-49b4-8ae5-0b2e78c49457", displayName: "Role-Based Access Control (RBAC) should be used on Kubernetes Services" },
    ],
    mcsb: ["PA-7"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "Without Kubernetes RBAC every authenticated caller is cluster admin; Azure enables it unless told otherwise.",
    resourceTypes: [types.managedCluster, classic.kubernetesCluster],
    check: (resource) => checkSettingsByType(resource, settings),
};
