import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const aksNodeSshDisabled: ResourceRule = {
    name: "aks-node-ssh-disabled",
    description: "AKS node pools refuse SSH to the nodes (securityProfile.sshAccess: Disabled or EntraId).",
    severity: "medium",
    remediation: "Set `securityProfile: { sshAccess: \"Disabled\" }` on each agent pool; debug nodes with `kubectl debug node/...` instead.",
    anchors: {},
    builtins: [{ id: "28257686-e9db-403e-b9e2-a5eecbe03da9", displayName: "Azure Kubernetes Clusters should disable SSH" }],
    mcsb: ["IM-6"],
    service: "containers",
    defaultLevel: "advisory",
    justification: "Node SSH uses a stored key pair outside Entra ID; turning it off on an existing pool reimages the nodes, so it only warns.",
    resourceTypes: [types.managedCluster],
    check(resource) {
        const pools = read(resource.props, "agentPoolProfiles");
        if (!Array.isArray(pools)) {
            return [];
        }
        return pools.flatMap((_pool, index) => {
            const path = `agentPoolProfiles[${index}].securityProfile.sshAccess`;
            const value = read(resource.props, path);
            if (isUnknown(value) || (typeof value === "string" && value.toLowerCase() !== "localuser")) {
                return [];
            }
            const shown = value === undefined || value === null ? "is not set, and Azure's default is LocalUser (SSH with a key)" : `is ${JSON.stringify(value)}`;
            return [violation(resource, path, `${shown}; set it to "Disabled".`)];
        });
    },
};
