/**
 * The offline plan document: what `npm run plan -- --format json` prints and `npm run plan:diff` reads.
 * `plan.schema.json` is its JSON Schema; `docs/plan.md` documents every field. Bump `planSchemaVersion`
 * on any change that an existing reader could misread (a renamed or retyped field), not on additions.
 */
export const planSchemaVersion = 2;

export type IdentityKind = "userAssigned" | "systemAssigned" | "external";

/** An image a container group pulls from a registry the stack declares: it must be pushed before the first `pulumi up`. */
export interface PlanImage {
    /** The workload (component) that pulls it. */
    workload: string;
    /** The registry's logical name in stack config. */
    registry: string;
    /** `repository:tag` or `repository@sha256:...`, without the login server (computed at deploy time). */
    image: string;
}

export interface PlanResource {
    urn: string;
    /** Pulumi type token, such as `azure-native:keyvault:Vault` or `keyless:web:WebApp`. */
    type: string;
    /** Logical (Pulumi) name. */
    name: string;
    /** URN of the parent resource; null for resources directly under the stack. */
    parent: string | null;
    /** Logical name of the top-level component the resource belongs to; null for a top-level cloud resource. */
    component: string | null;
    /** True for a cloud resource, false for a component. */
    custom: boolean;
    /** `sha256:<hex>` of the inputs (sorted keys, secret inputs replaced by a placeholder). */
    inputsHash: string;
}

export interface PlanTotals {
    resources: number;
    /** Cloud (custom) resources. */
    custom: number;
    components: number;
    /** Resource count per type token, both cloud resources and components. */
    byType: Record<string, number>;
}

export interface PlanWorkload {
    /** Human name: the logical name of the component that declares it. */
    name: string;
    /** Component type (`WebApp`, `LinuxVm`) or the resource type when it has no component. */
    type: string;
    /** URN of the resource that carries the identity; absent for a federated workload outside the stack. */
    urn?: string;
    identityKinds: IdentityKind[];
    /** Identity names, as in `identities[].name`. */
    identities: string[];
}

export interface PlanIdentity {
    /** A user-assigned identity's logical name, a system-assigned identity's workload name, or an external principal ID. */
    name: string;
    kind: IdentityKind;
    /** Workloads that authenticate as this identity. */
    workloads: string[];
    urn?: string;
}

export type ScopeKind = string;

export interface PlanScope {
    /** The ARM resource ID, as the program declares it (a stand-in offline). */
    id: string;
    /** `vault`, `storageAccount`, `container`, `queue`, `table`, `registry`, `resourceGroup`, `subscription`, ... */
    kind: ScopeKind;
    /** Human name: `app-secrets`, `appdata/stock`, `rg-keyless-dev`. */
    name: string;
    /** True when the scope is a resource the stack declares. */
    declared: boolean;
}

export interface PlanGrant {
    /** URN of the role assignment. */
    urn: string;
    identity: string;
    identityKind: IdentityKind;
    workloads: string[];
    /** Catalog name (`Key Vault Secrets User`), or `role <GUID>` for a role the catalog does not know. */
    role: string;
    roleId: string;
    privileged: boolean;
    /** The role can change or delete data. */
    writes: boolean;
    scope: PlanScope;
    /** Broader than one resource needs: a resource group, a subscription, or a whole account when the role works on a container. */
    broad: boolean;
    broadReason?: string;
    /** `config` when the stack config names this grant, `component` when a component adds it (host storage, AKS). */
    origin: "config" | "component";
    /** `encryption` for a service's own customer-managed key (Key Vault Crypto Service Encryption User on the key). */
    purpose?: "encryption";
    /** Whether the network lets every workload carrying the identity reach the scope (see `network.edges`). */
    network: PlanGrantNetwork;
}

/**
 * A verdict of the reachability check: the path that works (`private-endpoint`, `service-endpoint`,
 * `trusted-service`, `firewall-ip`, `public`, or `control-plane` for a scope no firewall guards), `unreachable`,
 * or `unknown` when the declared resources do not say.
 */
export type NetworkVerdict = "private-endpoint" | "service-endpoint" | "trusted-service" | "firewall-ip" | "public" | "control-plane" | "unreachable" | "unknown";

export interface PlanGrantNetwork {
    verdict: NetworkVerdict;
    reason: string;
    /** Only when unreachable. */
    fix?: string;
}

export interface PlanNetworkEdge {
    kind: "role-assignment" | "keyvault-reference" | "identity-connection" | "database-grant" | "key-access";
    /** URN of the role assignment or of the site holding the setting; `server/database` for a database grant. */
    declaredBy: string;
    identity: string;
    /** The calling workload, by its plan name; null when no workload of the stack carries the identity. */
    source: string | null;
    /** The data service called, by its plan name; null for a control-plane grant. */
    target: string | null;
    /** The sub-service called, which is also the private endpoint group ID it needs (`blob`, `vault`, `sqlServer`). */
    service: string | null;
    /** Role name, `setting NAME`, or `database NAME`. */
    detail: string;
    verdict: NetworkVerdict;
    reason: string;
    fix?: string;
}

export interface PlanNetwork {
    /** Edges per verdict. */
    counts: Record<string, number>;
    edges: PlanNetworkEdge[];
}

export interface PlanDatabaseGrant {
    identity: string;
    workload?: string;
    server?: string;
    database: string;
    roles: string[];
    /** Always `T-SQL script`: ARM cannot create database users, an operator runs the generated script. */
    appliedBy: "T-SQL script";
}

export interface PlanFinding {
    rule: string;
    level: "mandatory" | "advisory";
    resource: string;
    message: string;
}

export interface PlanDocument {
    schemaVersion: typeof planSchemaVersion;
    stack: string;
    /** Only with `--timestamp`, so that two runs of the same code give the same bytes. */
    generatedAt?: string;
    resources: PlanResource[];
    totals: PlanTotals;
    workloads: PlanWorkload[];
    identities: PlanIdentity[];
    grants: PlanGrant[];
    databaseGrants: PlanDatabaseGrant[];
    /** Every access edge with the network's verdict: role assignments, Key Vault references, identity-based settings, database grants. */
    network: PlanNetwork;
    /** Images to push before the first `pulumi up` (absent in plans made before it was added). */
    images?: PlanImage[];
    policy: {
        /** The `--policy-pack-config` file used, relative to the repository; null for the rules' default levels. */
        config: string | null;
        violations: PlanFinding[];
    };
    notes: string[];
}
