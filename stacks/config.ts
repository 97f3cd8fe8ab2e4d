import { z } from "zod";
import { checkGrant, TargetKind } from "../infra/access/grants";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { editDistance, resolveRole } from "../infra/access/roles";
import { ipRuleProblem } from "../infra/shared/network";
import { isAzureRegion, normalizeRegion } from "../infra/shared/regions";
import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../infra/shared/cidr";
import { validateSshPublicKey } from "../infra/compute/ssh";
import { credentialsIn, isSecretLikeName, plainValueProblem } from "../infra/shared/plainValues";
import { maskSecret } from "@keyless/detect";

/**
 * The one module that reads and validates stack config. Everything a stack declares is data in
 * `Pulumi.<stack>.yaml` under the `keyless:` namespace; this module turns it into typed values or fails with
 * one message per problem (key path, bad value, what is expected) before any resource is declared.
 */

export const configNamespace = "keyless";

export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

const nameRule = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
const resourceName = z
    .string()
    .regex(nameRule, "expected 3-24 lowercase letters, digits or '-', starting with a letter and not ending with '-'");
const region = z
    .string()
    .refine(isAzureRegion, "expected an Azure region name such as westeurope or eastus2")
    .transform(normalizeRegion);
function tryParseCidr(value: string): Ipv4Cidr | undefined {
    try {
        return parseCidr(value);
    } catch {
        return undefined;
    }
}
const cidr = z.string().superRefine((value, ctx) => {
        try {
            parseCidr(value);
        } catch (error) {
            ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
    });
const ipOrCidr = z.string().superRefine((value, ctx) => {
    // Vault and storage firewalls share these entries; storage is the stricter of the two.
    const problem = ipRuleProblem("allowed IP", value, { refuseHostPrefixes: true });
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});
const sshPublicKey = z.string().superRefine((value, ctx) => {
    try {
        validateSshPublicKey(value);
    } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
});
const containerName = z.string().regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, "expected 3-63 lowercase letters, digits and single hyphens");
const tableName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, "expected 3-63 letters or digits, starting with a letter");
const configKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "expected a config key name such as paymentsApiKey");

const federatedCredential = z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/, "expected letters, digits, '-' or '_'"),
    issuer: z.string().url("expected an https issuer URL"),
    subject: z.string().min(1),
    audiences: z.array(z.string()).optional(),
});

const identitySchema = z.strictObject({
    federatedCredentials: z.array(federatedCredential).max(20, "an identity takes at most 20 federated credentials").default([]),
});

const secretSource = z.union([
    z.strictObject({
        generate: z.strictObject({
            length: z.number().int().min(16, "generated secrets are at least 16 characters").max(256).default(32),
            special: z.boolean().default(true),
        }),
    }),
    z.strictObject({ config: configKey }),
]);

const vaultSchema = z.strictObject({
    sku: z.enum(["standard", "premium"]).default("standard"),
    secrets: z.record(z.string().regex(/^[A-Za-z0-9-]{1,127}$/, "expected 1-127 letters, digits or '-'"), secretSource).default({}),
});

const storageSchema = z.strictObject({
    sku: z.enum(["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS"]).default("Standard_LRS"),
    containers: z.array(containerName).default([]),
    queues: z.array(containerName).default([]),
    tables: z.array(tableName).default([]),
});

const registrySchema = z.strictObject({ sku: z.enum(["Basic", "Standard", "Premium"]).default("Standard") });
const serviceBusSchema = z.strictObject({
    sku: z.enum(["Standard", "Premium"]).default("Standard"),
    queues: z.array(containerName).default([]),
    topics: z.array(containerName).default([]),
});
const eventHubsSchema = z.strictObject({
    sku: z.enum(["Standard", "Premium"]).default("Standard"),
    hubs: z.array(containerName).default([]),
});
const guid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "expected a GUID");
const sqlServerSchema = z.strictObject({
    admin: z.strictObject({
        login: z.string().min(1),
        objectId: guid,
        type: z.enum(["Group", "Application", "User"]).default("Group"),
    }),
    databases: z.array(containerName).min(1, "declare at least one database"),
});

/** An RBAC grant, written flat: `{ role: Key Vault Secrets User, vault: app-secrets }`. */
const rbacAccess = z.strictObject({
    role: z.string().min(1),
    identity: z.string().optional(),
    vault: z.string().optional(),
    storage: z.string().optional(),
    container: z.string().optional(),
    queue: z.string().optional(),
    table: z.string().optional(),
    topic: z.string().optional(),
    hub: z.string().optional(),
    registry: z.string().optional(),
    serviceBus: z.string().optional(),
    eventHubs: z.string().optional(),
});
/** A database-level grant, which ARM cannot make: it becomes a T-SQL script output. */
const sqlAccess = z.strictObject({
    sqlDatabase: z.string().regex(/^[a-z][a-z0-9-]+\/[a-z0-9-]+$/, "expected SERVER/DATABASE"),
    roles: z.array(z.enum(["db_datareader", "db_datawriter", "db_ddladmin"])).min(1),
    identity: z.string().optional(),
});
const accessEntry = z.union([sqlAccess, rbacAccess]);

const workloadIdentity = z.strictObject({
    systemAssigned: z.boolean().default(false),
    userAssigned: z.array(z.string()).default([]),
});

const appSetting = z.union([
    z.string(),
    z.strictObject({ secret: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9-]+$/, "expected VAULT/SECRET") }),
    z.strictObject({ storage: z.string(), service: z.enum(["blob", "queue", "table"]).default("blob") }),
]);

const common = {
    name: resourceName,
    identity: workloadIdentity.default({ systemAssigned: false, userAssigned: [] }),
    access: z.array(accessEntry).default([]),
};

const linuxVm = z.strictObject({
    ...common,
    kind: z.literal("linuxVm"),
    subnet: z.string(),
    sshPublicKey,
    size: z.string().default("Standard_D2s_v5"),
    adminUsername: z.string().default("azureuser"),
    publicIp: z.boolean().default(false),
    app: z.strictObject({ secret: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9-]+$/, "expected VAULT/SECRET") }).optional(),
});
const windowsVm = z.strictObject({
    ...common,
    kind: z.literal("windowsVm"),
    subnet: z.string(),
    size: z.string().default("Standard_D2s_v5"),
    passwordVault: z.string(),
});
const webApp = z.strictObject({
    ...common,
    kind: z.literal("webApp"),
    sku: z.string().default("B1"),
    subnet: z.string().optional(),
    settings: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "expected an app setting name"), appSetting).default({}),
});
const functionApp = z.strictObject({
    ...common,
    kind: z.literal("functionApp"),
    sku: z.string().default("B1"),
    runtime: z.enum(["node", "python", "dotnet-isolated", "java"]).default("node"),
    hostStorage: z.string(),
    subnet: z.string().optional(),
    settings: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "expected an app setting name"), appSetting).default({}),
});
const containerGroup = z.strictObject({
    ...common,
    kind: z.literal("containerGroup"),
    image: z.string().min(1),
    registry: z.string(),
    cpu: z.number().positive().max(4).default(1),
    memoryGb: z.number().positive().max(16).default(1.5),
    env: z.record(z.string(), z.string()).default({}),
    /** Values that must be secrets, read from `secure:` config keys. */
    secureEnv: z.record(z.string(), configKey).default({}),
    subnet: z.string().optional(),
});
const aksCluster = z.strictObject({
    ...common,
    kind: z.literal("aksCluster"),
    registry: z.string(),
    nodeCount: z.number().int().min(1).max(100).default(2),
    nodeSize: z.string().default("Standard_D2s_v5"),
    adminGroupObjectIds: z.array(guid).default([]),
    serviceAccounts: z
        .array(z.strictObject({ namespace: z.string(), name: z.string(), identity: z.string() }))
        .default([]),
});
const logicApp = z.strictObject({
    ...common,
    kind: z.literal("logicApp"),
    readsBlob: z.strictObject({ storage: z.string(), container: z.string(), path: z.string().min(1) }).optional(),
});

const workload = z.discriminatedUnion("kind", [linuxVm, windowsVm, webApp, functionApp, containerGroup, aksCluster, logicApp]);

const networkSchema = z.strictObject({
    addressSpace: cidr,
    subnets: z.record(
        resourceName,
        z.union([cidr, z.strictObject({ addressPrefix: cidr, delegation: z.string().optional() })]),
    ),
    /** Public IPs or ranges allowed through vault and storage firewalls (an operator's office, say). */
    allowedIps: z.array(ipOrCidr).default([]),
});

const hardeningSchema = z.strictObject({
    /** CanNotDelete locks on vaults and identities. */
    locks: z.boolean().default(false),
    /** `protect: true` on the vaults, so `pulumi destroy` refuses to delete them. */
    protect: z.boolean().default(false),
    /** No public network access on vaults, storage, registries and SQL. */
    privateNetwork: z.boolean().default(false),
});

const stackSchema = z.strictObject({
    environment: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "expected 2-10 lowercase letters or digits such as dev or prod"),
    location: region,
    /**
     * The resource group the stack deploys into. Defaults to creating `rg-<project>-<environment>`; with
     * `existing: true` the stack uses a group made beforehand (the bootstrap makes one per stack, so that the
     * deploy identity needs no subscription-wide rights).
     */
    resourceGroup: z
        .strictObject({
            name: z.string().regex(/^[-\w._()]{1,89}[-\w_()]$/, "expected a resource group name (letters, digits, '-', '_', '.', '(', ')')"),
            existing: z.boolean().default(false),
        })
        .optional(),
    hardening: hardeningSchema.default({ locks: false, protect: false, privateNetwork: false }),
    network: networkSchema,
    monitoring: z.strictObject({ retentionDays: z.number().int().min(30).max(730).default(30) }).default({ retentionDays: 30 }),
    vaults: z.record(resourceName, vaultSchema).default({}),
    storage: z.record(resourceName, storageSchema).default({}),
    registries: z.record(resourceName, registrySchema).default({}),
    serviceBus: z.record(resourceName, serviceBusSchema).default({}),
    eventHubs: z.record(resourceName, eventHubsSchema).default({}),
    sqlServers: z.record(resourceName, sqlServerSchema).default({}),
    identities: z.record(resourceName, identitySchema).default({}),
    workloads: z.array(workload).default([]),
});

export type StackConfigData = z.infer<typeof stackSchema>;
export type WorkloadConfig = z.infer<typeof workload>;
export type AppSettingConfig = z.infer<typeof appSetting>;
export type SecretSourceConfig = z.infer<typeof secretSource>;

/** Where a grant points, resolved against the declared resources. */
export type GrantTargetRef =
    | { kind: "vault"; vault: string }
    | { kind: "storageAccount"; storage: string }
    | { kind: "container" | "queue" | "table"; storage: string; child: string }
    | { kind: "registry"; registry: string }
    | { kind: "serviceBus"; namespace: string }
    | { kind: "serviceBusQueue" | "serviceBusTopic"; namespace: string; child: string }
    | { kind: "eventHub"; namespace: string }
    | { kind: "eventHubInstance"; namespace: string; child: string };

export interface ResolvedGrant {
    workload: string;
    /** A user-assigned identity's name, or "system" for the workload's system-assigned identity. */
    identity: string;
    role: string;
    target: GrantTargetRef;
}

export interface ResolvedSqlGrant {
    workload: string;
    identity: string;
    server: string;
    database: string;
    roles: ("db_datareader" | "db_datawriter" | "db_ddladmin")[];
}

export interface StackConfig extends StackConfigData {
    project: string;
    /** Every RBAC grant, with its identity resolved and its target checked. */
    grants: ResolvedGrant[];
    sqlGrants: ResolvedSqlGrant[];
    /** Config keys (without namespace) that hold secrets the stack reads with requireSecret. */
    secretConfigKeys: string[];
}

const topLevelKeys = Object.keys(stackSchema.shape);

/** Config values as text, for the detector and for messages. */
function configText(value: unknown): string {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}

/** Masks anything that could be a secret (`maskSecret`: at most 4 characters, none of a short value). */
function maskConfigValue(value: unknown): string {
    return maskSecret(configText(value));
}

function describeValue(path: string, value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    const segments = path.split(/[.[\]]+/).filter((segment) => segment.length > 0);
    const text = configText(value);
    if (segments.some(isSecretLikeName) || credentialsIn(segments[segments.length - 1] ?? "", text).length > 0) {
        return `got ${maskConfigValue(value)}`;
    }
    const shown = JSON.stringify(value);
    return `got ${shown && shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}`;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${String(part)}`), configNamespace);
}

function formatZodIssue(issue: z.core.$ZodIssue): string {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
        return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
    }
    if (issue.code === "invalid_union" && "discriminator" in issue) {
        return `${path}: ${issue.message}; expected kind to be one of linuxVm, windowsVm, webApp, functionApp, containerGroup, aksCluster, logicApp`;
    }
    const input = (issue as { input?: unknown }).input;
    return `${path}: ${issue.message} (${describeValue(path, input)})`;
}

/**
 * Validates raw config. `raw` maps keys without the namespace (`workloads`) to parsed values; `secretKeys`
 * lists the keys whose values were `secure:` in the stack file. Throws ConfigError listing every problem.
 */
export function parseStackConfig(raw: Record<string, unknown>, options: { project: string; secretKeys?: Iterable<string> }): StackConfig {
    const secretKeys = new Set(options.secretKeys ?? []);
    const problems: string[] = [];
    const structured: Record<string, unknown> = {};
    const plainKeys = new Map<string, unknown>();
    for (const [key, value] of Object.entries(raw)) {
        if (topLevelKeys.includes(key)) {
            structured[key] = value;
        } else {
            plainKeys.set(key, value);
        }
    }

    const parsed = stackSchema.safeParse(structured, { reportInput: true });
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map(formatZodIssue));
    }
    const data = parsed.data;
    const grants: ResolvedGrant[] = [];
    const sqlGrants: ResolvedSqlGrant[] = [];
    const secretConfigKeys: string[] = [];

    const requireSecretKey = (path: string, key: string) => {
        if (!plainKeys.has(key)) {
            problems.push(`${path}: config key "${configNamespace}:${key}" is not set; expected a secret, set it with \`pulumi config set --secret ${configNamespace}:${key}\``);
        } else if (!secretKeys.has(key)) {
            problems.push(
                `${path}: "${configNamespace}:${key}" holds a plaintext value (${maskConfigValue(plainKeys.get(key))}) where a secret is required; ` +
                    `set it with \`pulumi config set --secret ${configNamespace}:${key}\` so the stack file stores it as secure:`,
            );
        } else {
            secretConfigKeys.push(key);
        }
    };

    // Network
    const space = tryParseCidr(data.network.addressSpace);
    const subnetEntries = Object.entries(data.network.subnets).map(([name, value]) => ({
        name,
        prefix: typeof value === "string" ? value : value.addressPrefix,
    }));
    subnetEntries.forEach((subnet, index) => {
        const path = `${configNamespace}.network.subnets.${subnet.name}`;
        const parsedSubnet = tryParseCidr(subnet.prefix);
        if (space && parsedSubnet && !cidrContains(space, parsedSubnet)) {
            problems.push(`${path}: ${subnet.prefix} is outside the address space ${data.network.addressSpace}`);
        }
        for (const other of subnetEntries.slice(index + 1)) {
            const otherParsed = tryParseCidr(other.prefix);
            if (parsedSubnet && otherParsed && cidrsOverlap(parsedSubnet, otherParsed)) {
                problems.push(`${path}: ${subnet.prefix} overlaps subnet "${other.name}" (${other.prefix})`);
            }
        }
    });

    // Vault secrets read from config must be secure: values.
    for (const [vaultName, vault] of Object.entries(data.vaults)) {
        for (const [secretName, source] of Object.entries(vault.secrets)) {
            if ("config" in source) {
                requireSecretKey(`${configNamespace}.vaults.${vaultName}.secrets.${secretName}.config`, source.config);
            }
        }
    }

    // Names are unique across everything that becomes an Azure resource with a derived name.
    const owners = new Map<string, string>();
    const claim = (path: string, name: string) => {
        const previous = owners.get(name);
        if (previous) {
            problems.push(`${path}: name "${name}" is already used by ${previous}; names must be unique across the stack`);
        } else {
            owners.set(name, path);
        }
    };
    for (const [section, entries] of [
        ["vaults", data.vaults],
        ["storage", data.storage],
        ["registries", data.registries],
        ["serviceBus", data.serviceBus],
        ["eventHubs", data.eventHubs],
        ["sqlServers", data.sqlServers],
    ] as const) {
        Object.keys(entries).forEach((name) => claim(`${configNamespace}.${section}.${name}`, name));
    }
    const workloadNames = new Set<string>();
    data.workloads.forEach((item, index) => {
        const path = `${configNamespace}.workloads[${index}].name`;
        if (workloadNames.has(item.name)) {
            problems.push(`${path}: duplicate workload name "${item.name}"; each workload needs its own name`);
        } else {
            workloadNames.add(item.name);
            claim(path, item.name);
        }
    });

    const usedIdentities = new Set<string>();
    const subnetNames = new Set(subnetEntries.map((subnet) => subnet.name));
    const checkSubnet = (path: string, subnet: string | undefined) => {
        if (subnet !== undefined && !subnetNames.has(subnet)) {
            problems.push(`${path}: unknown subnet "${subnet}"; expected one of ${[...subnetNames].join(", ") || "(none declared)"}`);
        }
    };
    const checkIn = (path: string, kind: string, name: string, declared: Record<string, unknown>): boolean => {
        if (!Object.prototype.hasOwnProperty.call(declared, name)) {
            const known = Object.keys(declared);
            problems.push(`${path}: ${kind} "${name}" is not declared; expected one of ${known.length ? known.join(", ") : "(none declared)"}`);
            return false;
        }
        return true;
    };

    data.workloads.forEach((item, index) => {
        const base = `${configNamespace}.workloads[${index}]`;
        item.identity.userAssigned.forEach((identity, i) => {
            if (checkIn(`${base}.identity.userAssigned[${i}]`, "identity", identity, data.identities)) {
                usedIdentities.add(identity);
            }
        });
        if (!item.identity.systemAssigned && item.identity.userAssigned.length === 0) {
            problems.push(`${base}.identity: workload "${item.name}" has no managed identity; expected systemAssigned: true or a userAssigned identity`);
        }
        const resolveIdentity = (path: string, requested: string | undefined): string | undefined => {
            if (requested === "system") {
                if (!item.identity.systemAssigned) {
                    problems.push(`${path}: "system" needs identity.systemAssigned: true on workload "${item.name}"`);
                    return undefined;
                }
                return "system";
            }
            if (requested !== undefined) {
                if (!item.identity.userAssigned.includes(requested)) {
                    problems.push(`${path}: identity "${requested}" is not attached to workload "${item.name}"; expected one of ${[...item.identity.userAssigned, ...(item.identity.systemAssigned ? ["system"] : [])].join(", ")}`);
                    return undefined;
                }
                return requested;
            }
            if (item.identity.userAssigned.length === 1) {
                return item.identity.userAssigned[0];
            }
            if (item.identity.userAssigned.length === 0 && item.identity.systemAssigned) {
                return "system";
            }
            if (item.identity.userAssigned.length > 1) {
                problems.push(`${path}: workload "${item.name}" has several identities; name the one that gets this grant with identity:`);
            }
            return undefined;
        };

        item.access.forEach((entry, accessIndex) => {
            const path = `${base}.access[${accessIndex}]`;
            const identity = resolveIdentity(`${path}.identity`, entry.identity);
            if ("sqlDatabase" in entry) {
                const [server, database] = entry.sqlDatabase.split("/");
                if (checkIn(`${path}.sqlDatabase`, "SQL server", server, data.sqlServers) && !data.sqlServers[server].databases.includes(database)) {
                    problems.push(`${path}.sqlDatabase: database "${database}" is not declared on SQL server "${server}"; expected one of ${data.sqlServers[server].databases.join(", ")}`);
                } else if (identity === "system") {
                    problems.push(`${path}.identity: a database grant needs a user-assigned identity, whose name the T-SQL CREATE USER can refer to; workload "${item.name}" resolves to its system-assigned identity`);
                } else if (identity) {
                    sqlGrants.push({ workload: item.name, identity, server, database, roles: entry.roles });
                }
                return;
            }
            const target = resolveTarget(path, entry, data, checkIn, problems);
            let roleOk = true;
            try {
                resolveRole(entry.role);
            } catch (error) {
                roleOk = false;
                problems.push(`${path}.role: ${(error as Error).message}`);
            }
            if (target && roleOk) {
                try {
                    checkGrant({ role: entry.role, target: { kind: target.kind as TargetKind, name: targetLabel(target), id: "" } });
                } catch (error) {
                    problems.push(`${path}.role: ${(error as Error).message}`);
                    return;
                }
                if (identity) {
                    grants.push({ workload: item.name, identity, role: resolveRole(entry.role).name, target });
                }
            }
        });

        // Judged on the declared entries, so that a typo in the grant is reported once, not twice.
        const readsVault = (vault: string) =>
            item.access.some((entry) => {
                if (!("role" in entry) || entry.vault === undefined) {
                    return false;
                }
                const role = safeRoleName(entry.role);
                const sameVault = entry.vault === vault || !Object.prototype.hasOwnProperty.call(data.vaults, entry.vault);
                return sameVault && (role === undefined || vaultReaderRoles.includes(role));
            });
        const checkSecretRef = (path: string, reference: string) => {
            const [vault, secret] = reference.split("/");
            if (checkIn(path, "vault", vault, data.vaults)) {
                if (!Object.prototype.hasOwnProperty.call(data.vaults[vault].secrets, secret)) {
                    problems.push(`${path}: secret "${secret}" is not declared in vault "${vault}"; expected one of ${Object.keys(data.vaults[vault].secrets).join(", ") || "(none declared)"}`);
                } else if (!readsVault(vault)) {
                    problems.push(`${path}: workload "${item.name}" reads ${reference} but has no Key Vault Secrets User grant on vault "${vault}"; add { role: Key Vault Secrets User, vault: ${vault} } to its access`);
                }
            }
        };

        switch (item.kind) {
            case "linuxVm":
                checkSubnet(`${base}.subnet`, item.subnet);
                if (item.app) {
                    checkSecretRef(`${base}.app.secret`, item.app.secret);
                }
                if (["root", "admin", "administrator", "guest", "user", "test"].includes(item.adminUsername.toLowerCase())) {
                    problems.push(`${base}.adminUsername: "${item.adminUsername}" is reserved by Azure; expected another user name such as azureuser`);
                }
                break;
            case "windowsVm":
                checkSubnet(`${base}.subnet`, item.subnet);
                checkIn(`${base}.passwordVault`, "vault", item.passwordVault, data.vaults);
                break;
            case "webApp":
            case "functionApp":
                checkSubnet(`${base}.subnet`, item.subnet);
                if (item.kind === "functionApp") {
                    checkIn(`${base}.hostStorage`, "storage account", item.hostStorage, data.storage);
                }
                for (const [settingName, setting] of Object.entries(item.settings)) {
                    const path = `${base}.settings.${settingName}`;
                    if (typeof setting === "string") {
                        const problem = plainValueProblem(path, settingName, setting, "Expected { secret: VAULT/SECRET }, a Key Vault reference.");
                        if (problem) {
                            problems.push(problem);
                        }
                    } else if ("secret" in setting) {
                        checkSecretRef(`${path}.secret`, setting.secret);
                    } else {
                        checkIn(`${path}.storage`, "storage account", setting.storage, data.storage);
                    }
                }
                break;
            case "containerGroup":
                checkIn(`${base}.registry`, "registry", item.registry, data.registries);
                checkSubnet(`${base}.subnet`, item.subnet);
                if (item.identity.userAssigned.length === 0) {
                    problems.push(`${base}.identity.userAssigned: a container group pulls its image with a user-assigned identity; expected one`);
                }
                for (const [key, value] of Object.entries(item.env)) {
                    const problem = plainValueProblem(
                        `${base}.env.${key}`,
                        key,
                        value,
                        "Expected secureEnv with a secure: config key, or better, read it from Key Vault with the identity.",
                    );
                    if (problem) {
                        problems.push(problem);
                    }
                }
                for (const [key, source] of Object.entries(item.secureEnv)) {
                    requireSecretKey(`${base}.secureEnv.${key}`, source);
                }
                break;
            case "aksCluster":
                checkIn(`${base}.registry`, "registry", item.registry, data.registries);
                item.serviceAccounts.forEach((account, i) => {
                    if (checkIn(`${base}.serviceAccounts[${i}].identity`, "identity", account.identity, data.identities)) {
                        usedIdentities.add(account.identity);
                    }
                    for (const [field, value] of [["namespace", account.namespace], ["name", account.name]] as const) {
                        if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
                            problems.push(`${base}.serviceAccounts[${i}].${field}: "${value}" is not a Kubernetes DNS label; expected lowercase letters, digits and '-'`);
                        }
                    }
                });
                break;
            case "logicApp":
                if (item.readsBlob && checkIn(`${base}.readsBlob.storage`, "storage account", item.readsBlob.storage, data.storage)) {
                    if (!data.storage[item.readsBlob.storage].containers.includes(item.readsBlob.container)) {
                        problems.push(`${base}.readsBlob.container: container "${item.readsBlob.container}" is not declared on storage account "${item.readsBlob.storage}"`);
                    }
                }
                break;
        }
    });

    for (const name of Object.keys(data.identities)) {
        if (!usedIdentities.has(name)) {
            problems.push(`${configNamespace}.identities.${name}: identity "${name}" is not used by any workload; attach it or remove it`);
        }
    }
    // Any other key must be a secret something above reads; anything else is most likely a typo.
    const referenced = new Set([
        ...Object.values(data.vaults).flatMap((vault) => Object.values(vault.secrets).flatMap((source) => ("config" in source ? [source.config] : []))),
        ...data.workloads.flatMap((item) => (item.kind === "containerGroup" ? Object.values(item.secureEnv) : [])),
    ]);
    for (const key of plainKeys.keys()) {
        if (!referenced.has(key)) {
            const suggestion = closestKey(key, topLevelKeys);
            problems.push(
                `${configNamespace}:${key}: unknown config key; expected one of ${topLevelKeys.join(", ")}, or a secret that a vault or container reads` +
                    (suggestion ? `. Did you mean "${suggestion}"?` : ""),
            );
        }
    }

    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { ...data, project: options.project, grants, sqlGrants, secretConfigKeys };
}

type Declared = Record<string, unknown>;

const vaultReaderRoles = ["Key Vault Secrets User", "Key Vault Secrets Officer", "Key Vault Administrator"];

function safeRoleName(reference: string): string | undefined {
    try {
        return resolveRole(reference).name;
    } catch {
        return undefined;
    }
}

function resolveTarget(
    path: string,
    entry: z.infer<typeof rbacAccess>,
    data: StackConfigData,
    checkIn: (path: string, kind: string, name: string, declared: Declared) => boolean,
    problems: string[],
): GrantTargetRef | undefined {
    const named = (["vault", "storage", "registry", "serviceBus", "eventHubs"] as const).filter((key) => entry[key] !== undefined);
    if (named.length !== 1) {
        problems.push(
            `${path}: name exactly one target (vault, storage, registry, serviceBus or eventHubs)${named.length ? `; got ${named.join(" and ")}` : ""}`,
        );
        return undefined;
    }
    // Which narrower scopes each target takes: a storage container, a Service Bus queue, one event hub.
    const childKeys = { storage: ["container", "queue", "table"], serviceBus: ["queue", "topic"], eventHubs: ["hub"] } as Record<string, string[]>;
    const children = (["container", "queue", "table", "topic", "hub"] as const).filter((key) => entry[key] !== undefined);
    const allowed = childKeys[named[0]] ?? [];
    const misplaced = children.find((key) => !allowed.includes(key));
    if (misplaced) {
        problems.push(
            `${path}.${misplaced}: a ${named[0]} target takes ${allowed.length ? `only ${allowed.join(", ")}` : "no narrower scope"}`,
        );
        return undefined;
    }
    if (children.length > 1) {
        problems.push(`${path}: name at most one of ${allowed.join(", ")}`);
        return undefined;
    }
    const narrow = (
        namespaceLabel: string,
        declared: readonly string[],
        kind: string,
        child: string,
    ): boolean => {
        if (!declared.includes(child)) {
            problems.push(`${path}.${kind}: ${kind} "${child}" is not declared on ${namespaceLabel}; expected one of ${declared.join(", ") || "(none declared)"}`);
            return false;
        }
        return true;
    };
    switch (named[0]) {
        case "vault":
            return checkIn(`${path}.vault`, "vault", entry.vault!, data.vaults) ? { kind: "vault", vault: entry.vault! } : undefined;
        case "registry":
            return checkIn(`${path}.registry`, "registry", entry.registry!, data.registries) ? { kind: "registry", registry: entry.registry! } : undefined;
        case "serviceBus": {
            const namespace = entry.serviceBus!;
            if (!checkIn(`${path}.serviceBus`, "Service Bus namespace", namespace, data.serviceBus)) {
                return undefined;
            }
            if (entry.queue !== undefined) {
                return narrow(`Service Bus namespace "${namespace}"`, data.serviceBus[namespace].queues, "queue", entry.queue)
                    ? { kind: "serviceBusQueue", namespace, child: entry.queue }
                    : undefined;
            }
            if (entry.topic !== undefined) {
                return narrow(`Service Bus namespace "${namespace}"`, data.serviceBus[namespace].topics, "topic", entry.topic)
                    ? { kind: "serviceBusTopic", namespace, child: entry.topic }
                    : undefined;
            }
            return { kind: "serviceBus", namespace };
        }
        case "eventHubs": {
            const namespace = entry.eventHubs!;
            if (!checkIn(`${path}.eventHubs`, "Event Hubs namespace", namespace, data.eventHubs)) {
                return undefined;
            }
            if (entry.hub !== undefined) {
                return narrow(`Event Hubs namespace "${namespace}"`, data.eventHubs[namespace].hubs, "hub", entry.hub)
                    ? { kind: "eventHubInstance", namespace, child: entry.hub }
                    : undefined;
            }
            return { kind: "eventHub", namespace };
        }
        case "storage": {
            const account = entry.storage!;
            if (!checkIn(`${path}.storage`, "storage account", account, data.storage)) {
                return undefined;
            }
            if (children.length === 0) {
                return { kind: "storageAccount", storage: account };
            }
            const kind = children[0] as "container" | "queue" | "table";
            const child = entry[kind]!;
            return narrow(`storage account "${account}"`, data.storage[account][`${kind}s`], kind, child) ? { kind, storage: account, child } : undefined;
        }
    }
}

/** The human label of a target, as the access review shows it. */
export function targetLabel(target: GrantTargetRef): string {
    switch (target.kind) {
        case "vault":
            return target.vault;
        case "storageAccount":
            return target.storage;
        case "container":
        case "queue":
        case "table":
            return `${target.storage}/${target.child}`;
        case "registry":
            return target.registry;
        case "serviceBus":
        case "eventHub":
            return target.namespace;
        case "serviceBusQueue":
        case "serviceBusTopic":
        case "eventHubInstance":
            return `${target.namespace}/${target.child}`;
    }
}

/** Parses a config value the way the Pulumi CLI passes it: structured values arrive as JSON text. */
export function decodeConfigValue(text: string): unknown {
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text;
        }
    }
    if (trimmed === "true" || trimmed === "false") {
        return trimmed === "true";
    }
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
        return Number(trimmed);
    }
    return text;
}

/**
 * Splits a flat `project:key` → text map, as `pulumi.runtime.allConfig()` returns it, into this project's
 * raw config. Keys of other namespaces (azure-native:location) are left out.
 */
export function namespacedConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, ...rest] = fullKey.split(":");
        if (namespace === configNamespace && rest.length > 0) {
            raw[rest.join(":")] = decodeConfigValue(text);
        }
    }
    return raw;
}

function closestKey(key: string, candidates: string[]): string | undefined {
    const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }));
    scored.sort((a, b) => a.distance - b.distance);
    return scored[0] && scored[0].distance <= 3 ? scored[0].candidate : undefined;
}

/**
 * Reads this stack's config from the Pulumi runtime. Secret keys come from the engine, which tells the
 * program which values were `secure:` in the stack file.
 */
export function readStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const raw = namespacedConfig(all);
    const secretKeys = Object.keys(raw).filter((key) => isConfigSecret(`${configNamespace}:${key}`));
    return parseStackConfig(raw, { project: pulumi.getProject(), secretKeys });
}

function isConfigSecret(fullKey: string): boolean {
    // The SDK tracks secret keys (PULUMI_CONFIG_SECRET_KEYS) but does not type the accessor.
    return (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(fullKey);
}
