import { classic, classicScaleSets, classicVirtualMachines } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

const fix = 'set it to true (Azure\'s default is off; the subscription needs the EncryptionAtHost feature).';

function requireTrue(resource: RuleResource, path: string): Violation[] {
    const value = read(resource.props, path);
    if (isUnknown(value) || value === true) {
        return [];
    }
    return [violation(resource, path, `is ${value === undefined || value === null ? "not set" : JSON.stringify(value)}; ${fix}`)];
}

export const computeEncryptionAtHost: ResourceRule = {
    name: "compute-encryption-at-host",
    description: "VMs, scale sets and AKS node pools encrypt temp disks and caches at the host.",
    severity: "low",
    remediation:
        "Set `securityProfile.encryptionAtHost: true` (VMs), `virtualMachineProfile.securityProfile.encryptionAtHost: true` (scale sets) or " +
        "`enableEncryptionAtHost: true` on each AKS agent pool, after registering Microsoft.Compute/EncryptionAtHost.",
    anchors: { psrule: ["Azure.VM.UseEncryptionAtHost"] },
    builtins: [
        { id: "fc4d8e41-e223-45ea-9bf5-eada37891d87", displayName: "Virtual machines and virtual machine scale sets should have encryption at host enabled" },
        { id: "41425d9f-d1a5-499a-9932-f8ed8453932c", displayName: "Temp disks and cache for agent node pools in Azure Kubernetes Service clusters should be encrypted at host" },
    ],
    mcsb: ["DP-4"],
    service: "compute",
    defaultLevel: "advisory",
    justification: "Temp disks and caches are not covered by disk encryption; it needs a subscription feature and a supported size, so it only warns.",
    resourceTypes: [types.virtualMachine, types.virtualMachineScaleSet, types.managedCluster, ...classicVirtualMachines, ...classicScaleSets, classic.kubernetesCluster],
    check(resource) {
        if (classicVirtualMachines.includes(resource.type) || classicScaleSets.includes(resource.type)) {
            return requireTrue(resource, "encryptionAtHostEnabled");
        }
        if (resource.type === classic.kubernetesCluster) {
            return requireTrue(resource, "defaultNodePool.hostEncryptionEnabled");
        }
        if (resource.type === types.virtualMachine) {
            return requireTrue(resource, "securityProfile.encryptionAtHost");
        }
        if (resource.type === types.virtualMachineScaleSet) {
            return requireTrue(resource, "virtualMachineProfile.securityProfile.encryptionAtHost");
        }
        const pools = read(resource.props, "agentPoolProfiles");
        return Array.isArray(pools) ? pools.flatMap((_pool, index) => requireTrue(resource, `agentPoolProfiles[${index}].enableEncryptionAtHost`)) : [];
    },
};
