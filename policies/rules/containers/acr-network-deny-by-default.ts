import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const acrNetworkDenyByDefault: ResourceRule = {
    name: "acr-network-deny-by-default",
    description: "Container registries do not allow unrestricted network access: a deny-by-default firewall or no public access.",
    severity: "medium",
    remediation: "Set `networkRuleSet: { defaultAction: \"Deny\", ipRules: [...] }` (Premium) or `publicNetworkAccess: \"Disabled\"` with a private endpoint.",
    anchors: { psrule: ["Azure.ACR.Firewall"] },
    builtins: [{ id: "d0793b48-0edc-4296-a390-4c75d1bdfd71", displayName: "Container registries should not allow unrestricted network access" }],
    mcsb: ["NS-2"],
    service: "containers",
    defaultLevel: "advisory",
    justification: "An open registry lets anyone with a leaked token pull images; firewall rules need a Premium registry, so it warns by default.",
    resourceTypes: [types.containerRegistry],
    check(resource) {
        const action = read(resource.props, "networkRuleSet.defaultAction");
        const access = read(resource.props, "publicNetworkAccess");
        if (isUnknown(action) || isUnknown(access)) {
            return [];
        }
        const open = (action === undefined || action === null || action === "Allow") && (access === undefined || access === null || access === "Enabled");
        return open
            ? [violation(resource, "networkRuleSet.defaultAction", `is ${action ? JSON.stringify(action) : "not set (Azure's default is Allow)"} while public network access is on; set it to "Deny" or disable public network access.`)]
            : [];
    },
};
