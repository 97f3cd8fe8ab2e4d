import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AksCluster, linkServiceAccount } from "../../infra/containers";
import { aksOperatorRoles, grantOperators } from "../../infra/containers/operators";
import { dnsLabel, guid, vmSize } from "../config/fields";
import { commonFields, defineKind } from "./kind";

/** An AKS cluster whose pods sign in through workload identity: one user-assigned identity per service account. */
export const aksCluster = defineKind({
    kind: "aksCluster",
    summary: "AKS with Entra RBAC and workload identity; pods bind user-assigned identities through service accounts",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("aksCluster"),
        registry: z.string(),
        nodeCount: z.number().int().min(1).max(100).default(2),
        nodeSize: vmSize,
        adminGroupObjectIds: z.array(guid).default([]),
        /** The node subnet (no delegation); the control plane gets Network Contributor on it. */
        subnet: z.string().optional(),
        /**
         * Entra groups of people who run kubectl: each gets its AKS RBAC role at the cluster or in one namespace, and
         * the Cluster User Role for `az aks get-credentials`. The bootstrap lets the deploy identity assign exactly these
         * roles to groups. Without any, a cluster with local accounts off has no human user.
         */
        operators: z.array(z.strictObject({ group: guid, name: dnsLabel, role: z.enum(aksOperatorRoles), namespace: dnsLabel.optional() })).default([]),
        serviceAccounts: z.array(z.strictObject({ namespace: dnsLabel, name: dnsLabel, identity: z.string() })).default([]),
    }),
    identity: {
        noSystemAssigned: "pods sign in with workload identities, not the cluster's own; list them in identity.userAssigned and bind each to a service account",
        userAssigned: { min: 0, max: 100 },
        optional: true,
    },
    check(workload, context) {
        context.checkIn(`${context.path}.registry`, "registry", workload.registry, "registries");
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        const operatorIps = context.sections("network")?.allowedIps;
        if (!context.privateNetwork && operatorIps !== undefined && operatorIps.length === 0) {
            context.problems.add(
                `${context.path}: the API server admits only network.allowedIps outside a privateNetwork stack (where it is private), and none are listed; ` +
                    `expected the operators' public egress ranges in network.allowedIps, or hardening.privateNetwork: true`,
            );
        }
        if (context.privateNetwork || context.grants.length > 0) {
            context.requireSubnet(
                `${context.path}.subnet`,
                workload.subnet,
                null,
                "without it the nodes run in an AKS-managed network that no firewall or private endpoint of this stack admits",
            );
        }
        workload.serviceAccounts.forEach((account, index) => {
            if (!workload.identity.userAssigned.includes(account.identity)) {
                context.problems.add(
                    `${context.path}.serviceAccounts[${index}].identity: identity "${account.identity}" is not one of cluster "${workload.name}"'s workload identities; ` +
                        `expected one of ${workload.identity.userAssigned.join(", ") || "(none: list it in identity.userAssigned)"}`,
                );
            }
        });
    },
    networkUses: (workload) => [{ section: "registries" as const, name: workload.registry, service: "registry" }],
    deploy(workload, context, system) {
        const cluster = new AksCluster(workload.name, {
            ...context.placement,
            registries: [context.registries[workload.registry].asTarget()],
            adminGroupObjectIds: workload.adminGroupObjectIds,
            systemPool: { vmSize: workload.nodeSize, count: workload.nodeCount, vnetSubnetId: workload.subnet ? context.subnetId(workload.subnet) : undefined },
            // A private API server in a privateNetwork stack; otherwise only the operators' ranges reach it (docs/deploy.md).
            apiServer: context.network.privateNetwork ? { private: true } : { authorizedIpRanges: [...context.network.operatorIps] },
            lock: context.lock,
            diagnostics: context.monitoring.diagnostics(),
        });
        grantOperators(
            workload.name,
            cluster,
            workload.operators.map((operator) => ({ objectId: operator.group, name: operator.name, role: operator.role, namespace: operator.namespace })),
            context.subscriptionId,
            cluster,
        );
        const manifests = workload.serviceAccounts.map(
            (account) =>
                linkServiceAccount(cluster, { namespace: account.namespace, serviceAccount: account.name, identity: context.identities[account.identity] })
                    .serviceAccountYaml,
        );
        return { consumed: system.resolved, serviceAccountManifest: pulumi.all(manifests).apply((documents) => documents.join("---\n")) };
    },
});
