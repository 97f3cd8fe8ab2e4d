import * as pulumi from "@pulumi/pulumi";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import { GrantTarget } from "../access/grants";
import { CustomerManagedKeyArgs, customerManagedKeyProblems, declareCustomerManagedKey } from "../keyvault/customerManagedKey";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { globalName } from "../shared/globalName";
import { LockArgs, lockScope } from "../shared/locks";
import { ipRuleProblem } from "../shared/network";
import { declarePrivateEndpoints, PrivateEndpointArgs, privateEndpointProblems } from "../network/privateEndpoints";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";

export type RegistrySku = "Basic" | "Standard" | "Premium";

const registrySkus: readonly RegistrySku[] = ["Basic", "Standard", "Premium"];

/** Who signed in and what was pushed, pulled or deleted: the two categories an access review needs. */
export const registryDiagnosticCategories = ["ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents"];

export interface ContainerRegistryArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Defaults to `Standard`. Network restrictions (`publicNetworkAccess: "Disabled"`, `allowedIps`) need `Premium`. */
    sku?: RegistrySku;
    /**
     * `Disabled` closes the public endpoint, so only private endpoints reach the registry; Azure offers private
     * endpoints on Premium only, so it needs `sku: "Premium"`. Defaults to `Enabled` (pulls still need an
     * identity with AcrPull: the admin user and anonymous pull are always off).
     */
    publicNetworkAccess?: "Enabled" | "Disabled";
    /**
     * Public IPv4 addresses or CIDR ranges allowed to reach the public endpoint; everything else is denied.
     * Premium only, and only with public access enabled. Defaults to none (no IP filter).
     */
    allowedIps?: string[];
    /**
     * Private endpoints: `{ subnet, service?, privateDnsZone? }` each, with the DNS zone group and, unless an
     * existing zone ID is passed, the `privatelink.*` zone linked to the subnet's network. Premium only. Defaults to none.
     */
    privateEndpoints?: PrivateEndpointArgs[];
    /** Physical name: 5-50 letters and digits, globally unique. Defaults to `cr<name><random suffix>`. */
    registryName?: string;
    /** A management lock on the registry. Defaults to none. */
    lock?: LockArgs;
    /** Sends ContainerRegistryLoginEvents and ContainerRegistryRepositoryEvents to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    /**
     * Encrypt the registry with a key in Key Vault, read by the given user-assigned identity; Premium only, and set
     * when the registry is created. The identity is attached to the registry. Defaults to Microsoft-managed keys.
     */
    customerManagedKey?: CustomerManagedKeyArgs;
    tags?: Tags;
}

/** Checks every argument; returns one message per problem. Pure, so that it runs before anything is declared. */
export function containerRegistryProblems(args: ContainerRegistryArgs): string[] {
    const problems: string[] = [];
    const raw = args as unknown as Record<string, unknown>;
    for (const key of ["adminUserEnabled", "anonymousPullEnabled"]) {
        if (raw[key] === true) {
            problems.push(`${key} cannot be turned on: pulls go through identities with AcrPull, never a shared admin password or anonymous access.`);
        }
    }
    const sku = args.sku ?? "Standard";
    if (!registrySkus.includes(sku)) {
        problems.push(`sku must be one of ${registrySkus.join(", ")}; got "${String(sku)}".`);
    }
    const access = args.publicNetworkAccess ?? "Enabled";
    if (access !== "Enabled" && access !== "Disabled") {
        problems.push(`publicNetworkAccess must be "Enabled" or "Disabled"; got "${String(access)}".`);
    }
    if (access === "Disabled" && sku !== "Premium") {
        problems.push(
            `publicNetworkAccess "Disabled" needs sku "Premium": Azure offers private endpoints for registries on Premium only, ` +
                `so a ${sku} registry without its public endpoint would be unreachable.`,
        );
    }
    problems.push(
        ...privateEndpointProblems(
            "registry",
            args.privateEndpoints,
            sku !== "Premium" ? `privateEndpoints need sku "Premium": Azure offers private endpoints for registries on Premium only; got sku "${sku}".` : undefined,
        ),
    );
    const ips = args.allowedIps ?? [];
    if (!Array.isArray(ips)) {
        problems.push(`allowedIps must be a list of IPv4 addresses or CIDR ranges.`);
    } else if (ips.length > 0) {
        if (sku !== "Premium") {
            problems.push(`allowedIps needs sku "Premium": registry network rules are a Premium feature; got sku "${sku}".`);
        }
        if (access === "Disabled") {
            problems.push(`allowedIps has no effect with publicNetworkAccess "Disabled": remove one of them.`);
        }
        ips.forEach((ip, index) => {
            const problem = ipRuleProblem(`allowedIps[${index}]`, ip);
            if (problem) {
                problems.push(problem);
            }
        });
    }
    // Premium only, at creation, with a user-assigned identity (https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys).
    problems.push(
        ...customerManagedKeyProblems(args.customerManagedKey, {
            service: "A new registry",
            skuProblem: sku !== "Premium" ? `needs sku "Premium": Azure Container Registry takes a customer-managed key on Premium only; got sku "${sku}".` : undefined,
        }),
    );
    if (args.registryName !== undefined && !/^[a-zA-Z0-9]{5,50}$/.test(args.registryName)) {
        problems.push(`registryName "${args.registryName}" must be 5-50 letters and digits.`);
    }
    return problems;
}

/**
 * An Azure Container Registry that serves images only to identities: the admin user and anonymous pull are off,
 * so every pull is an Entra token for an identity holding AcrPull (see `asTarget()`).
 */
export class ContainerRegistry extends pulumi.ComponentResource {
    /** Logical name, the label used in grants and reviews. */
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly registryName: pulumi.Output<string>;
    /** `<name>.azurecr.io`, the server that image references and pull credentials name. */
    public readonly loginServer: pulumi.Output<string>;
    public readonly sku: RegistrySku;

    constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`ContainerRegistry "${name}"`);
        problems.addAll(containerRegistryProblems(args));
        problems.throwIfAny();
        super("keyless:containers:ContainerRegistry", name, {}, opts);
        this.name = name;
        this.sku = args.sku ?? "Standard";

        const registryName = globalName("containerRegistry", name, args.registryName, this);
        const ips = args.allowedIps ?? [];
        const cmk = args.customerManagedKey ? declareCustomerManagedKey(name, args.customerManagedKey, this) : undefined;
        const registry = new containerregistry.Registry(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                registryName,
                sku: { name: this.sku },
                adminUserEnabled: false,
                anonymousPullEnabled: false,
                publicNetworkAccess: args.publicNetworkAccess ?? "Enabled",
                // Container Instances pulls from outside the VNet; as a trusted service it passes the registry's
                // network rules with its identity (https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services).
                networkRuleBypassOptions: "AzureServices",
                networkRuleSet:
                    ips.length > 0
                        ? { defaultAction: "Deny", ipRules: ips.map((ip) => ({ action: "Allow", iPAddressOrRange: ip })) }
                        : undefined,
                // The registry names the identity by its client ID; a versionless key is picked up within an hour of rotation.
                ...(cmk
                    ? {
                          identity: { type: "UserAssigned" as const, userAssignedIdentities: cmk.identityId.apply((id) => ({ [id]: {} })) },
                          encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: cmk.keyUri, identity: cmk.clientId } },
                      }
                    : {}),
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = registry.id;
        this.registryName = registry.name;
        this.loginServer = registry.loginServer;

        sendDiagnostics(name, registry.id, args.diagnostics, registryDiagnosticCategories, this);
        declarePrivateEndpoints(name, "registry", registry.id, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags }, this);
        lockScope(name, registry.id, args.lock, this);

        this.registerOutputs({ id: this.id, registryName: this.registryName, loginServer: this.loginServer });
    }

    /** The registry as a grant target: grant `AcrPull` on it to each identity that pulls. */
    public asTarget(): GrantTarget {
        return { kind: "registry", name: this.name, id: this.id };
    }
}
