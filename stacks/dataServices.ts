import * as pulumi from "@pulumi/pulumi";
import { GrantTarget } from "../infra/access/grants";
import { ContainerRegistry } from "../infra/containers/ContainerRegistry";
import { SqlServer } from "../infra/data";
import { ManagedIdentity } from "../infra/identity/ManagedIdentity";
import { Vault } from "../infra/keyvault/Vault";
import { VaultSecretSource } from "../infra/keyvault/secretSource";
import { EventHubsNamespace, ServiceBusNamespace } from "../infra/messaging";
import { DiagnosticsArgs } from "../infra/monitoring/diagnostics";
import { PrivateEndpointArgs } from "../infra/network/privateEndpoints";
import { LockArgs } from "../infra/shared/locks";
import { physicalName } from "../infra/shared/naming";
import { Tags } from "../infra/shared/tags";
import { KeylessStorage } from "../infra/storage/KeylessStorage";
import { GrantTargetRef, StackConfig } from "./config";
import { EndpointSection } from "./config/networking";
import { holdsKeys, keysFor } from "./encryption";

/**
 * The data services a stack declares (vaults, storage, registries, messaging), and how a resolved grant finds
 * its target among them.
 */
export interface DataServices {
    vaults: Record<string, Vault>;
    accounts: Record<string, KeylessStorage>;
    registries: Record<string, ContainerRegistry>;
    serviceBus: Record<string, ServiceBusNamespace>;
    eventHubs: Record<string, EventHubsNamespace>;
}

export interface Placement {
    resourceGroupName: pulumi.Output<string>;
    location: string;
    tags: Tags;
}

export interface ServiceOptions {
    placement: Placement;
    lock?: LockArgs;
    diagnostics: DiagnosticsArgs;
    /** What the vault and storage firewalls admit; nothing at all in a privateNetwork stack (public access off). */
    network: { allowedIps: string[]; allowedSubnetIds: pulumi.Input<string>[] };
    /** Public network access off on registries and messaging namespaces too (hardening.privateNetwork). */
    privateNetwork: boolean;
    /** A service's private endpoints, as its component takes them. */
    endpoints(section: EndpointSection, name: string): PrivateEndpointArgs[];
    /** Resource IDs a storage account admits by resource instance rule. */
    storageInstances(name: string): pulumi.Input<string>[];
    protectVaults: boolean;
    secret(configKey: string): pulumi.Output<string>;
    /** Subscription of the role definitions (the key grants). */
    subscriptionId: pulumi.Input<string>;
}

function byName<Spec, Made>(entries: Record<string, Spec>, make: (name: string, spec: Spec) => Made): Record<string, Made> {
    return Object.fromEntries(Object.entries(entries).map(([name, spec]) => [name, make(name, spec)]));
}

export function declareDataServices(config: StackConfig, options: ServiceOptions): DataServices & { keyFor: ReturnType<typeof keysFor> } {
    const { placement, lock, diagnostics } = options;
    const closed = options.privateNetwork ? "Disabled" : "Enabled";
    const vaults = byName(
        config.vaults,
        (name, spec) =>
            new Vault(name, {
                ...placement,
                sku: spec.sku,
                // Storage, SQL, Service Bus and Event Hubs read their keys as Key Vault trusted services
                // (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints#trusted-services).
                network: holdsKeys(config, name) ? { ...options.network, allowTrustedServices: true } : options.network,
                privateEndpoints: options.endpoints("vaults", name),
                secrets: Object.fromEntries(
                    Object.entries(spec.secrets).map(([secretName, source]): [string, VaultSecretSource] => [
                        secretName,
                        "generate" in source ? { generate: { length: source.generate.length, special: source.generate.special } } : { value: options.secret(source.config) },
                    ]),
                ),
                lock,
                protect: options.protectVaults,
                diagnostics,
            }),
    );
    const keyFor = keysFor(config, vaults, { placement, lock, subscriptionId: options.subscriptionId });
    return {
        vaults,
        keyFor,
        accounts: byName(
            config.storage,
            (name, spec) =>
                new KeylessStorage(name, {
                    ...placement,
                    sku: spec.sku,
                    containers: spec.containers,
                    queues: spec.queues,
                    tables: spec.tables,
                    network: options.network,
                    privateEndpoints: options.endpoints("storage", name),
                    resourceInstances: options.storageInstances(name),
                    lock,
                    diagnostics,
                    customerManagedKey: keyFor("storage", name),
                }),
        ),
        // Registries authenticate every pull with Entra ID (admin user and anonymous pull off).
        registries: byName(
            config.registries,
            (name, spec) => new ContainerRegistry(name, { ...placement, sku: spec.sku, publicNetworkAccess: closed, privateEndpoints: options.endpoints("registries", name), lock, diagnostics }),
        ),
        serviceBus: byName(
            config.serviceBus,
            (name, spec) =>
                new ServiceBusNamespace(name, {
                    ...placement,
                    sku: spec.sku,
                    queues: Object.fromEntries(spec.queues.map((queue) => [queue, {}])),
                    topics: Object.fromEntries(spec.topics.map((topic) => [topic, {}])),
                    publicNetworkAccess: closed,
                    privateEndpoints: options.endpoints("serviceBus", name),
                    lock,
                    diagnostics,
                    customerManagedKey: keyFor("serviceBus", name),
                }),
        ),
        eventHubs: byName(
            config.eventHubs,
            (name, spec) =>
                new EventHubsNamespace(name, {
                    ...placement,
                    sku: spec.sku,
                    eventHubs: Object.fromEntries(spec.hubs.map((hub) => [hub, {}])),
                    publicNetworkAccess: closed,
                    privateEndpoints: options.endpoints("eventHubs", name),
                    lock,
                    diagnostics,
                    customerManagedKey: keyFor("eventHubs", name),
                }),
        ),
    };
}

/** The component's grant target for a resolved reference; the kinds are the catalog's (infra/access/targets.ts). */
export function targetFinder(services: DataServices): (ref: GrantTargetRef) => GrantTarget {
    const child = (ref: GrantTargetRef) => ref.child!;
    const finders: Record<GrantTargetRef["kind"], ((ref: GrantTargetRef) => GrantTarget) | undefined> = {
        vault: (ref) => services.vaults[ref.service].asTarget(),
        secret: (ref) => services.vaults[ref.service].secretTarget(child(ref)),
        storageAccount: (ref) => services.accounts[ref.service].asTarget(),
        container: (ref) => services.accounts[ref.service].containerTarget(child(ref)),
        queue: (ref) => services.accounts[ref.service].queueTarget(child(ref)),
        table: (ref) => services.accounts[ref.service].tableTarget(child(ref)),
        registry: (ref) => services.registries[ref.service].asTarget(),
        serviceBus: (ref) => services.serviceBus[ref.service].asTarget(),
        serviceBusQueue: (ref) => services.serviceBus[ref.service].queueTarget(child(ref)),
        serviceBusTopic: (ref) => services.serviceBus[ref.service].topicTarget(child(ref)),
        eventHub: (ref) => services.eventHubs[ref.service].asTarget(),
        eventHubInstance: (ref) => services.eventHubs[ref.service].eventHubTarget(child(ref)),
        key: undefined,
        cognitiveServices: undefined,
        aksCluster: undefined,
        resourceGroup: undefined,
        identity: undefined,
        subnet: undefined,
    };
    return (ref) => {
        const find = finders[ref.kind];
        if (!find) {
            throw new Error(`Stack config cannot name a ${ref.kind} target (${ref.service}); this is a bug in the config resolution.`);
        }
        return find(ref);
    };
}

/** SQL servers, with the database grants of the identities that read them. */
export function declareSqlServers(
    config: StackConfig,
    identities: Record<string, ManagedIdentity>,
    options: Pick<ServiceOptions, "placement" | "lock" | "diagnostics" | "endpoints"> & { keyFor: ReturnType<typeof keysFor> },
) {
    return byName(
        config.sqlServers,
        (name, spec) =>
            new SqlServer(name, {
                ...options.placement,
                administrator: { login: spec.admin.login, objectId: spec.admin.objectId, principalType: spec.admin.type },
                databases: Object.fromEntries(spec.databases.map((database) => [database, {}])),
                // CREATE USER ... FROM EXTERNAL PROVIDER takes the identity's Entra display name: its resource name.
                grants: config.sqlGrants
                    .filter((grant) => grant.server === name)
                    .map((grant) => ({ identity: physicalName("identity", grant.identity), database: grant.database, roles: grant.roles, objectId: identities[grant.identity].principalId })),
                privateEndpoints: options.endpoints("sqlServers", name),
                lock: options.lock,
                diagnostics: options.diagnostics,
                customerManagedKey: options.keyFor("sqlServers", name),
            }),
    );
}
