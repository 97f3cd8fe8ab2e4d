import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { builtInRoles, roleDefinitionId } from "../access/roles";
import { isGuid, roleAssignmentName } from "../shared/naming";
import { Problems } from "../shared/problems";

/**
 * Human access to an AKS cluster with local accounts off and Azure RBAC on: only principals holding an AKS RBAC
 * role (or listed as admin groups) can use kubectl, so operators get one through their Entra group, at the
 * cluster or in one namespace, plus the Cluster User Role that lets `az aks get-credentials` fetch the Entra
 * kubeconfig (https://learn.microsoft.com/azure/aks/manage-azure-rbac).
 */
export const aksOperatorRoles = [
    "Azure Kubernetes Service RBAC Reader",
    "Azure Kubernetes Service RBAC Writer",
    "Azure Kubernetes Service RBAC Admin",
    "Azure Kubernetes Service RBAC Cluster Admin",
] as const;
export type AksOperatorRole = (typeof aksOperatorRoles)[number];

export const aksClusterUserRole = "Azure Kubernetes Service Cluster User Role" as const;

/** Every role an operator group receives: the ones the bootstrap lets the deploy identity assign to groups. */
export const aksOperatorRoleIds = (): string[] => [...aksOperatorRoles, aksClusterUserRole].map((role) => builtInRoles[role as keyof typeof builtInRoles].id);

export interface OperatorGroup {
    /** The Entra group's object ID. */
    objectId: string;
    /** Label in resource names and reviews, such as the group's display name. */
    name: string;
    role: AksOperatorRole;
    /** Limits the role to one Kubernetes namespace. Defaults to the whole cluster. */
    namespace?: string;
}

export function operatorGroupProblems(groups: readonly OperatorGroup[]): string[] {
    const problems: string[] = [];
    groups.forEach((group, index) => {
        if (!isGuid(group.objectId)) {
            problems.push(`operators[${index}].objectId must be the Entra group's object ID (a GUID); got "${group.objectId}".`);
        }
        if (!aksOperatorRoles.includes(group.role)) {
            problems.push(`operators[${index}].role must be one of ${aksOperatorRoles.join(", ")}; got "${String(group.role)}".`);
        }
        if (group.role === "Azure Kubernetes Service RBAC Cluster Admin" && group.namespace !== undefined) {
            problems.push(`operators[${index}]: Cluster Admin is cluster-wide and cannot be limited to namespace "${group.namespace}"; use RBAC Admin for a namespace.`);
        }
    });
    return problems;
}

/** The role assignments (principalType Group) that give each operator group its role and the Cluster User Role. */
export function grantOperators(name: string, cluster: { id: pulumi.Output<string> }, groups: readonly OperatorGroup[], subscriptionId: pulumi.Input<string>, parent: pulumi.Resource): void {
    const problems = new Problems(`AKS operators of "${name}"`);
    problems.addAll(operatorGroupProblems(groups));
    problems.throwIfAny();
    const assign = (key: string, group: OperatorGroup, role: AksOperatorRole | typeof aksClusterUserRole, scope: pulumi.Output<string>) => {
        const definition = pulumi.output(subscriptionId).apply((subscription) => roleDefinitionId(subscription, builtInRoles[role].id));
        new authorization.RoleAssignment(
            `${name}-${key}`,
            {
                scope,
                principalId: group.objectId,
                principalType: "Group",
                roleDefinitionId: definition,
                roleAssignmentName: pulumi.all([scope, definition]).apply(([at, id]) => roleAssignmentName(at, group.objectId, id)),
                description: `Keyless: operators ${group.name} use the cluster with ${role}${group.namespace ? ` in namespace ${group.namespace}` : ""}.`,
            },
            { parent },
        );
    };
    const users = new Map<string, OperatorGroup>();
    for (const group of groups) {
        const scope = group.namespace ? pulumi.interpolate`${cluster.id}/namespaces/${group.namespace}` : cluster.id;
        const short = group.role.replace("Azure Kubernetes Service RBAC ", "").toLowerCase().replace(/\s+/g, "-");
        assign(`${group.name}-${short}${group.namespace ? `-${group.namespace}` : ""}`, group, group.role, scope);
        users.set(group.objectId, users.get(group.objectId) ?? group);
    }
    for (const group of users.values()) {
        assign(`${group.name}-cluster-user`, group, aksClusterUserRole, cluster.id);
    }
}
