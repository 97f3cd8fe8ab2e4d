import { z } from "zod";
import { LinuxVm } from "../../infra/compute/LinuxVm";
import { adminUsernameProblem, defaultAdminUsername } from "../../infra/compute/vmShared";
import { secretReference, sshPublicKey, vmSize } from "../config/fields";
import { commonFields, componentBase, defineKind } from "./kind";

/** A Linux VM that signs in with an SSH key only; with `app`, the stock tracker reads its secret through the identity. */
export const linuxVm = defineKind({
    kind: "linuxVm",
    summary: "Linux VM, SSH key only; optional app reading one Key Vault secret",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("linuxVm"),
        subnet: z.string(),
        sshPublicKey,
        size: vmSize,
        adminUsername: z.string().default(defaultAdminUsername),
        publicIp: z.boolean().default(false),
        app: z.strictObject({ secret: secretReference }).optional(),
    }),
    identity: { userAssigned: { min: 0, max: 1, why: "the app reads Key Vault with the VM's one user-assigned identity" } },
    check(workload, context) {
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        if (workload.app) {
            context.checkSecretReference(`${context.path}.app.secret`, workload.app.secret);
            if (workload.identity.userAssigned.length === 0) {
                context.problems.add(`${context.path}.identity.userAssigned: the app reads Key Vault with a user-assigned identity's client ID; expected one`);
            }
        }
        const problem = adminUsernameProblem("linux", `${context.path}.adminUsername:`, workload.adminUsername);
        if (problem) {
            context.problems.add(problem);
        }
    },
    deploy(workload, context, system) {
        const app = workload.app
            ? {
                  vaultName: context.vaults[workload.app.secret.split("/")[0]].vaultName,
                  secretName: workload.app.secret.split("/")[1],
                  clientId: context.identities[workload.identity.userAssigned[0]].clientId,
              }
            : undefined;
        new LinuxVm(workload.name, {
            ...componentBase(workload, context, system),
            subnetId: context.subnetId(workload.subnet),
            sshPublicKey: workload.sshPublicKey,
            adminUsername: workload.adminUsername,
            size: workload.size,
            publicIp: workload.publicIp,
            app,
        });
        return { consumed: system.resolved };
    },
});
