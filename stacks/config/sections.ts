import { z } from "zod";
import { MessagingSku } from "../../infra/messaging/names";
import { storageSkus } from "../../infra/storage/KeylessStorage";
import { cidr, guid, identitySchema, ipOrCidr, region, secretSource, storageChildName, entityName, vaultSecretName } from "./fields";

/**
 * The stack config sections other than `workloads`, one schema each. They are parsed one at a time, so that a
 * type error in one section never hides the problems of another.
 */

/**
 * A private endpoint beyond those a privateNetwork stack derives: `subnet` names one of the stack's subnets,
 * `service` the sub-resource (blob, queue, table, file on storage), `privateDnsZone` an existing zone's ID.
 */
const privateEndpointSchema = z.strictObject({
    subnet: z.string(),
    service: z.string().optional(),
    privateDnsZone: z.string().optional(),
});
const privateEndpoints = z.array(privateEndpointSchema).default([]);
export type PrivateEndpointConfig = z.output<typeof privateEndpointSchema>;

/**
 * Set `false` on a data service to keep Microsoft-managed keys while `hardening.encryption.customerManagedKeys` is
 * on (a registry must say so: see encryption.ts). Defaults to the hardening setting.
 */
const customerManagedKey = z.boolean().optional();

const vaultSchema = z.strictObject({
    sku: z.enum(["standard", "premium"]).default("standard"),
    secrets: z.record(vaultSecretName, secretSource).default({}),
    privateEndpoints,
});

const storageSchema = z.strictObject({
    sku: z.enum(storageSkus).default("Standard_LRS"),
    containers: z.array(storageChildName("container")).default([]),
    queues: z.array(storageChildName("queue")).default([]),
    tables: z.array(storageChildName("table")).default([]),
    privateEndpoints,
    customerManagedKey,
});

// Basic has no topics and Event Hubs Basic keeps one consumer group: stacks use Standard or Premium.
const premiumOrStandard = z.enum(["Standard", "Premium"] satisfies MessagingSku[]);

const registrySchema = z.strictObject({ sku: z.enum(["Basic", "Standard", "Premium"]).default("Standard"), privateEndpoints, customerManagedKey });
const serviceBusSchema = z.strictObject({
    sku: premiumOrStandard.default("Standard"),
    queues: z.array(entityName(260)).default([]),
    topics: z.array(entityName(260)).default([]),
    privateEndpoints,
    customerManagedKey,
});
const eventHubsSchema = z.strictObject({
    sku: premiumOrStandard.default("Standard"),
    hubs: z.array(entityName(256)).default([]),
    privateEndpoints,
    customerManagedKey,
});
const sqlServerSchema = z.strictObject({
    admin: z.strictObject({
        login: z.string().min(1),
        objectId: guid,
        type: z.enum(["Group", "Application", "User"]).default("Group"),
    }),
    databases: z.array(storageChildName("container")).min(1, "declare at least one database"),
    privateEndpoints,
    customerManagedKey,
});

const networkSchema = z.strictObject({
    addressSpace: cidr,
    subnets: z.record(z.string(), z.union([cidr, z.strictObject({ addressPrefix: cidr, delegation: z.string().optional() })])),
    /**
     * The operators' public egress ranges, admitted by the vault and storage firewalls. Required without
     * `hardening.privateNetwork` (docs/deploy.md, "Operator access"); refused with it, where nothing public gets in.
     */
    allowedIps: z.array(ipOrCidr).default([]),
    /**
     * The subnet private endpoints go in (no delegation). Required when the stack declares a SQL server (which
     * has no public endpoint) or sets `hardening.privateNetwork`.
     */
    endpointSubnet: z.string().optional(),
});

const hardeningSchema = z.strictObject({
    /** CanNotDelete locks on vaults, identities and data services. */
    locks: z.boolean().default(false),
    /** `protect: true` on the vaults, so `pulumi destroy` refuses to delete them. */
    protect: z.boolean().default(false),
    /**
     * No public network access on any vault, storage account, SQL server, registry or messaging namespace: a
     * private endpoint in `network.endpointSubnet` for every sub-service a workload uses, privatelink DNS zones
     * linked to the VNet, every Function and web app VNet-integrated with all traffic routed through it, and
     * AKS API servers private.
     */
    privateNetwork: z.boolean().default(false),
    /**
     * `customerManagedKeys: true` encrypts every storage account, SQL server and Service Bus and Event Hubs namespace
     * with its own key in `vault` (a `vaults` entry, which then admits trusted Azure services), read by its own
     * user-assigned identity. See encryption.ts.
     */
    encryption: z.strictObject({ customerManagedKeys: z.boolean().default(false), vault: z.string().optional() }).default({ customerManagedKeys: false }),
});

/**
 * The environment a stack treats as production: `keyless:environment: prod`. There, container images must be
 * pinned (a version tag or a digest; never `latest` or no tag), so a deploy runs the image that was reviewed.
 */
export const productionEnvironment = "prod";

export function isProduction(environment: string | undefined): boolean {
    return environment === productionEnvironment;
}

/** Every section but `workloads`, by its config key. Record keys are names checked in `names.ts`. */
export const sectionSchemas = {
    environment: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "expected 2-10 lowercase letters or digits such as dev or prod"),
    location: region,
    /**
     * The resource group the stack deploys into. Defaults to creating `rg-<project>-<environment>`; with
     * `existing: true` the stack uses a group made beforehand (the bootstrap makes one per stack).
     */
    resourceGroup: z
        .strictObject({
            name: z.string().regex(/^[-\w._()]{1,89}[-\w_()]$/, "expected a resource group name (letters, digits, '-', '_', '.', '(', ')')"),
            existing: z.boolean().default(false),
        })
        .optional(),
    hardening: hardeningSchema.default({ locks: false, protect: false, privateNetwork: false, encryption: { customerManagedKeys: false } }),
    network: networkSchema,
    monitoring: z.strictObject({ retentionDays: z.number().int().min(30).max(730).default(30) }).default({ retentionDays: 30 }),
    vaults: z.record(z.string(), vaultSchema).default({}),
    storage: z.record(z.string(), storageSchema).default({}),
    registries: z.record(z.string(), registrySchema).default({}),
    serviceBus: z.record(z.string(), serviceBusSchema).default({}),
    eventHubs: z.record(z.string(), eventHubsSchema).default({}),
    sqlServers: z.record(z.string(), sqlServerSchema).default({}),
    identities: z.record(z.string(), identitySchema).default({}),
} as const;

export type SectionKey = keyof typeof sectionSchemas;
export type Sections = { [K in SectionKey]: z.output<(typeof sectionSchemas)[K]> };
export type VaultConfig = Sections["vaults"][string];
export type StorageConfig = Sections["storage"][string];
