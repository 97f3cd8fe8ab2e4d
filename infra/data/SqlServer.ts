import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as sql from "@pulumi/azure-native/sql";
import { identityProperties } from "../identity/identityShape";
import { CustomerManagedKeyArgs, customerManagedKeyProblems, declareCustomerManagedKey } from "../keyvault/customerManagedKey";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { globalName } from "../shared/globalName";
import { LockArgs, lockScope } from "../shared/locks";
import { isGuid } from "../shared/naming";
import { declarePrivateEndpoints, PrivateEndpointArgs, privateEndpointProblems } from "../network/privateEndpoints";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";
import { databaseGrantProblems, databaseGrantScript, databaseNameProblem, DatabaseRole } from "./grantScript";
import { declareTdeProtector } from "./tdeProtector";

/** Security audit events (logins, permission changes, queries by principal), through server auditing to Azure Monitor. */
export const sqlDiagnosticCategories = ["SQLSecurityAuditEvents"];

export type SqlAdministratorType = "Group" | "Application" | "User";

/** The server's Entra administrator; with Entra-only authentication it is the only way in at first. */
export interface SqlAdministrator {
    /** Display name of the group, application or user, e.g. `sql-admins`. */
    login: string;
    /** Its object ID (sent as `sid`). */
    objectId: pulumi.Input<string>;
    /** A group is recommended, so that administrators change without touching the server. */
    principalType: SqlAdministratorType;
    /** Defaults to the deploying subscription's tenant. */
    tenantId?: pulumi.Input<string>;
}

export interface SqlDatabaseArgs {
    /** Defaults to `{ name: "Basic", tier: "Basic" }`. */
    sku?: { name: string; tier?: string; capacity?: number; family?: string };
    /** Defaults to the SKU's default. */
    maxSizeBytes?: number;
}

/** A database-level grant: declared here for reviews, applied by running the generated T-SQL. */
export interface SqlDatabaseGrant {
    /** The identity's Entra display name (for a user-assigned identity, its resource name such as `id-orders`). */
    identity: string;
    /** One of `databases`. */
    database: string;
    roles: DatabaseRole[];
    /** The identity's principal ID, to pin the user to it (`WITH OBJECT_ID`). Defaults to resolving by name. */
    objectId?: pulumi.Input<string>;
}

/** A grant as reviews list it: who, which database, which roles. */
export interface DeclaredDatabaseGrant {
    identity: string;
    database: string;
    roles: DatabaseRole[];
}

export interface SqlServerArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** The Entra administrator. Required: SQL authentication is off, so there is no other administrator. */
    administrator: SqlAdministrator;
    /** Databases by name. Defaults to none. */
    databases?: Record<string, SqlDatabaseArgs>;
    /**
     * Database-level grants for workload identities. ARM cannot create database users, so each grant becomes a
     * T-SQL script in `grantScripts` for the Entra administrator to run (see `databaseGrantScript`). Defaults to none.
     */
    grants?: SqlDatabaseGrant[];
    /** Defaults to `Disabled`: reach the server through a private endpoint. */
    publicNetworkAccess?: "Enabled" | "Disabled";
    /**
     * Private endpoints: `{ subnet, service?, privateDnsZone? }` each, with the DNS zone group and, unless an
     * existing zone ID is passed, the `privatelink.*` zone linked to the subnet's network. Defaults to none.
     */
    privateEndpoints?: PrivateEndpointArgs[];
    /** Defaults to `1.2`. */
    minimalTlsVersion?: "1.2" | "1.3";
    /** Physical name, globally unique: 1-63 lowercase letters, digits and '-'. Defaults to `sql-<name>-<random suffix>`. */
    serverName?: string;
    /** A management lock on the server. Defaults to none. */
    lock?: LockArgs;
    /** Turns on server auditing to Azure Monitor and sends SQLSecurityAuditEvents to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    /**
     * The TDE protector from Key Vault, read by the given user-assigned identity, which becomes the server's primary
     * identity (a server created with a customer-managed key takes only a user-assigned one). The server is created
     * with the key's current version and its encryption protector rotates to each new version on its own
     * (`autoRotationEnabled`), so Key Vault's rotation needs no deploy; switching an existing server to another key
     * is a manual rotation, not a change of this argument. Defaults to a service-managed TDE protector.
     */
    customerManagedKey?: CustomerManagedKeyArgs;
    tags?: Tags;
}

const adminTypes: readonly SqlAdministratorType[] = ["Group", "Application", "User"];

/** Checks every argument; returns one message per problem. */
export function sqlServerProblems(args: SqlServerArgs): string[] {
    const problems: string[] = [];
    const raw = args as unknown as Record<string, unknown>;
    for (const key of ["administratorLogin", "administratorLoginPassword"]) {
        if (raw[key] !== undefined) {
            problems.push(`${key} is not accepted: the server uses Entra-only authentication, with no SQL login or password.`);
        }
    }
    const admin = args.administrator;
    if (!admin) {
        problems.push(`administrator is required: the Entra group, application or user that administers the server.`);
    } else {
        if (typeof admin.login !== "string" || admin.login.trim().length === 0 || admin.login.length > 128) {
            problems.push(`administrator.login must be the administrator's display name (1-128 characters).`);
        }
        if (typeof admin.objectId === "string" && !isGuid(admin.objectId)) {
            problems.push(`administrator.objectId must be an Entra object ID (a GUID); got "${admin.objectId}".`);
        }
        if (!adminTypes.includes(admin.principalType)) {
            problems.push(`administrator.principalType must be one of ${adminTypes.join(", ")}; got "${String(admin.principalType)}".`);
        }
        if (typeof admin.tenantId === "string" && !isGuid(admin.tenantId)) {
            problems.push(`administrator.tenantId must be a GUID; got "${admin.tenantId}".`);
        }
    }
    const access = args.publicNetworkAccess ?? "Disabled";
    if (access !== "Enabled" && access !== "Disabled") {
        problems.push(`publicNetworkAccess must be "Enabled" or "Disabled"; got "${String(access)}".`);
    }
    problems.push(...privateEndpointProblems("sqlServer", args.privateEndpoints));
    // Every service tier takes a TDE protector from Key Vault; at server creation only through a user-assigned identity
    // (https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-create-server).
    problems.push(...customerManagedKeyProblems(args.customerManagedKey, { service: "A new SQL server" }));
    const tls = args.minimalTlsVersion ?? "1.2";
    if (tls !== "1.2" && tls !== "1.3") {
        problems.push(`minimalTlsVersion must be "1.2" or "1.3"; got "${String(tls)}".`);
    }
    if (args.serverName !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(args.serverName)) {
        problems.push(`serverName "${args.serverName}" must be 1-63 lowercase letters, digits and '-', not starting or ending with '-'.`);
    }
    const databases = args.databases ?? {};
    for (const [database, settings] of Object.entries(databases)) {
        const problem = databaseNameProblem(`databases`, database);
        if (problem) {
            problems.push(problem);
        }
        if (settings?.sku !== undefined && (typeof settings.sku.name !== "string" || settings.sku.name.length === 0)) {
            problems.push(`databases.${database}.sku.name must name a SKU such as Basic, S0 or GP_S_Gen5_1.`);
        }
    }
    const seen = new Set<string>();
    (args.grants ?? []).forEach((grant, index) => {
        const key = `grants[${index}]`;
        problems.push(
            ...databaseGrantProblems(key, {
                identityName: grant.identity,
                database: grant.database,
                roles: grant.roles,
                objectId: typeof grant.objectId === "string" ? grant.objectId : undefined,
            }),
        );
        if (typeof grant.database === "string" && !Object.prototype.hasOwnProperty.call(databases, grant.database)) {
            problems.push(`${key}.database "${grant.database}" is not one of this server's databases (${Object.keys(databases).join(", ") || "none declared"}).`);
        }
        const pair = `${grant.identity}|${grant.database}`;
        if (seen.has(pair)) {
            problems.push(`${key}: "${grant.identity}" on database "${grant.database}" is declared twice; list all its roles in one grant.`);
        }
        seen.add(pair);
    });
    return problems;
}

/**
 * An Azure SQL logical server with Entra-only authentication (no SQL login, no password anywhere), TLS 1.2+,
 * no public network access by default, and its databases. Workload identities get database roles through
 * generated T-SQL (`grantScripts`), which the Entra administrator runs once:
 * `sqlcmd -S <fqdn> -d <database> -G -i grant.sql`.
 */
export class SqlServer extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly serverName: pulumi.Output<string>;
    /** `<server>.database.windows.net`, for connection strings without credentials (`Authentication=Active Directory Default`). */
    public readonly fullyQualifiedDomainName: pulumi.Output<string>;
    public readonly databases: Record<string, sql.Database>;
    /** Database-level grants, for the access review. Applied by running `grantScripts`, not by Pulumi. */
    public readonly databaseGrants: DeclaredDatabaseGrant[];
    /** T-SQL per grant, keyed `<database>/<identity>`, to run as the Entra administrator. */
    public readonly grantScripts: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: SqlServerArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`SqlServer "${name}"`);
        problems.addAll(sqlServerProblems(args));
        problems.throwIfAny();
        super("keyless:data:SqlServer", name, {}, opts);
        this.name = name;

        const serverName = globalName("sqlServer", name, args.serverName, this);
        const admin = args.administrator;
        const cmk = args.customerManagedKey ? declareCustomerManagedKey(name, args.customerManagedKey, this) : undefined;
        const keyVersionUri = cmk?.currentVersionUri();
        const server = new sql.Server(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                serverName,
                version: "12.0",
                administrators: {
                    administratorType: "ActiveDirectory",
                    azureADOnlyAuthentication: true,
                    login: admin.login,
                    sid: admin.objectId,
                    principalType: admin.principalType,
                    tenantId: admin.tenantId ?? authorization.getClientConfigOutput({ parent: this }).tenantId,
                },
                minimalTlsVersion: args.minimalTlsVersion ?? "1.2",
                publicNetworkAccess: args.publicNetworkAccess ?? "Disabled",
                // The key's current version: SQL takes a versioned key and rotates through its protector (tdeProtector.ts).
                ...(cmk && keyVersionUri
                    ? { identity: identityProperties({ userAssigned: [{ ready: cmk.identityId }] }), primaryUserAssignedIdentityId: cmk.identityId, keyId: keyVersionUri }
                    : {}),
                tags: args.tags,
            },
            // The version is the one the server starts with; later ones are the protector's rotation, not a redeploy.
            { parent: this, ignoreChanges: cmk ? ["keyId"] : [] },
        );
        if (keyVersionUri) {
            declareTdeProtector(name, { resourceGroupName: args.resourceGroupName, server, keyVersionUri }, this);
        }
        // Entra-only authentication as its own child resource as well: set only inside `administrators`, later
        // updates of the server have been reported to fail or to drop it
        // (https://learn.microsoft.com/azure/templates/microsoft.sql/servers/azureadonlyauthentications: name "Default").
        new sql.ServerAzureADOnlyAuthentication(
            `${name}-entra-only`,
            { resourceGroupName: args.resourceGroupName, serverName: server.name, authenticationName: "Default", azureADOnlyAuthentication: true },
            { parent: this },
        );
        this.id = server.id;
        this.serverName = server.name;
        this.fullyQualifiedDomainName = server.fullyQualifiedDomainName;

        this.databases = {};
        for (const [database, settings] of Object.entries(args.databases ?? {})) {
            this.databases[database] = new sql.Database(
                `${name}-${database}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    serverName: server.name,
                    databaseName: database,
                    sku: settings?.sku ?? { name: "Basic", tier: "Basic" },
                    maxSizeBytes: settings?.maxSizeBytes,
                    tags: args.tags,
                },
                { parent: this },
            );
        }

        const grants = args.grants ?? [];
        this.databaseGrants = grants.map((grant) => ({ identity: grant.identity, database: grant.database, roles: [...grant.roles] }));
        this.grantScripts = pulumi
            .all(grants.map((grant) => pulumi.all([this.fullyQualifiedDomainName, grant.objectId])))
            .apply((resolved) =>
                Object.fromEntries(
                    grants.map((grant, index) => {
                        const [server, objectId] = resolved[index];
                        const script = databaseGrantScript({
                            identityName: grant.identity,
                            database: grant.database,
                            roles: grant.roles,
                            objectId,
                            server,
                        });
                        return [`${grant.database}/${grant.identity}`, script];
                    }),
                ),
            );

        if (args.diagnostics) {
            // Audit records reach Log Analytics through the master database's diagnostic setting.
            new sql.ServerBlobAuditingPolicy(
                `${name}-auditing`,
                {
                    resourceGroupName: args.resourceGroupName,
                    serverName: server.name,
                    blobAuditingPolicyName: "default",
                    state: "Enabled",
                    isAzureMonitorTargetEnabled: true,
                },
                { parent: this },
            );
            sendDiagnostics(name, pulumi.interpolate`${server.id}/databases/master`, args.diagnostics, sqlDiagnosticCategories, this);
        }
        declarePrivateEndpoints(name, "sqlServer", server.id, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags }, this);
        lockScope(name, server.id, args.lock, this);

        this.registerOutputs({
            id: this.id,
            serverName: this.serverName,
            fullyQualifiedDomainName: this.fullyQualifiedDomainName,
            grantScripts: this.grantScripts,
        });
    }
}
