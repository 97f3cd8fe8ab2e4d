import { violation } from "../../lib/props";
import { privilegedRoles, roleGrantedToWorkload } from "../../lib/roles";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const noPrivilegedRoleForServicePrincipals: ResourceRule = {
    name: "no-privileged-role-for-service-principals",
    description: "No service principal or managed identity is granted Owner, Contributor, User Access Administrator or Role Based Access Control Administrator.",
    severity: "critical",
    remediation:
        "Grant the narrowest data-plane or service role on the specific resource (Key Vault Secrets User on the vault, Storage Blob Data Reader on the container, AcrPull on the registry). " +
        "Deploy identities that must manage roles get a scoped, condition-limited grant in the bootstrap stack, exempted with the reason.",
    anchors: {},
    builtins: [],
    mcsb: ["PA-7"],
    service: "access",
    defaultLevel: "mandatory",
    justification:
        "These roles can change anything or grant themselves more; a workload identity that holds one turns any compromise of the workload into control of the scope.",
    resourceTypes: [types.roleAssignment],
    check(resource) {
        const granted = roleGrantedToWorkload(resource.props, privilegedRoles);
        if (!granted) {
            return [];
        }
        const who = granted.kind === "unset" ? "a principal of unset type (which may be a service principal)" : "a service principal";
        return [violation(resource, "roleDefinitionId", `grants ${granted.role} to ${who}; grant a narrow role on the target resource instead.`)];
    },
};
