import { z } from "zod";
import { ContainerGroup } from "../../infra/containers/ContainerGroup";
import { registryImageProblems } from "../../infra/containers/imageReference";
import { configKey } from "../config/fields";
import { isProduction } from "../config/sections";
import { connectionSettings, withConnections } from "./connections";
import { commonFields, defineKind } from "./kind";

const envRemedy = "Expected secureEnv with a secure: config key, or better, read it from Key Vault with the identity.";

/** A container group that pulls its image and signs in with one user-assigned identity. */
export const containerGroup = defineKind({
    kind: "containerGroup",
    summary: "Container Instances group; pulls from the registry and signs in with one user-assigned identity",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("containerGroup"),
        /** The repository in `registry`: `ingest:1.4.2` or `ingest@sha256:...`; the login server is put in front at deploy time. */
        image: z.string().min(1),
        registry: z.string(),
        cpu: z.number().positive().max(4).default(1),
        memoryGb: z.number().positive().max(16).default(1.5),
        env: z.record(z.string(), z.string()).default({}),
        /** Values that must be secrets, read from `secure:` config keys. */
        secureEnv: z.record(z.string(), configKey).default({}),
        subnet: z.string().optional(),
    }),
    identity: {
        // The image is pulled while the group is created, before a system-assigned identity could hold AcrPull
        // (https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi).
        noSystemAssigned: "a container group pulls its image with a user-assigned identity that holds AcrPull before the group exists; grant to that identity instead",
        userAssigned: { min: 1, max: 1, why: "the group pulls its image and signs in with one user-assigned identity" },
    },
    check(workload, context) {
        if (context.checkIn(`${context.path}.registry`, "registry", workload.registry, "registries")) {
            context.checkDataAccess(`${context.path}.registry`, { kind: "registry", service: workload.registry }, ["AcrPull", "AcrPush"], "image pulls");
        }
        context.problems.addAll(registryImageProblems(`${context.path}.image`, workload.image, { registry: workload.registry, pinned: isProduction(context.sections("environment")) }));
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        if (context.privateNetwork) {
            context.requireSubnet(`${context.path}.subnet`, workload.subnet, "Microsoft.ContainerInstance/containerGroups", "hardening.privateNetwork leaves only private endpoints to reach its targets");
        }
        for (const [key, value] of Object.entries(workload.env)) {
            context.checkPlainValue(`${context.path}.env.${key}`, key, value, envRemedy);
        }
        for (const [key, source] of Object.entries(workload.secureEnv)) {
            context.requireSecretKey(`${context.path}.secureEnv.${key}`, source);
        }
    },
    networkUses: (workload) => [{ section: "registries" as const, name: workload.registry, service: "registry" }],
    deploy(workload, context, system) {
        new ContainerGroup(workload.name, {
            ...context.placement,
            identity: context.identities[workload.identity.userAssigned[0]],
            image: workload.image,
            requirePinnedImage: context.production,
            registry: context.registries[workload.registry],
            cpu: workload.cpu,
            memoryGb: workload.memoryGb,
            subnetIds: workload.subnet ? [context.subnetId(workload.subnet)] : undefined,
            env: withConnections(`keyless.workloads[${workload.name}].env`, workload.env, connectionSettings(workload.name, context), (value) => value),
            secureEnv: Object.fromEntries(Object.entries(workload.secureEnv).map(([key, source]) => [key, context.secret(source)])),
            lock: context.lock,
        });
        return { consumed: system.resolved };
    },
});
