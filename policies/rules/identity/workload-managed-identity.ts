import { classic, classicScaleSets, classicSites, classicVirtualMachines } from "../../lib/classic";
import { identityFlags, read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const workloadManagedIdentity: ResourceRule = {
    name: "workload-managed-identity",
    description: "Every workload (VM, scale set, web/function app and slot, container group, Logic App, AKS cluster, container app and job) runs with a managed identity.",
    severity: "high",
    remediation:
        "Set `identity` to a system-assigned identity or attach a user-assigned one (`identity: { systemAssigned: true }` or " +
        "`{ userAssigned: [identity] }` on the Keyless component), then grant it the roles it needs on its targets.",
    anchors: {
        checkov: ["CKV_AZURE_16"],
        psrule: ["Azure.AppService.ManagedIdentity", "Azure.AKS.ManagedIdentity"],
    },
    builtins: [
        { id: "2b9ad585-36bc-4615-b300-fd4435808332", displayName: "App Service apps should use managed identity" },
        { id: "0da106f2-4ca3-48e8-bc85-c638fe6aea8f", displayName: "Function apps should use managed identity" },
    ],
    mcsb: ["IM-3"],
    service: "identity",
    defaultLevel: "mandatory",
    justification: "A workload without a managed identity can only reach other services with a stored credential, which the pack exists to rule out.",
    resourceTypes: [
        types.virtualMachine,
        types.virtualMachineScaleSet,
        types.webApp,
        types.webAppSlot,
        types.containerGroup,
        types.logicWorkflow,
        types.managedCluster,
        types.containerApp,
        types.containerAppJob,
        ...classicSites,
        ...classicVirtualMachines,
        ...classicScaleSets,
        classic.kubernetesCluster,
        classic.containerGroup,
        classic.containerApp,
        classic.logicWorkflow,
    ],
    check(resource) {
        const identity = read(resource.props, "identity");
        const flags = identityFlags(identity);
        if (!flags) {
            return [];
        }
        if (flags.system || flags.user) {
            return [];
        }
        const type = read(identity, "type");
        return identity === undefined || identity === null
            ? [violation(resource, "identity", "is not set; the workload has no managed identity and would need a stored credential.")]
            : [violation(resource, "identity.type", `is ${JSON.stringify(type ?? "None")}; use "SystemAssigned" and/or "UserAssigned".`)];
    },
};
