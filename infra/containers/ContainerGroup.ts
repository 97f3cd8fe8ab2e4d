import * as pulumi from "@pulumi/pulumi";
import * as containerinstance from "@pulumi/azure-native/containerinstance";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { identityProperties } from "../identity/identityShape";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName, sanitizeName } from "../shared/naming";
import { requireSecretInput } from "../shared/secrets";
import { checkedPlainValue } from "../shared/plainValues";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";
import { isPinned, parseImageReference, pinnedRemedy, qualifiedImage } from "./imageReference";

export type RestartPolicy = "Always" | "OnFailure" | "Never";

/** A registry that images are pulled from with the group's identity; `ContainerRegistry` is the usual one. */
export interface PullRegistry {
    readonly loginServer: pulumi.Input<string>;
    /** Not accepted: the identity pulls. Declared so that a password is a type error, and refused at run time. */
    readonly password?: never;
    readonly username?: never;
}

export interface ContainerGroupArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /**
     * The user-assigned identity the group runs as. It pulls the image (it needs AcrPull on `registry`: grant it on
     * the ManagedIdentity) and its client ID is set as `AZURE_CLIENT_ID`, so the Azure SDK's DefaultAzureCredential
     * in the container uses it, for example to read Key Vault. Required.
     */
    identity: ManagedIdentity;
    /**
     * Image reference. With `registry`, the repository in that registry (`orders:1.4.2` or `orders@sha256:...`):
     * the login server is put in front (`crapp.azurecr.io/orders:1.4.2`), and a reference naming another host is
     * refused. Without `registry`, a public image with its host, e.g. `mcr.microsoft.com/dotnet/samples:aspnetapp`.
     */
    image: string;
    /** Refuse an image tagged `latest` or with no tag: a production group runs a version tag or a digest. Defaults to false. */
    requirePinnedImage?: boolean;
    /** The registry the image comes from, pulled with `identity`. Omit for public images. Defaults to none. */
    registry?: PullRegistry;
    /** Name of the container inside the group. Defaults to the component name. */
    containerName?: string;
    /** Overrides the image's entrypoint. Defaults to the image's. */
    command?: string[];
    /** vCPUs requested. Defaults to 1. */
    cpu?: number;
    /** Memory requested, in GB. Defaults to 1.5. */
    memoryGb?: number;
    /** TCP ports the container listens on. Defaults to none. */
    ports?: number[];
    /** Give the group a public IP exposing `ports`. Needs `ports`; not with `subnetIds`. Defaults to false (no public IP). */
    publicIp?: boolean;
    /** Subnets to deploy into; `ports` are then exposed on a private IP in the virtual network. Defaults to none. */
    subnetIds?: pulumi.Input<string>[];
    /** Defaults to `Always`, as ACI does: a service comes back after it exits. */
    restartPolicy?: RestartPolicy;
    /**
     * Plain environment variables, visible to anyone who can read the container group. A value in which the policy
     * pack's secret detector finds a credential (a key, connection string, SAS, token, password) is refused, and so
     * is a secret-looking name. Defaults to none. `AZURE_CLIENT_ID` is set by the component.
     */
    env?: Record<string, pulumi.Input<string>>;
    /**
     * Secure environment variables (ACI `secureValue`), each a Pulumi secret. Only for values that must be
     * secrets, such as a third-party API key: prefer reading Key Vault with the identity at run time. Defaults to none.
     */
    secureEnv?: Record<string, pulumi.Output<string>>;
    /** Physical name. Defaults to `ci-<name>`. */
    containerGroupName?: string;
    /** A management lock on the container group. Defaults to none. */
    lock?: LockArgs;
    tags?: Tags;
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const restartPolicies: readonly RestartPolicy[] = ["Always", "OnFailure", "Never"];
const envRemedy = "Put it in secureEnv (a Pulumi secret), or better, read it from Key Vault with the group's identity.";

function defaultContainerName(name: string): string {
    const trim = (value: string) => value.replace(/^-+|-+$/g, "");
    return trim(trim(sanitizeName(name)).slice(0, 63)) || "app";
}

/** Checks every argument that can be checked before declaring anything; returns one message per problem. */
export function containerGroupProblems(args: ContainerGroupArgs): string[] {
    const problems: string[] = [];
    if (!args.identity || !pulumi.Output.isInstance(args.identity.ready) || !pulumi.Output.isInstance(args.identity.clientId)) {
        problems.push(`identity is required: pass the ManagedIdentity the group runs as and pulls images with.`);
    }
    const raw = args as unknown as Record<string, unknown>;
    for (const key of ["imageRegistryCredentials", "registryPassword", "registryUsername"]) {
        if (raw[key] !== undefined) {
            problems.push(`${key} is not accepted: images are pulled with the group's identity (AcrPull), never a registry password.`);
        }
    }
    if (args.registry) {
        const registry = args.registry as unknown as Record<string, unknown>;
        for (const key of ["password", "passwordReference", "username"]) {
            if (registry[key] !== undefined) {
                problems.push(`registry.${key} is not accepted: images are pulled with the group's identity (AcrPull), never a registry password.`);
            }
        }
        if (registry.loginServer === undefined) {
            problems.push(`registry must give loginServer (pass the ContainerRegistry component).`);
        }
    }
    const reference = typeof args.image === "string" && /^[^\s]+$/.test(args.image) ? parseImageReference(args.image) : undefined;
    if (!reference) {
        problems.push(`image must be an image reference such as crapp.azurecr.io/orders:1.4.2; got ${JSON.stringify(args.image)}.`);
    } else if (!args.registry && /\.azurecr\.io$/i.test(reference.host ?? "")) {
        problems.push(`image "${args.image}" is in an Azure Container Registry: pass registry so that the identity pulls it.`);
    } else if (args.registry && reference.host && typeof args.registry.loginServer === "string" && reference.host.toLowerCase() !== args.registry.loginServer.toLowerCase()) {
        problems.push(`image "${args.image}" names registry host "${reference.host}", but the group pulls from ${args.registry.loginServer}; give the image without a host or on that server.`);
    }
    if (reference && args.requirePinnedImage === true && !isPinned(reference)) {
        problems.push(`image "${args.image}" ${reference.tag === "latest" ? "is tagged latest" : "has no tag"}; ${pinnedRemedy}.`);
    }
    const cpu = args.cpu ?? 1;
    if (typeof cpu !== "number" || !(cpu > 0 && cpu <= 4)) {
        problems.push(`cpu must be a number of vCPUs above 0 and at most 4; got ${JSON.stringify(cpu)}.`);
    }
    const memory = args.memoryGb ?? 1.5;
    if (typeof memory !== "number" || !(memory > 0 && memory <= 16)) {
        problems.push(`memoryGb must be above 0 and at most 16; got ${JSON.stringify(memory)}.`);
    }
    const ports = args.ports ?? [];
    const seenPorts = new Set<number>();
    ports.forEach((port, index) => {
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            problems.push(`ports[${index}] must be an integer from 1 to 65535; got ${JSON.stringify(port)}.`);
        } else if (seenPorts.has(port)) {
            problems.push(`ports[${index}] ${port} is listed twice.`);
        }
        seenPorts.add(port);
    });
    const subnets = args.subnetIds ?? [];
    if (args.publicIp === true && ports.length === 0) {
        problems.push(`publicIp needs ports: a public IP exposes only the ports listed.`);
    }
    if (args.publicIp === true && subnets.length > 0) {
        problems.push(`publicIp cannot be combined with subnetIds: a group in a virtual network has a private IP only.`);
    }
    if (args.restartPolicy !== undefined && !restartPolicies.includes(args.restartPolicy)) {
        problems.push(`restartPolicy must be one of ${restartPolicies.join(", ")}; got "${String(args.restartPolicy)}".`);
    }
    if (args.containerName !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(args.containerName)) {
        problems.push(`containerName "${args.containerName}" must be 1-63 lowercase letters, digits and '-', not starting or ending with '-'.`);
    }
    const env = args.env ?? {};
    const secureEnv = args.secureEnv ?? {};
    for (const [key, group] of [["env", env], ["secureEnv", secureEnv]] as const) {
        for (const variable of Object.keys(group)) {
            if (!envName.test(variable)) {
                problems.push(`${key}.${variable} is not a valid variable name: letters, digits and '_', not starting with a digit.`);
            }
            if (variable.toUpperCase() === "AZURE_CLIENT_ID") {
                problems.push(`${key}.AZURE_CLIENT_ID is set by the component to the identity's client ID; remove it.`);
            }
        }
    }
    for (const variable of Object.keys(env)) {
        if (Object.prototype.hasOwnProperty.call(secureEnv, variable)) {
            problems.push(`${variable} is in both env and secureEnv; keep one.`);
        }
    }
    return problems;
}

/**
 * An Azure Container Instances group running one Linux container as a user-assigned identity. The image is
 * pulled with that identity (`imageRegistryCredentials` names the identity, never a password), the identity's
 * client ID is exported as `AZURE_CLIENT_ID`, and there is no public IP unless asked for.
 *
 * Log Analytics integration of ACI needs the workspace key, so this component does not offer diagnostics.
 */
export class ContainerGroup extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly containerGroupName: pulumi.Output<string>;
    /** The full image reference the group pulls, with the registry's login server. */
    public readonly image: pulumi.Output<string>;
    /** The group's IP address (public or private), when it has one. */
    public readonly ipAddress: pulumi.Output<string | undefined>;

    constructor(name: string, args: ContainerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = `ContainerGroup "${name}"`;
        const problems = new Problems(owner);
        problems.addAll(containerGroupProblems(args));
        // Values are checked here, still before super: a credential in a plain variable must not half-declare the group.
        // A literal's problem joins the list; an Output is checked when it resolves, in a list of its own.
        const plainEnv = Object.entries(args.env ?? {}).map(([variable, value]) => ({
            name: variable,
            value: problems.attempt(() => checkedPlainValue(owner, `env.${variable}`, variable, value, envRemedy)),
        }));
        const secureEnv = Object.entries(args.secureEnv ?? {}).map(([variable, value]) => ({
            name: variable,
            secureValue: problems.attempt(() => requireSecretInput(owner, `secureEnv.${variable}`, value)),
        }));
        problems.throwIfAny();
        super("keyless:containers:ContainerGroup", name, {}, opts);
        this.name = name;

        this.image = args.registry ? qualifiedImage(owner, args.image, args.registry.loginServer) : pulumi.output(args.image);
        const ports = args.ports ?? [];
        const subnets = args.subnetIds ?? [];
        let ipAddress: containerinstance.ContainerGroupArgs["ipAddress"];
        if (args.publicIp === true) {
            ipAddress = { type: "Public", ports: ports.map((port) => ({ port, protocol: "TCP" })) };
        } else if (subnets.length > 0 && ports.length > 0) {
            ipAddress = { type: "Private", ports: ports.map((port) => ({ port, protocol: "TCP" })) };
        }

        const group = new containerinstance.ContainerGroup(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                containerGroupName: args.containerGroupName ?? physicalName("containerGroup", name),
                osType: "Linux",
                sku: "Standard",
                restartPolicy: args.restartPolicy ?? "Always",
                // `ready` resolves once the identity's grants (AcrPull, Key Vault) exist, so the first pull succeeds.
                identity: identityProperties({ userAssigned: [args.identity] }),
                imageRegistryCredentials: args.registry ? [{ server: args.registry.loginServer, identity: args.identity.ready }] : undefined,
                containers: [
                    {
                        name: args.containerName ?? defaultContainerName(name),
                        image: this.image,
                        command: args.command,
                        ports: ports.length > 0 ? ports.map((port) => ({ port, protocol: "TCP" })) : undefined,
                        resources: { requests: { cpu: args.cpu ?? 1, memoryInGB: args.memoryGb ?? 1.5 } },
                        environmentVariables: [{ name: "AZURE_CLIENT_ID", value: args.identity.clientId }, ...plainEnv, ...secureEnv],
                    },
                ],
                ipAddress,
                subnetIds: subnets.length > 0 ? subnets.map((id) => ({ id })) : undefined,
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = group.id;
        this.containerGroupName = group.name;
        this.ipAddress = group.ipAddress.apply((address) => address?.ip);

        lockScope(name, group.id, args.lock, this);

        this.registerOutputs({ id: this.id, containerGroupName: this.containerGroupName });
    }
}
