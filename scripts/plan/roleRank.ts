import { BuiltInRole, builtInRoles, isBuiltInRoleName } from "../../infra/access/roles";

/**
 * How powerful a role is, to tell an escalation from a lateral change. Within a service, roles are ranked by what
 * they let the holder do (Key Vault Secrets User < Secrets Officer < Administrator); across services, or for a role
 * the catalog does not know, the catalog's flags decide: privileged > writes data > reads.
 */
const families: Record<string, Record<string, number>> = {
    keyVault: {
        "Key Vault Reader": 0,
        "Key Vault Secrets User": 1,
        "Key Vault Crypto User": 1,
        "Key Vault Secrets Officer": 2,
        "Key Vault Crypto Officer": 2,
        "Key Vault Certificates Officer": 2,
        "Key Vault Administrator": 3,
    },
    blob: { "Storage Blob Data Reader": 1, "Storage Blob Data Contributor": 2, "Storage Blob Data Owner": 3 },
    queue: {
        "Storage Queue Data Reader": 1,
        "Storage Queue Data Message Sender": 2,
        "Storage Queue Data Message Processor": 2,
        "Storage Queue Data Contributor": 3,
    },
    table: { "Storage Table Data Reader": 1, "Storage Table Data Contributor": 2 },
    serviceBus: { "Azure Service Bus Data Receiver": 1, "Azure Service Bus Data Sender": 1, "Azure Service Bus Data Owner": 2 },
    eventHubs: { "Azure Event Hubs Data Receiver": 1, "Azure Event Hubs Data Sender": 1, "Azure Event Hubs Data Owner": 2 },
    registry: { AcrPull: 1, AcrPush: 2 },
    aks: {
        "Azure Kubernetes Service Cluster User Role": 0,
        "Azure Kubernetes Service RBAC Reader": 1,
        "Azure Kubernetes Service RBAC Writer": 2,
        "Azure Kubernetes Service RBAC Admin": 3,
        "Azure Kubernetes Service RBAC Cluster Admin": 4,
    },
    generic: { Reader: 1, Contributor: 2, "User Access Administrator": 2, "Role Based Access Control Administrator": 2, Owner: 3 },
};

const familyOf = new Map<string, string>();
for (const [family, roles] of Object.entries(families)) {
    for (const role of Object.keys(roles)) {
        familyOf.set(role, family);
    }
}

/** Privileged 3, writes data 2, reads 1; a role the catalog does not know counts as writing (it may). */
export function rolePower(role: string): number {
    if (!isBuiltInRoleName(role)) {
        return 2;
    }
    const entry: BuiltInRole = builtInRoles[role];
    return entry.privileged ? 3 : entry.writes ? 2 : 1;
}

/** > 0 when `to` can do more than `from`, < 0 when less, 0 when neither (same role, or a lateral move). */
export function compareRoles(from: string, to: string): number {
    if (from === to) {
        return 0;
    }
    const family = familyOf.get(from);
    if (family !== undefined && family === familyOf.get(to)) {
        return Math.sign(families[family][to] - families[family][from]);
    }
    return Math.sign(rolePower(to) - rolePower(from));
}
