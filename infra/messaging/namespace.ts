/**
 * What Service Bus and Event Hubs namespaces have in common, as they run on the same platform: SAS keys always
 * off, TLS 1.2, a global name, the same diagnostics categories, a lock.
 */

import * as pulumi from "@pulumi/pulumi";
import { identityProperties } from "../identity/identityShape";
import { CustomerManagedKeyArgs, customerManagedKeyProblems, declareCustomerManagedKey } from "../keyvault/customerManagedKey";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { globalName } from "../shared/globalName";
import { LockArgs, lockScope } from "../shared/locks";
import { declarePrivateEndpoints, PrivateEndpointArgs, privateEndpointProblems } from "../network/privateEndpoints";
import { Tags } from "../shared/tags";
import { MessagingSku, messagingSkus, namespaceNameProblem } from "./names";

/** The arguments both namespace components take; each documents sku, capacity, access and name for its service. */
export interface MessagingNamespaceArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    sku?: MessagingSku;
    capacity?: number;
    publicNetworkAccess?: "Enabled" | "Disabled";
    namespaceName?: string;
    /**
     * Private endpoints: `{ subnet, service?, privateDnsZone? }` each, with the DNS zone group and, unless an
     * existing zone ID is passed, the `privatelink.*` zone linked to the subnet's network. Not on every sku (see `publicNetworkAccess`). Defaults to none.
     */
    privateEndpoints?: PrivateEndpointArgs[];
    /** A management lock on the namespace. Defaults to none. */
    lock?: LockArgs;
    /** Sends OperationalLogs (and RuntimeAuditLogs on Premium) to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    /**
     * Encrypt the namespace with a key in Key Vault, read by the given user-assigned identity; Premium only, and set
     * on a new or empty namespace (the component sets it at creation). Defaults to Microsoft-managed keys.
     */
    customerManagedKey?: CustomerManagedKeyArgs;
    tags?: Tags;
}

/** What one service checks its own way. */
export interface NamespaceRules {
    /** Which private link target the namespace is. */
    target: "serviceBus" | "eventHub";
    /** The service's name in messages. */
    service: string;
    /** The skus that take private endpoints. */
    privateEndpointSkus: readonly MessagingSku[];
    /** The service's limits are looked up by sku: at an unknown sku, stop once it is reported. */
    stopAtUnknownSku: boolean;
    /** Why `capacity` is refused on `sku`, or undefined. */
    capacityProblem(capacity: number, sku: MessagingSku): string | undefined;
    /** Why public network access cannot be `Disabled` on `sku` (it offers no private endpoints there), or undefined. */
    closedAccessProblem(sku: MessagingSku): string | undefined;
    /** What the service's customer-managed key needs of the sku, with the page that says so. */
    keySkuNote: string;
    /** The checks of the service's entities (queues, topics, event hubs), made last. */
    entityProblems(sku: MessagingSku): string[];
}

/** Checks every argument of a namespace; returns one message per problem, each naming its key. */
export function namespaceProblems(args: MessagingNamespaceArgs, rules: NamespaceRules): string[] {
    const problems: string[] = [];
    const raw = args as unknown as Record<string, unknown>;
    if (raw.disableLocalAuth !== undefined) {
        problems.push(`disableLocalAuth is not accepted: SAS keys are always disabled, clients authenticate with Entra ID.`);
    }
    const sku = args.sku ?? "Standard";
    if (!messagingSkus.includes(sku)) {
        problems.push(`sku must be one of ${messagingSkus.join(", ")}; got "${String(sku)}".`);
        if (rules.stopAtUnknownSku) {
            return problems;
        }
    }
    if (args.capacity !== undefined) {
        const problem = rules.capacityProblem(args.capacity, sku);
        if (problem) {
            problems.push(problem);
        }
    }
    const access = args.publicNetworkAccess ?? "Enabled";
    if (access !== "Enabled" && access !== "Disabled") {
        problems.push(`publicNetworkAccess must be "Enabled" or "Disabled"; got "${String(access)}".`);
    } else if (access === "Disabled") {
        const problem = rules.closedAccessProblem(sku);
        if (problem) {
            problems.push(problem);
        }
    }
    const tiers = rules.privateEndpointSkus;
    const skuProblem = messagingSkus.includes(sku) && !tiers.includes(sku)
        ? `privateEndpoints need sku ${tiers.map((tier) => `"${tier}"`).join(" or ")}: ${rules.service} offers private endpoints on ${tiers.join(" and ")} only; got sku "${sku}".`
        : undefined;
    problems.push(...privateEndpointProblems(rules.target, args.privateEndpoints, skuProblem));
    if (args.namespaceName !== undefined) {
        const problem = namespaceNameProblem(`namespaceName`, args.namespaceName);
        if (problem) {
            problems.push(problem);
        }
    }
    problems.push(
        ...customerManagedKeyProblems(args.customerManagedKey, {
            service: `A new ${rules.service} namespace`,
            skuProblem: messagingSkus.includes(sku) && sku !== "Premium" ? `needs sku "Premium": ${rules.keySkuNote}; got sku "${sku}".` : undefined,
        }),
    );
    problems.push(...rules.entityProblems(sku));
    return problems;
}

/**
 * The namespace resource's properties, alike on both services: `disableLocalAuth: true`, TLS 1.2, public access
 * `Enabled` unless turned off, the given name or `<prefix><name>-<random suffix>` (declared as a child of `parent`), and
 * the customer-managed key with its grant when asked for (children of `parent` too).
 */
export function namespaceProperties(
    kind: "serviceBusNamespace" | "eventHubsNamespace",
    name: string,
    args: MessagingNamespaceArgs,
    sku: MessagingSku,
    capacity: number | undefined,
    parent: pulumi.Resource,
) {
    const cmk = args.customerManagedKey ? declareCustomerManagedKey(name, args.customerManagedKey, parent) : undefined;
    return {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        namespaceName: globalName(kind, name, args.namespaceName, parent),
        // Versionless: the namespace follows the key's rotation. The key is set at creation, before any entity exists.
        ...(cmk
            ? {
                  identity: identityProperties({ userAssigned: [{ ready: cmk.identityId }] }),
                  encryption: {
                      keySource: "Microsoft.KeyVault" as const,
                      keyVaultProperties: [{ keyName: cmk.keyName, keyVaultUri: cmk.vaultUri, identity: { userAssignedIdentity: cmk.identityId } }],
                  },
              }
            : {}),
        sku: { name: sku, tier: sku, capacity },
        disableLocalAuth: true,
        minimumTlsVersion: "1.2",
        publicNetworkAccess: args.publicNetworkAccess ?? "Enabled",
        tags: args.tags,
    };
}

/** Diagnostics and the lock on a namespace, as children of `parent`, each only when asked for. */
export function watchAndLockNamespace(
    name: string,
    namespaceId: pulumi.Input<string>,
    args: MessagingNamespaceArgs,
    sku: MessagingSku,
    target: "serviceBus" | "eventHub",
    parent: pulumi.Resource,
): void {
    // Runtime audit logs (who sent or received, with which identity) exist on Premium only.
    const categories = sku === "Premium" ? ["OperationalLogs", "RuntimeAuditLogs"] : ["OperationalLogs"];
    sendDiagnostics(name, namespaceId, args.diagnostics, categories, parent);
    declarePrivateEndpoints(name, target, namespaceId, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags }, parent);
    lockScope(name, namespaceId, args.lock, parent);
}
