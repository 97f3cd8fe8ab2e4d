import { violation } from "../../lib/props";
import { keyVaultAdminRoles, roleGrantedToWorkload } from "../../lib/roles";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const keyVaultAdminToWorkload: ResourceRule = {
    name: "keyvault-admin-to-workload",
    description: "Service principals get Key Vault Secrets User, not Key Vault Administrator or Secrets Officer.",
    severity: "medium",
    remediation:
        "Grant workloads Key Vault Secrets User on the vault. Only the deploy identity, which creates and deletes secrets through the data plane, needs Secrets Officer: exempt that assignment with the reason.",
    anchors: {},
    builtins: [],
    mcsb: ["PA-7"],
    service: "access",
    defaultLevel: "advisory",
    justification:
        "A workload that can write or delete secrets can tamper with other apps' credentials, but the deploy identity legitimately needs Secrets Officer; a warning keeps it visible without blocking that grant.",
    resourceTypes: [types.roleAssignment],
    check(resource) {
        const granted = roleGrantedToWorkload(resource.props, keyVaultAdminRoles);
        if (!granted) {
            return [];
        }
        return [violation(resource, "roleDefinitionId", `grants ${granted.role} to a service principal; workloads need Key Vault Secrets User.`)];
    },
};
