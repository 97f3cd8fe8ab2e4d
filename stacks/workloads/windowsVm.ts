import { z } from "zod";
import { WindowsVm } from "../../infra/compute/WindowsVm";
import { adminUsernameProblem, defaultAdminUsername } from "../../infra/compute/vmShared";
import { vmSize } from "../config/fields";
import { commonFields, componentBase, defineKind } from "./kind";

/** A Windows VM whose generated admin password lives only in a vault of this stack. */
export const windowsVm = defineKind({
    kind: "windowsVm",
    summary: "Windows VM, generated admin password kept only in a vault",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("windowsVm"),
        subnet: z.string(),
        size: vmSize,
        adminUsername: z.string().default(defaultAdminUsername),
        /** The vault that keeps the generated admin password. */
        passwordVault: z.string(),
    }),
    identity: { userAssigned: { min: 0, max: 10 } },
    check(workload, context) {
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        context.checkIn(`${context.path}.passwordVault`, "vault", workload.passwordVault, "vaults");
        const problem = adminUsernameProblem("windows", `${context.path}.adminUsername:`, workload.adminUsername);
        if (problem) {
            context.problems.add(problem);
        }
    },
    deploy(workload, context, system) {
        new WindowsVm(workload.name, {
            ...componentBase(workload, context, system),
            subnetId: context.subnetId(workload.subnet),
            size: workload.size,
            adminUsername: workload.adminUsername,
            passwordVault: { vaultName: context.vaults[workload.passwordVault].vaultName, resourceGroupName: context.placement.resourceGroupName },
        });
        return { consumed: system.resolved };
    },
});
