/**
 * What the reachability check reads and what it answers. Input is the declared resources alone (as the offline
 * plan records them or as the policy engine hands them to a stack policy), never the stack config.
 */

/** The marker a value not known at preview carries (the policy pack's `UNKNOWN`; any other value is known). */
export type UnknownTest = (value: unknown) => boolean;

export interface NetworkResource {
    type: string;
    /** Logical (Pulumi) name. */
    name: string;
    urn?: string;
    /** ARM ID when known (offline runs know it; the engine does not send it to stack policies). */
    id?: string;
    /** Inputs or outputs: whatever the caller has. Outputs add values Azure computes (principal IDs). */
    props: Record<string, unknown>;
    dependencies?: string[];
    /** For each top-level property, URNs of the resources its value came from (the engine's property dependencies). */
    propertyDependencies?: Record<string, string[]>;
}

/** A database-level grant (T-SQL, not ARM), as the program exports it: names, not IDs. */
export interface DatabaseGrantInput {
    /** Logical name of the workload resource that connects. */
    workload: string;
    identity: string;
    /** Logical name of the SQL server resource, or its Azure name. */
    server: string;
    database: string;
}

/** `key-access`: a data service reading its customer-managed key from a vault, as the platform, with its encryption identity. */
export type EdgeKind = "role-assignment" | "keyvault-reference" | "identity-connection" | "database-grant" | "key-access";

/** The data-plane sub-service a call goes to: also the private endpoint group ID it needs. */
export type ServiceGroup = "vault" | "blob" | "queue" | "table" | "file" | "dfs" | "sqlServer" | "registry" | "namespace";

export type ReachableVia = "private-endpoint" | "service-endpoint" | "trusted-service" | "firewall-ip" | "public" | "control-plane";

export type Verdict =
    | { status: "reachable"; via: ReachableVia; reason: string }
    | { status: "unreachable"; reason: string; fix: string }
    /** The declared resources do not say (a value unknown at preview, a principal from outside the stack). */
    | { status: "unknown"; reason: string };

export interface EdgeEnd {
    name: string;
    type: string;
    urn?: string;
}

export interface AccessEdge {
    kind: EdgeKind;
    /** The resource that declares the edge: the role assignment, or the site holding the setting. */
    declaredBy: EdgeEnd;
    /** Label of the identity that authenticates (identity logical name, or a principal ID). */
    identity: string;
    /** The workload that makes the call; absent when no workload of the stack carries the identity. */
    source?: EdgeEnd;
    /** The network-guarded resource called; absent for a control-plane grant. */
    target?: EdgeEnd & { service?: ServiceGroup };
    /** Role name or GUID, the setting name, the database roles, or `encryption key <name>`. */
    detail: string;
    verdict: Verdict;
}
