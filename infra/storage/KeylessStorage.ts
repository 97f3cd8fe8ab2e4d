import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import * as random from "@pulumi/random";
import { GrantTarget } from "../access/grants";
import { identityProperties } from "../identity/identityShape";
import { CustomerManagedKeyArgs, customerManagedKeyProblems, declareCustomerManagedKey } from "../keyvault/customerManagedKey";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { declarePrivateEndpoints, PrivateEndpointArgs, privateEndpointProblems } from "../network/privateEndpoints";
import { NetworkAccessArgs, resolveNetworkAccess } from "../shared/network";
import { Problems, ProblemsError } from "../shared/problems";
import { Tags } from "../shared/tags";
import { StorageChildKind, storageChildNamesProblems } from "./naming";

/** Redundancy options for a general-purpose v2 account (premium SKUs do not offer queues and tables on StorageV2). */
export const storageSkus = ["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"] as const;
export type StorageSku = (typeof storageSkus)[number];

export interface KeylessStorageArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Defaults to `Standard_LRS`. */
    sku?: StorageSku;
    /**
     * Network reach. Defaults to no public access (private endpoints only). Listing `allowedIps` or
     * `allowedSubnetIds` enables the public endpoint for exactly those, with the firewall denying the rest;
     * `allowAllNetworks` (dev stacks, runners without fixed addresses) admits every network. Single addresses
     * go without a prefix: Azure Storage refuses `/31` and `/32`.
     */
    network?: NetworkAccessArgs;
    /**
     * Private endpoints: `{ subnet, service, privateDnsZone? }` each, one per sub-service (blob, queue, table, file), with the DNS zone group and, unless an
     * existing zone ID is passed, the `privatelink.*` zone linked to the subnet's network. Defaults to none.
     */
    privateEndpoints?: PrivateEndpointArgs[];
    /**
     * Resource instances admitted by the firewall with their managed identity (resource instance rules), such as a
     * Consumption Logic App's workflow ID: services outside every VNet that Azure lets in by identity. They still
     * need a role. Defaults to none.
     */
    resourceInstances?: pulumi.Input<string>[];
    /** Tenant of the resource instances. Defaults to the deployer's tenant. */
    tenantId?: pulumi.Input<string>;
    /** Blob containers, created private. Names: 3-63 lowercase letters, digits and single hyphens. Defaults to none. */
    containers?: string[];
    /** Queues. Names: 3-63 lowercase letters, digits and single hyphens. Defaults to none. */
    queues?: string[];
    /** Tables. Names: 3-63 letters and digits, starting with a letter. Defaults to none. */
    tables?: string[];
    /** A management lock on the account. Defaults to none. */
    lock?: LockArgs;
    /** Sets Pulumi's `protect` option on the account, so that `pulumi destroy` refuses to delete its data. Defaults to false. */
    protect?: boolean;
    /**
     * Send data-plane logs to Log Analytics, from the blob service and, when declared, the queue and table
     * services. Defaults to off; categories default to StorageRead, StorageWrite and StorageDelete.
     */
    diagnostics?: DiagnosticsArgs;
    /**
     * Encrypt blobs, files, queues and tables with a key in Key Vault, read by the given user-assigned identity (a new
     * account takes only a user-assigned one). The identity is attached to the account. Defaults to Microsoft-managed keys.
     */
    customerManagedKey?: CustomerManagedKeyArgs;
    tags?: Tags;
}

/** Random suffix length: account names are global, 3-24 lowercase letters and digits. */
export const storageSuffixLength = 5;
export const storageLogCategories = ["StorageRead", "StorageWrite", "StorageDelete"];

/**
 * The account's identity and encryption for a customer-managed key. No key version, so the account follows Key
 * Vault's rotation (https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview#update-the-key-version).
 * Queues and tables use the account key only when created so
 * (https://learn.microsoft.com/azure/storage/common/account-encryption-key-create).
 */
function storageEncryption(cmk: ReturnType<typeof declareCustomerManagedKey>) {
    const service = { enabled: true, keyType: "Account" };
    return {
        identity: identityProperties({ userAssigned: [{ ready: cmk.identityId }] }),
        encryption: {
            keySource: "Microsoft.Keyvault",
            keyVaultProperties: { keyVaultUri: cmk.vaultUri, keyName: cmk.keyName },
            encryptionIdentity: { encryptionUserAssignedIdentity: cmk.identityId },
            services: { blob: service, file: service, queue: service, table: service },
        },
    };
}

/**
 * A general-purpose v2 storage account reachable only with Entra ID tokens: shared keys (and so account SAS and
 * connection strings) are off, blobs are never public, TLS 1.2 and HTTPS only, and no public network access
 * unless allowances are listed. Containers, queues and tables are declared by name and exposed as narrow grant targets.
 */
export class KeylessStorage extends pulumi.ComponentResource {
    /** Logical name; labels grants and child resources. */
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly accountName: pulumi.Output<string>;
    public readonly blobEndpoint: pulumi.Output<string>;
    public readonly queueEndpoint: pulumi.Output<string>;
    public readonly tableEndpoint: pulumi.Output<string>;
    public readonly containers: Readonly<Record<string, storage.BlobContainer>>;
    public readonly queues: Readonly<Record<string, storage.Queue>>;
    public readonly tables: Readonly<Record<string, storage.Table>>;

    constructor(name: string, args: KeylessStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = `KeylessStorage "${name}"`;
        const problems = new Problems(owner);
        if (args.sku !== undefined && !(storageSkus as readonly string[]).includes(args.sku)) {
            problems.add(`sku must be one of ${storageSkus.join(", ")}; got ${JSON.stringify(args.sku)}.`);
        }
        if (args.protect !== undefined && typeof args.protect !== "boolean") {
            problems.add(`protect must be true or false; got ${JSON.stringify(args.protect)}.`);
        }
        problems.addAll(storageChildNamesProblems("containers", "container", args.containers));
        problems.addAll(storageChildNamesProblems("queues", "queue", args.queues));
        problems.addAll(storageChildNamesProblems("tables", "table", args.tables));
        // Storage refuses /31 and /32 ranges; single addresses go without a prefix.
        problems.addAll(privateEndpointProblems("storageAccount", args.privateEndpoints));
        // Every general-purpose v2 SKU takes a customer-managed key (https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview).
        problems.addAll(customerManagedKeyProblems(args.customerManagedKey, { service: "A new storage account" }));
        const network = problems.resultOf(problems.attempt(() => resolveNetworkAccess(owner, args.network, { refuseHostPrefixes: true })));
        super("keyless:storage:KeylessStorage", name, {}, opts);
        this.name = name;

        const suffix = new random.RandomString(
            `${name}-suffix`,
            { length: storageSuffixLength, lower: true, numeric: true, upper: false, special: false },
            { parent: this },
        );
        const cmk = args.customerManagedKey ? declareCustomerManagedKey(name, args.customerManagedKey, this) : undefined;
        const instances = args.resourceInstances ?? [];
        const tenantId = instances.length === 0 ? undefined : (args.tenantId ?? authorization.getClientConfigOutput({ parent: this }).tenantId);
        const account = new storage.StorageAccount(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                accountName: suffix.result.apply((value) => physicalName("storageAccount", name, value)),
                kind: "StorageV2",
                sku: { name: args.sku ?? "Standard_LRS" },
                accessTier: "Hot",
                // Identity only: no account keys, so no connection strings or account/service SAS to leak.
                allowSharedKeyAccess: false,
                defaultToOAuthAuthentication: true,
                // SFTP local users carry their own passwords and SSH keys.
                isLocalUserEnabled: false,
                allowBlobPublicAccess: false,
                allowCrossTenantReplication: false,
                minimumTlsVersion: "TLS1_2",
                enableHttpsTrafficOnly: true,
                publicNetworkAccess: network.publicNetworkAccess,
                networkRuleSet: {
                    defaultAction: network.defaultAction,
                    bypass: network.bypass,
                    ipRules: network.ipRules.map((value) => ({ iPAddressOrRange: value, action: "Allow" as const })),
                    virtualNetworkRules: network.subnetIds.map((id) => ({ virtualNetworkResourceId: id, action: "Allow" as const })),
                    // Resource instance rules hold with public network access disabled too
                    // (https://learn.microsoft.com/azure/storage/common/storage-network-security-resource-instances).
                    resourceAccessRules: instances.length > 0 ? instances.map((resourceId) => ({ resourceId, tenantId })) : undefined,
                },
                ...(cmk ? storageEncryption(cmk) : {}),
                tags: args.tags,
            },
            { parent: this, protect: args.protect ?? false },
        );
        this.id = account.id;
        this.accountName = account.name;
        this.blobEndpoint = account.primaryEndpoints.blob;
        this.queueEndpoint = account.primaryEndpoints.queue;
        this.tableEndpoint = account.primaryEndpoints.table;

        const common = { resourceGroupName: args.resourceGroupName, accountName: account.name };
        this.containers = Object.fromEntries(
            (args.containers ?? []).map((container) => [
                container,
                new storage.BlobContainer(`${name}-${container}`, { ...common, containerName: container, publicAccess: "None" }, { parent: this }),
            ]),
        );
        this.queues = Object.fromEntries(
            (args.queues ?? []).map((queue) => [queue, new storage.Queue(`${name}-${queue}`, { ...common, queueName: queue }, { parent: this })]),
        );
        this.tables = Object.fromEntries(
            (args.tables ?? []).map((table) => [table, new storage.Table(`${name}-${table}`, { ...common, tableName: table }, { parent: this })]),
        );

        declarePrivateEndpoints(name, "storageAccount", account.id, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags }, this);
        lockScope(name, account.id, args.lock, this);
        sendDiagnostics(`${name}-blob`, pulumi.interpolate`${account.id}/blobServices/default`, args.diagnostics, storageLogCategories, this);
        if ((args.queues ?? []).length > 0) {
            sendDiagnostics(`${name}-queue`, pulumi.interpolate`${account.id}/queueServices/default`, args.diagnostics, storageLogCategories, this);
        }
        if ((args.tables ?? []).length > 0) {
            sendDiagnostics(`${name}-table`, pulumi.interpolate`${account.id}/tableServices/default`, args.diagnostics, storageLogCategories, this);
        }

        this.registerOutputs({
            id: this.id,
            accountName: this.accountName,
            blobEndpoint: this.blobEndpoint,
            queueEndpoint: this.queueEndpoint,
            tableEndpoint: this.tableEndpoint,
        });
    }

    /** The whole account as a grant target. Prefer `containerTarget` and friends: narrower is better. */
    public asTarget(): GrantTarget {
        return { kind: "storageAccount", name: this.name, id: this.id };
    }

    /** One declared container as a grant target (`Storage Blob Data Reader` on just that container). */
    public containerTarget(container: string): GrantTarget {
        return { kind: "container", name: `${this.name}/${container}`, id: this.child("container", this.containers, container).id };
    }

    /** One declared queue as a grant target. */
    public queueTarget(queue: string): GrantTarget {
        return { kind: "queue", name: `${this.name}/${queue}`, id: this.child("queue", this.queues, queue).id };
    }

    /** One declared table as a grant target. */
    public tableTarget(table: string): GrantTarget {
        return { kind: "table", name: `${this.name}/${table}`, id: this.child("table", this.tables, table).id };
    }

    private child<T>(kind: StorageChildKind, declared: Readonly<Record<string, T>>, name: string): T {
        const found = Object.prototype.hasOwnProperty.call(declared, name) ? declared[name] : undefined;
        if (found === undefined) {
            const known = Object.keys(declared);
            throw new ProblemsError(`KeylessStorage "${this.name}"`, [
                `${kind}s has no "${name}"; declared: ${known.length > 0 ? known.join(", ") : "none"}. Add it to ${kind}s to grant on it.`,
            ]);
        }
        return found;
    }
}
