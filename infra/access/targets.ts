import { builtInRoles, BuiltInRoleName, RoleScopeKind } from "./roles";

/**
 * The one catalog of what a role grant can point at. The stack config resolves grants with it, the components
 * label their targets with its kinds, and the offline plan reads declared resources back through it, so a kind
 * is described once: its azure-native type tokens, its human label, the kind it lives inside, and how stack
 * config names it.
 */
export type TargetKind = Exclude<RoleScopeKind, "any">;

export interface TargetKindInfo {
    /** Human label, as the plan and messages print it: "Service Bus queue". */
    readonly label: string;
    /** azure-native type tokens whose resources are of this kind. */
    readonly types: readonly string[];
    /** The kind this one lives inside; its name is then `<parent>/<child>`. */
    readonly parent?: TargetKind;
    /** The grant key that names it in stack config (`vault`, `container`, ...), where config can name it. */
    readonly configKey?: string;
    /** For a service: the stack config section that declares it. For a child: the parent's field listing children. */
    readonly configField?: string;
}

export const targetKinds: Readonly<Record<TargetKind, TargetKindInfo>> = {
    vault: { label: "vault", types: ["azure-native:keyvault:Vault"], configKey: "vault", configField: "vaults" },
    // Key Vault RBAC can be scoped to one secret or key (https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
    secret: { label: "secret", types: ["azure-native:keyvault:Secret"], parent: "vault", configKey: "secret", configField: "secrets" },
    key: { label: "key", types: ["azure-native:keyvault:Key"], parent: "vault" },
    storageAccount: { label: "storage account", types: ["azure-native:storage:StorageAccount"], configKey: "storage", configField: "storage" },
    container: { label: "container", types: ["azure-native:storage:BlobContainer"], parent: "storageAccount", configKey: "container", configField: "containers" },
    queue: { label: "queue", types: ["azure-native:storage:Queue"], parent: "storageAccount", configKey: "queue", configField: "queues" },
    table: { label: "table", types: ["azure-native:storage:Table"], parent: "storageAccount", configKey: "table", configField: "tables" },
    registry: { label: "registry", types: ["azure-native:containerregistry:Registry"], configKey: "registry", configField: "registries" },
    serviceBus: { label: "Service Bus namespace", types: ["azure-native:servicebus:Namespace"], configKey: "serviceBus", configField: "serviceBus" },
    serviceBusQueue: { label: "Service Bus queue", types: ["azure-native:servicebus:Queue"], parent: "serviceBus", configKey: "queue", configField: "queues" },
    serviceBusTopic: { label: "Service Bus topic", types: ["azure-native:servicebus:Topic"], parent: "serviceBus", configKey: "topic", configField: "topics" },
    eventHub: { label: "Event Hubs namespace", types: ["azure-native:eventhub:Namespace"], configKey: "eventHubs", configField: "eventHubs" },
    eventHubInstance: { label: "event hub", types: ["azure-native:eventhub:EventHub"], parent: "eventHub", configKey: "hub", configField: "hubs" },
    cognitiveServices: { label: "AI services account", types: ["azure-native:cognitiveservices:Account"] },
    aksCluster: { label: "AKS cluster", types: ["azure-native:containerservice:ManagedCluster"] },
    resourceGroup: { label: "resource group", types: ["azure-native:resources:ResourceGroup"] },
    identity: { label: "identity", types: ["azure-native:managedidentity:UserAssignedIdentity"] },
    // Declared inline on their virtual network; a grant's scope is `<vnet id>/subnets/<name>`.
    subnet: { label: "subnet", types: ["azure-native:network:Subnet"] },
};

/** Kinds the plan shows that no grant names directly: scopes above a resource, and declared workloads. */
const otherLabels: Readonly<Record<string, string>> = {
    subscription: "subscription",
    managementGroup: "management group",
    sqlServer: "SQL server",
    sqlDatabase: "SQL database",
    site: "site",
    virtualMachine: "virtual machine",
    logicApp: "Logic App",
    containerGroup: "container group",
    resource: "resource",
    unknown: "unknown scope",
};
const otherTypes: Readonly<Record<string, string>> = {
    "azure-native:sql:Server": "sqlServer",
    "azure-native:sql:Database": "sqlDatabase",
    "azure-native:web:WebApp": "site",
    "azure-native:compute:VirtualMachine": "virtualMachine",
    "azure-native:logic:Workflow": "logicApp",
    "azure-native:containerinstance:ContainerGroup": "containerGroup",
};
const childOfOther = new Set(["sqlDatabase"]);

const kindByType = new Map<string, string>([
    ...Object.entries(targetKinds).flatMap(([kind, info]) => info.types.map((type): [string, string] => [type, kind])),
    ...Object.entries(otherTypes),
]);

export function isTargetKind(kind: string): kind is TargetKind {
    return Object.prototype.hasOwnProperty.call(targetKinds, kind);
}

/** The kind of a declared resource by its type token, or undefined for a type the catalog does not know. */
export function targetKindOfType(type: string): string | undefined {
    return kindByType.get(type);
}

export function describeTargetKind(kind: string): string {
    return isTargetKind(kind) ? targetKinds[kind].label : (otherLabels[kind] ?? kind);
}

/** True for kinds that live inside another resource and are named `parent/child`. */
export function isChildKind(kind: string): boolean {
    return isTargetKind(kind) ? targetKinds[kind].parent !== undefined : childOfOther.has(kind);
}

/** The kinds that live inside `kind`, narrowest scopes a role may name instead of the whole resource. */
export function narrowerKinds(kind: string): TargetKind[] {
    return (Object.keys(targetKinds) as TargetKind[]).filter((child) => targetKinds[child].parent === kind);
}

/** Services a stack config grant can name at top level (`vault:`, `storage:`, ...). */
export function configServiceKinds(): TargetKind[] {
    return (Object.keys(targetKinds) as TargetKind[]).filter((kind) => targetKinds[kind].configKey !== undefined && targetKinds[kind].parent === undefined);
}

/** The child kinds stack config can name inside a service (`container:` inside `storage:`). */
export function configChildKinds(service: TargetKind): TargetKind[] {
    return narrowerKinds(service).filter((kind) => targetKinds[kind].configKey !== undefined);
}

/** Built-in roles meant for a kind, from the role catalog. */
export function rolesForKind(kind: TargetKind): BuiltInRoleName[] {
    return (Object.keys(builtInRoles) as BuiltInRoleName[]).filter((name) => (builtInRoles[name].scopes as readonly string[]).includes(kind));
}
