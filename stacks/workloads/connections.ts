import * as pulumi from "@pulumi/pulumi";
import { TargetKind } from "../../infra/access/targets";
import { identityConnectionSettings, IdentityConnection } from "../../infra/web/appSettings";
import { ResolvedGrant } from "../config/grants";
import { DeployContext } from "./kind";

/**
 * The settings a workload's code reads to reach what a grant opens, derived from the grant (`connection: NAME`),
 * in the names the Azure SDK's configuration binding and the Functions runtime read:
 * `NAME__queueServiceUri` / `NAME__blobServiceUri` / `NAME__tableServiceUri` for storage,
 * `NAME__fullyQualifiedNamespace` for Service Bus and Event Hubs, with `NAME__credential` and `NAME__clientId`
 * for a user-assigned identity (https://learn.microsoft.com/azure/azure-functions/functions-reference#common-properties-for-identity-based-connections),
 * plus the entity (`NAME__queueName`, `NAME__topicName`, ...) when the grant is on one. A SQL grant gives `NAME`,
 * a connection string that names no secret: `Authentication=Active Directory Managed Identity;User Id=<clientId>`
 * (https://learn.microsoft.com/sql/connect/ado-net/sql/azure-active-directory-authentication#using-managed-identity-authentication).
 */
export interface ConnectionSetting {
    name: string;
    value: pulumi.Input<string>;
}

const storageService: Partial<Record<TargetKind, "blob" | "queue" | "table">> = { container: "blob", queue: "queue", table: "table" };
const entitySetting: Partial<Record<TargetKind, string>> = {
    container: "containerName",
    queue: "queueName",
    table: "tableName",
    serviceBusQueue: "queueName",
    serviceBusTopic: "topicName",
    eventHubInstance: "eventHubName",
};

/** The storage service an account-wide grant opens, read from its role (`Storage Queue Data Reader` is queues). */
function serviceOfRole(role: string): "blob" | "queue" | "table" | undefined {
    return (/^Storage (Blob|Queue|Table) Data /.exec(role)?.[1].toLowerCase() as "blob" | "queue" | "table" | undefined) ?? undefined;
}

function endpointOf(grant: ResolvedGrant, context: DeployContext): IdentityConnection | undefined {
    const { kind, service } = grant.target;
    if (kind === "storageAccount" || storageService[kind]) {
        const which = storageService[kind] ?? serviceOfRole(grant.role);
        const account = context.accounts[service];
        const endpoint = which && { blob: account.blobEndpoint, queue: account.queueEndpoint, table: account.tableEndpoint }[which];
        return endpoint ? { [`${which}ServiceUri`]: endpoint } : undefined;
    }
    if (kind === "serviceBus" || kind === "serviceBusQueue" || kind === "serviceBusTopic") {
        return { fullyQualifiedNamespace: context.serviceBus[service].fullyQualifiedNamespace };
    }
    if (kind === "eventHub" || kind === "eventHubInstance") {
        return { fullyQualifiedNamespace: context.eventHubs[service].fullyQualifiedNamespace };
    }
    return undefined;
}

function clientIdOf(identity: string, context: DeployContext): pulumi.Input<string> | undefined {
    return identity === "system" ? undefined : context.identities[identity].clientId;
}

/** The target kinds a `connection:` can be derived for: storage, messaging (and SQL database grants). */
export function connectionProblem(path: string, grant: Pick<ResolvedGrant, "role" | "target">): string | undefined {
    const { kind } = grant.target;
    const supported = kind === "storageAccount" ? serviceOfRole(grant.role) !== undefined : storageService[kind] !== undefined || /^(serviceBus|eventHub)/.test(kind);
    return supported
        ? undefined
        : `${path}.connection: no connection settings follow from a ${grant.role} grant on a ${kind}; connection is for storage, Service Bus, Event Hubs and SQL database grants`;
}

/** Every connection setting of one workload, from its grants that name a `connection`. */
export function connectionSettings(workload: string, context: DeployContext): ConnectionSetting[] {
    const { grants, sqlGrants } = context.grantsOf(workload);
    const settings = new Map<string, ConnectionSetting>();
    const add = (setting: ConnectionSetting) => settings.set(setting.name, setting);
    for (const grant of grants.filter((item) => item.connection !== undefined)) {
        const endpoint = endpointOf(grant, context);
        if (!endpoint) {
            continue;
        }
        identityConnectionSettings(grant.connection!, endpoint, clientIdOf(grant.identity, context)).forEach(add);
        const entity = entitySetting[grant.target.kind];
        if (entity && grant.target.child) {
            add({ name: `${grant.connection}__${entity}`, value: grant.target.child });
        }
    }
    for (const grant of sqlGrants.filter((item) => item.connection !== undefined)) {
        add({ name: grant.connection!, value: sqlConnectionString(context.sqlServers[grant.server].fullyQualifiedDomainName, grant.database, clientIdOf(grant.identity, context)!) });
    }
    return [...settings.values()];
}

export function sqlConnectionString(server: pulumi.Input<string>, database: string, clientId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`Server=tcp:${server},1433;Database=${database};Authentication=Active Directory Managed Identity;User Id=${clientId};Encrypt=True`;
}

/** Joins derived settings with written ones; a written one of the same name would hide the derived value. */
export function withConnections<Value>(owner: string, written: Record<string, Value>, derived: readonly ConnectionSetting[], wrap: (value: pulumi.Input<string>) => Value): Record<string, Value> {
    const clashes = derived.filter((setting) => Object.keys(written).some((name) => name.toLowerCase() === setting.name.toLowerCase()));
    if (clashes.length > 0) {
        throw new Error(`${owner}: ${clashes.map((setting) => setting.name).join(", ")} ${clashes.length === 1 ? "is" : "are"} derived from a grant's connection; remove ${clashes.length === 1 ? "it" : "them"} from the workload's settings.`);
    }
    return { ...written, ...Object.fromEntries(derived.map((setting) => [setting.name, wrap(setting.value)])) };
}
