import * as vm from "vm";
import * as pulumi from "@pulumi/pulumi";
import { uuidV5 } from "../infra/shared/naming";
import { skipUnreadPromiseTraces } from "../stacks/promiseTraces";

/**
 * Runs a Pulumi program under the SDK's own mock runtime and records every resource it declares:
 * type, name, parent, inputs (with the paths that were Pulumi secrets), dependencies and options.
 * Tests, the offline plan and the benchmarks all use this one harness.
 */
export const mockSubscriptionId = "00000000-0000-4000-8000-000000000001";
export const mockTenantId = "00000000-0000-4000-8000-000000000002";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    parentUrn?: string;
    custom: boolean;
    /** Inputs as the provider would receive them, with Pulumi secrets unwrapped. */
    inputs: Record<string, unknown>;
    /** Dotted paths of inputs that were Pulumi secrets when declared. */
    secretPaths: string[];
    dependencies: string[];
    protect: boolean;
    /** Input paths the engine keeps from state after creation (`ignoreChanges`). */
    ignoreChanges?: string[];
    id?: string;
    /** Outputs the mock returned (inputs plus values the cloud would compute). */
    state: Record<string, unknown>;
}

export interface MockRunOptions {
    project?: string;
    stack?: string;
    /** Raw stack config, keys fully qualified (`keyless:workloads`), values as strings like the CLI passes them. */
    config?: Record<string, string>;
    /** Config keys whose values are `secure:` in the stack file. */
    secretKeys?: string[];
}

export interface MockRun<T> {
    resources: RecordedResource[];
    outputs: T;
}

const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** Unwraps RPC secret markers, collecting the paths where they were. */
export function unwrapSecrets(value: unknown, path = "", found: string[] = []): unknown {
    if (Array.isArray(value)) {
        return value.map((item, index) => unwrapSecrets(item, `${path}[${index}]`, found));
    }
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[secretSigKey] === secretSig) {
            found.push(path);
            return unwrapSecrets(record.value, path, []);
        }
        const result: Record<string, unknown> = {};
        for (const [key, inner] of Object.entries(record)) {
            result[key] = unwrapSecrets(inner, path ? `${path}.${key}` : key, found);
        }
        return result;
    }
    return value;
}

const providerNamespaces: Record<string, string> = {
    keyvault: "Microsoft.KeyVault/vaults",
    storage: "Microsoft.Storage/storageAccounts",
    managedidentity: "Microsoft.ManagedIdentity/userAssignedIdentities",
    compute: "Microsoft.Compute/virtualMachines",
    web: "Microsoft.Web/sites",
    operationalinsights: "Microsoft.OperationalInsights/workspaces",
    network: "Microsoft.Network/virtualNetworks",
    containerregistry: "Microsoft.ContainerRegistry/registries",
    containerinstance: "Microsoft.ContainerInstance/containerGroups",
    containerservice: "Microsoft.ContainerService/managedClusters",
    logic: "Microsoft.Logic/workflows",
    sql: "Microsoft.Sql/servers",
    servicebus: "Microsoft.ServiceBus/namespaces",
    eventhub: "Microsoft.EventHub/namespaces",
    insights: "Microsoft.Insights/components",
};

function str(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The physical name a resource would get: its explicit name input, or the logical name. */
function physical(type: string, name: string, inputs: Record<string, unknown>): string {
    const resource = type.split(":")[2] ?? "";
    const specific = `${resource.charAt(0).toLowerCase()}${resource.slice(1)}Name`;
    return (
        str(inputs[specific]) ??
        str(inputs.resourceName) ??
        str(inputs.name) ??
        str(inputs.vaultName) ??
        str(inputs.accountName) ??
        str(inputs.vmName) ??
        name
    );
}

/** A plausible ARM resource ID, so that scopes and references look as they would in Azure. */
export function mockResourceId(type: string, name: string, inputs: Record<string, unknown>): string {
    const [, module, resource] = type.split(":");
    const sub = `/subscriptions/${mockSubscriptionId}`;
    const group = `${sub}/resourceGroups/${str(inputs.resourceGroupName) ?? "rg"}`;
    const own = physical(type, name, inputs);
    switch (`${module}:${resource}`) {
        case "resources:ResourceGroup":
            return `${sub}/resourceGroups/${str(inputs.resourceGroupName) ?? name}`;
        case "storage:BlobContainer":
            return `${group}/providers/Microsoft.Storage/storageAccounts/${str(inputs.accountName)}/blobServices/default/containers/${str(inputs.containerName) ?? name}`;
        case "storage:Queue":
            return `${group}/providers/Microsoft.Storage/storageAccounts/${str(inputs.accountName)}/queueServices/default/queues/${str(inputs.queueName) ?? name}`;
        case "storage:Table":
            return `${group}/providers/Microsoft.Storage/storageAccounts/${str(inputs.accountName)}/tableServices/default/tables/${str(inputs.tableName) ?? name}`;
        case "keyvault:Secret":
            return `${group}/providers/Microsoft.KeyVault/vaults/${str(inputs.vaultName)}/secrets/${str(inputs.secretName) ?? name}`;
        case "keyvault:Key":
            return `${group}/providers/Microsoft.KeyVault/vaults/${str(inputs.vaultName)}/keys/${str(inputs.keyName) ?? name}`;
        case "managedidentity:FederatedIdentityCredential":
            return `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${str(inputs.resourceName)}/federatedIdentityCredentials/${str(inputs.federatedIdentityCredentialResourceName) ?? name}`;
        case "authorization:RoleAssignment":
            return `${str(inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${str(inputs.roleAssignmentName) ?? name}`;
        case "authorization:RoleDefinition":
            return `${str(inputs.scope)}/providers/Microsoft.Authorization/roleDefinitions/${str(inputs.roleDefinitionId) ?? name}`;
        case "authorization:ManagementLockByScope":
            return `${str(inputs.scope)}/providers/Microsoft.Authorization/locks/${str(inputs.lockName) ?? name}`;
        case "web:AppServicePlan":
            return `${group}/providers/Microsoft.Web/serverfarms/${own}`;
        case "compute:Disk":
            return `${group}/providers/Microsoft.Compute/disks/${own}`;
        case "network:Subnet":
            return `${group}/providers/Microsoft.Network/virtualNetworks/${str(inputs.virtualNetworkName)}/subnets/${str(inputs.subnetName) ?? name}`;
        case "network:NetworkInterface":
            return `${group}/providers/Microsoft.Network/networkInterfaces/${own}`;
        case "network:NetworkSecurityGroup":
            return `${group}/providers/Microsoft.Network/networkSecurityGroups/${own}`;
        case "sql:Database":
            return `${group}/providers/Microsoft.Sql/servers/${str(inputs.serverName)}/databases/${str(inputs.databaseName) ?? name}`;
        case "sql:ServerBlobAuditingPolicy":
            return `${group}/providers/Microsoft.Sql/servers/${str(inputs.serverName)}/auditingSettings/${str(inputs.blobAuditingPolicyName) ?? "default"}`;
        case "servicebus:Queue":
            return `${group}/providers/Microsoft.ServiceBus/namespaces/${str(inputs.namespaceName)}/queues/${str(inputs.queueName) ?? name}`;
        case "servicebus:Topic":
            return `${group}/providers/Microsoft.ServiceBus/namespaces/${str(inputs.namespaceName)}/topics/${str(inputs.topicName) ?? name}`;
        case "servicebus:Subscription":
            return `${group}/providers/Microsoft.ServiceBus/namespaces/${str(inputs.namespaceName)}/topics/${str(inputs.topicName)}/subscriptions/${str(inputs.subscriptionName) ?? name}`;
        case "eventhub:EventHub":
            return `${group}/providers/Microsoft.EventHub/namespaces/${str(inputs.namespaceName)}/eventhubs/${str(inputs.eventHubName) ?? name}`;
        case "eventhub:ConsumerGroup":
            return `${group}/providers/Microsoft.EventHub/namespaces/${str(inputs.namespaceName)}/eventhubs/${str(inputs.eventHubName)}/consumergroups/${str(inputs.consumerGroupName) ?? name}`;
        default: {
            const namespace = providerNamespaces[module ?? ""] ?? `Microsoft.${module}/${resource}`;
            return `${group}/providers/${namespace}/${own}`;
        }
    }
}

/** Values Azure computes on create, filled in so that components can be exercised end to end. */
function computedState(type: string, name: string, inputs: Record<string, unknown>, id: string): Record<string, unknown> {
    const own = physical(type, name, inputs);
    switch (type) {
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                name: own,
                principalId: uuidV5(`principal:${id}`),
                clientId: uuidV5(`client:${id}`),
                tenantId: mockTenantId,
            };
        case "azure-native:keyvault:Vault":
            return { name: own, properties: { ...(inputs.properties as object), vaultUri: `https://${own}.vault.azure.net/` } };
        case "azure-native:keyvault:Secret":
            return { name: own, properties: { secretUri: `https://${str(inputs.vaultName)}.vault.azure.net/secrets/${own}`, secretUriWithVersion: `https://${str(inputs.vaultName)}.vault.azure.net/secrets/${own}/0123456789abcdef0123456789abcdef` } };
        case "azure-native:keyvault:Key":
            return { name: own, keyUri: `https://${str(inputs.vaultName)}.vault.azure.net/keys/${own}`, keyUriWithVersion: mockKeyVersionUri(str(inputs.vaultName), own) };
        case "azure-native:storage:StorageAccount":
            return {
                name: own,
                primaryEndpoints: {
                    blob: `https://${own}.blob.core.windows.net/`,
                    queue: `https://${own}.queue.core.windows.net/`,
                    table: `https://${own}.table.core.windows.net/`,
                },
            };
        case "azure-native:web:WebApp":
            return { name: own, defaultHostName: `${own}.azurewebsites.net`, identity: withPrincipal(inputs.identity, id) };
        case "azure-native:compute:VirtualMachine":
        case "azure-native:containerinstance:ContainerGroup":
        case "azure-native:logic:Workflow":
            return { name: own, identity: withPrincipal(inputs.identity, id) };
        case "azure-native:containerservice:ManagedCluster": {
            const region = (str(inputs.location) ?? "westeurope").toLowerCase().replace(/\s+/g, "");
            return {
                name: own,
                identity: withPrincipal(inputs.identity, id),
                oidcIssuerProfile: { enabled: true, issuerURL: `https://${region}.oic.prod-aks.azure.com/${mockTenantId}/${uuidV5(`oidc:${id}`)}/` },
            };
        }
        case "azure-native:containerregistry:Registry":
            return { name: own, loginServer: `${own}.azurecr.io` };
        case "azure-native:sql:Server":
            return { name: own, fullyQualifiedDomainName: `${own}.database.windows.net` };
        case "azure-native:servicebus:Namespace":
        case "azure-native:eventhub:Namespace":
            return { name: own, serviceBusEndpoint: `https://${own}.servicebus.windows.net:443/` };
        case "azure-native:operationalinsights:Workspace":
            return { name: own, customerId: uuidV5(`workspace:${id}`) };
        case "random:index/randomString:RandomString":
        case "random:index/randomPassword:RandomPassword":
            return { result: mockRandom(name, Number(inputs.length ?? 16), type.endsWith("RandomString") && inputs.upper === false) };
        case "random:index/randomUuid:RandomUuid":
            return { result: uuidV5(`uuid:${name}`) };
        default:
            return { name: own };
    }
}

/** A key's current version as Key Vault reports it: a fixed version per key, like a secret's. */
function mockKeyVersionUri(vaultName: string | undefined, keyName: string): string {
    return `https://${vaultName}.vault.azure.net/keys/${keyName}/${uuidV5(`key-version:${vaultName}/${keyName}`).replace(/-/g, "")}`;
}

function withPrincipal(identity: unknown, id: string): unknown {
    if (!identity || typeof identity !== "object") {
        return identity;
    }
    const type = String((identity as { type?: unknown }).type ?? "None");
    return type.includes("SystemAssigned")
        ? { ...(identity as object), principalId: uuidV5(`system-principal:${id}`), tenantId: mockTenantId }
        : identity;
}

/** Deterministic stand-in for a random value: stable across runs, different per resource. */
function mockRandom(seed: string, length: number, lowerOnly: boolean): string {
    const alphabet = lowerOnly ? "abcdefghijklmnopqrstuvwxyz0123456789" : "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let out = "";
    let counter = 0;
    while (out.length < length) {
        const hex = uuidV5(`random:${seed}:${counter++}`).replace(/-/g, "");
        for (let i = 0; i + 1 < hex.length && out.length < length; i += 2) {
            out += alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length];
        }
    }
    return out;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
}

/**
 * Runs `program` inside a mock stack. Each call starts from a clean runtime, so one process can run a
 * program several times (for example to prove that names are stable across runs).
 */
export async function runUnderMocks<T>(program: () => T | Promise<T>, options: MockRunOptions = {}): Promise<MockRun<T>> {
    const project = options.project ?? "keyless";
    const stack = options.stack ?? "test";
    const resources: RecordedResource[] = [];
    const pending = new Map<string, RecordedResource>();
    // As the stack's entry point does under `pulumi up`; this harness also runs components without it.
    skipUnreadPromiseTraces();

    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
                const secretPaths: string[] = [];
                const inputs = unwrapSecrets(args.inputs, "", secretPaths) as Record<string, unknown>;
                const id = args.custom ? mockResourceId(args.type, args.name, inputs) : undefined;
                const record: RecordedResource = {
                    urn: "",
                    type: args.type,
                    name: args.name,
                    custom: args.custom ?? false,
                    inputs,
                    secretPaths,
                    dependencies: [],
                    protect: false,
                    id,
                    state: {},
                };
                pending.set(`${args.type}::${args.name}`, record);
                const state = { ...args.inputs, ...(id ? computedState(args.type, args.name, inputs, id) : {}) };
                record.state = unwrapSecrets(state) as Record<string, unknown>;
                return { id: id ?? `${args.name}_id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
                switch (args.token) {
                    case "azure-native:authorization:getClientConfig":
                        return { subscriptionId: mockSubscriptionId, tenantId: mockTenantId, clientId: uuidV5("client:deployer"), objectId: uuidV5("principal:deployer") };
                    case "azure-native:keyvault:getKey": {
                        const vaultName = str(args.inputs.vaultName);
                        const keyName = str(args.inputs.keyName) ?? "key";
                        return { ...args.inputs, name: keyName, keyUri: `https://${vaultName}.vault.azure.net/keys/${keyName}`, keyUriWithVersion: mockKeyVersionUri(vaultName, keyName) };
                    }
                    default:
                        return args.inputs;
                }
            },
        },
        project,
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

    // The mock monitor does not pass parents, protect or dependencies to newResource; read them off the request.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, callback: (err: unknown, response: { getUrn(): string } | undefined) => void): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            const record = pending.get(`${req.getType()}::${req.getName()}`);
            if (record && response) {
                record.urn = response.getUrn();
                record.parentUrn = req.getParent() || undefined;
                record.protect = req.getProtect();
                record.dependencies = req.getDependenciesList();
                record.ignoreChanges = req.getIgnorechangesList();
                resources.push(record);
            }
            callback(err, response);
        });

    // A failure inside an apply (for example requireSecretInput refusing an Output that is not secret) reaches
    // the SDK as an unhandled rejection, which is how `pulumi up` reports it. Collect those during the run so
    // that the run rejects with the program's own message instead of crashing the process.
    const host = hostProcess();
    const previousListeners = host.listeners("unhandledRejection");
    const failures: unknown[] = [];
    const collect = (reason: unknown) => {
        failures.push(reason);
    };
    host.removeAllListeners("unhandledRejection");
    host.on("unhandledRejection", collect);
    let outputs: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // A program that throws (a config or argument error) is reported like any other failure, after
            // the registrations it already started have settled.
            try {
                outputs = await program();
            } catch (error) {
                failures.push(error);
                return {};
            }
            return outputs as Record<string, unknown>;
        });
        // Wait for every registration the program started, including those behind apply().
        const settings = await import("@pulumi/pulumi/runtime/settings");
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        // Node reports unhandled rejections once the promise queue drains; give them that turn.
        await new Promise((resolve) => setImmediate(resolve));
    } finally {
        host.removeListener("unhandledRejection", collect);
        for (const listener of previousListeners) {
            host.on("unhandledRejection", listener as (...args: unknown[]) => void);
        }
    }
    if (failures.length > 0) {
        const messages = [...new Set(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))))];
        throw new Error(`The program failed:\n${messages.join("\n")}`);
    }
    return { resources: resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack"), outputs: outputs as T };
}

/**
 * The process that Node emits unhandled rejections on. Jest gives each test file a copy of `process` that never
 * receives them, so the real one is read from the main context.
 */
function hostProcess(): NodeJS.Process {
    return vm.runInThisContext("process") as NodeJS.Process;
}

/** Resolves an Output's value in a mock run (tests and the offline plan only). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}
