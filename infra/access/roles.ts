import { isGuid } from "../shared/naming";

/**
 * Built-in Azure roles by their human names, as Microsoft's built-in roles list spells them.
 * GUIDs are the same in every tenant and cloud. `privileged` marks roles that can change access
 * or everything else; workloads never get them.
 */
export interface BuiltInRole {
    readonly id: string;
    readonly description: string;
    /** The resource kinds the role is meant for; used to keep grants at the narrowest scope. */
    readonly scopes: readonly RoleScopeKind[];
    readonly privileged?: boolean;
    /** Data-plane roles that let the holder change or delete data, flagged in reviews. */
    readonly writes?: boolean;
    /** Roles a service holds to encrypt its own data with a customer-managed key; the plan labels them "encryption". */
    readonly encryption?: boolean;
}

export type RoleScopeKind =
    | "vault"
    | "secret"
    | "key"
    | "storageAccount"
    | "container"
    | "queue"
    | "table"
    | "registry"
    | "serviceBus"
    | "serviceBusQueue"
    | "serviceBusTopic"
    | "eventHub"
    | "eventHubInstance"
    | "cognitiveServices"
    | "aksCluster"
    | "resourceGroup"
    | "identity"
    | "subnet"
    | "any";

export const builtInRoles = {
    // Key Vault (data plane)
    "Key Vault Secrets User": { id: "4633458b-17de-408a-b874-0445c86b69e6", description: "Read secret contents.", scopes: ["secret", "vault"] },
    "Key Vault Secrets Officer": { id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", description: "Create, change and delete secrets.", scopes: ["secret", "vault"], writes: true },
    "Key Vault Administrator": { id: "00482a5a-887f-4fb3-b363-3b7fe8e74483", description: "All data-plane operations on a vault.", scopes: ["vault"], writes: true },
    "Key Vault Crypto User": { id: "12338af0-0e69-4776-bea7-57ae8d297424", description: "Cryptographic operations with keys.", scopes: ["key", "vault"] },
    // What a service's identity needs for a customer-managed key: get, wrap and unwrap, nothing else. Granted on the
    // one key (https://learn.microsoft.com/azure/key-vault/general/rbac-guide#azure-built-in-roles-for-key-vault-data-plane-operations).
    "Key Vault Crypto Service Encryption User": {
        id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
        description: "Read key metadata and wrap and unwrap with the key: a service's customer-managed key.",
        scopes: ["key"],
        encryption: true,
    },
    "Key Vault Crypto Officer": { id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", description: "Create and manage keys.", scopes: ["vault"], writes: true },
    "Key Vault Certificates Officer": { id: "a4417e6f-fecd-4de8-b567-7b0420556985", description: "Create and manage certificates.", scopes: ["vault"], writes: true },
    "Key Vault Reader": { id: "21090545-7ca7-4776-b22c-e363652d74d2", description: "Read vault metadata, not secret contents.", scopes: ["vault"] },
    // Storage (data plane)
    "Storage Blob Data Reader": { id: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", description: "Read blobs.", scopes: ["container", "storageAccount"] },
    "Storage Blob Data Contributor": { id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", description: "Read, write and delete blobs.", scopes: ["container", "storageAccount"], writes: true },
    "Storage Blob Data Owner": { id: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", description: "Full blob access including POSIX ACLs.", scopes: ["container", "storageAccount"], writes: true },
    "Storage Queue Data Reader": { id: "19e7f393-937e-4f77-808e-94535e297925", description: "Read queue messages.", scopes: ["queue", "storageAccount"] },
    "Storage Queue Data Contributor": { id: "974c5e8b-45b9-4653-ba55-5f855dd0fb88", description: "Read, write and delete queues and messages.", scopes: ["queue", "storageAccount"], writes: true },
    "Storage Queue Data Message Sender": { id: "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", description: "Add messages to a queue.", scopes: ["queue", "storageAccount"], writes: true },
    "Storage Queue Data Message Processor": { id: "8a0f0c08-91a1-4084-bc3d-661d67233fed", description: "Peek, receive and delete messages.", scopes: ["queue", "storageAccount"], writes: true },
    "Storage Table Data Reader": { id: "76199698-9eea-4c19-bc75-cec21354c6b6", description: "Read tables and entities.", scopes: ["table", "storageAccount"] },
    "Storage Table Data Contributor": { id: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", description: "Read, write and delete tables and entities.", scopes: ["table", "storageAccount"], writes: true },
    // Messaging (data plane)
    "Azure Service Bus Data Sender": { id: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", description: "Send messages.", scopes: ["serviceBusQueue", "serviceBusTopic", "serviceBus"], writes: true },
    "Azure Service Bus Data Receiver": { id: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", description: "Receive messages.", scopes: ["serviceBusQueue", "serviceBusTopic", "serviceBus"] },
    "Azure Service Bus Data Owner": { id: "090c5cfd-751d-490a-894a-3ce6f1109419", description: "Full data access to a namespace.", scopes: ["serviceBusQueue", "serviceBusTopic", "serviceBus"], writes: true },
    "Azure Event Hubs Data Sender": { id: "2b629674-e913-4c01-ae53-ef4638d8f975", description: "Send events.", scopes: ["eventHubInstance", "eventHub"], writes: true },
    "Azure Event Hubs Data Receiver": { id: "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", description: "Receive events.", scopes: ["eventHubInstance", "eventHub"] },
    "Azure Event Hubs Data Owner": { id: "f526a384-b230-433a-b45c-95f59c4a2dec", description: "Full data access to a namespace.", scopes: ["eventHubInstance", "eventHub"], writes: true },
    // Containers
    "AcrPull": { id: "7f951dda-4ed3-4680-a7ca-43fe172d538d", description: "Pull images from a registry.", scopes: ["registry"] },
    "AcrPush": { id: "8311e382-0749-4cb8-b61a-304f252e45ec", description: "Push and pull images.", scopes: ["registry"], writes: true },
    "Azure Kubernetes Service RBAC Reader": { id: "7f6c6a51-bcf8-42ba-9220-52d62157d7db", description: "Read most Kubernetes objects in a namespace.", scopes: ["aksCluster"] },
    "Azure Kubernetes Service RBAC Writer": { id: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", description: "Read and write most Kubernetes objects in a namespace.", scopes: ["aksCluster"], writes: true },
    "Azure Kubernetes Service RBAC Admin": { id: "3498e952-d568-435e-9b2c-8d77e338d7f7", description: "Manage Kubernetes objects, including roles, in a namespace.", scopes: ["aksCluster"], writes: true },
    "Azure Kubernetes Service RBAC Cluster Admin": { id: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", description: "Super-user access to a cluster.", scopes: ["aksCluster"], writes: true },
    "Azure Kubernetes Service Cluster User Role": { id: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f", description: "List the cluster user credential (Entra kubeconfig).", scopes: ["aksCluster"] },
    // AI
    "Cognitive Services OpenAI User": { id: "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", description: "Call Azure OpenAI inference APIs.", scopes: ["cognitiveServices"] },
    // Monitoring and identity
    "Monitoring Metrics Publisher": { id: "3913510d-42f4-4e42-8a64-420c390055eb", description: "Publish custom metrics.", scopes: ["any"], writes: true },
    "Managed Identity Operator": { id: "f1a07417-d97a-45cb-824c-7a7467783830", description: "Assign a user-assigned identity to a resource.", scopes: ["any"] },
    // AKS on a stack subnet: the control plane joins nodes and load balancers to it
    // (https://learn.microsoft.com/azure/aks/configure-azure-cni#prerequisites).
    "Network Contributor": { id: "4d97b98b-1d4f-4787-a291-c67834d212e7", description: "Manage networks, not access to them.", scopes: ["subnet"], writes: true },
    "Reader": { id: "acdd72a7-3385-48ef-bd42-f606fba81ae7", description: "View resources, no changes and no data.", scopes: ["any"] },
    // Privileged: listed so that reviews and policies can name them; workloads never get them.
    "Contributor": { id: "b24988ac-6180-42a0-ab88-20f7382dd24c", description: "Manage everything except access.", scopes: ["any"], privileged: true, writes: true },
    "Owner": { id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", description: "Manage everything including access.", scopes: ["any"], privileged: true, writes: true },
    "User Access Administrator": { id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", description: "Manage access.", scopes: ["any"], privileged: true, writes: true },
    "Role Based Access Control Administrator": { id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168", description: "Manage role assignments.", scopes: ["any"], privileged: true, writes: true },
} as const satisfies Record<string, BuiltInRole>;

export type BuiltInRoleName = keyof typeof builtInRoles;

/** A catalog name, or a role definition GUID as an escape hatch for roles the catalog lacks. */
export type RoleReference = BuiltInRoleName | (string & {});

export interface ResolvedRole {
    /** The catalog name, or the GUID itself when the caller passed a raw GUID. */
    name: string;
    id: string;
    builtIn?: BuiltInRole;
}

const byId = new Map<string, BuiltInRoleName>(
    Object.entries(builtInRoles).map(([name, role]) => [role.id, name as BuiltInRoleName]),
);

export function isBuiltInRoleName(name: string): name is BuiltInRoleName {
    return Object.prototype.hasOwnProperty.call(builtInRoles, name);
}

/** The catalog name of a role definition GUID, if it is one we know. */
export function roleNameById(id: string): BuiltInRoleName | undefined {
    return byId.get(id.toLowerCase());
}

/** Resolves a role by catalog name or raw GUID; throws with a suggestion for anything else. */
export function resolveRole(reference: string): ResolvedRole {
    if (isBuiltInRoleName(reference)) {
        return { name: reference, id: builtInRoles[reference].id, builtIn: builtInRoles[reference] };
    }
    if (isGuid(reference)) {
        const known = roleNameById(reference);
        return known
            ? { name: known, id: builtInRoles[known].id, builtIn: builtInRoles[known] }
            : { name: reference.toLowerCase(), id: reference.toLowerCase() };
    }
    const suggestion = suggestRoleName(reference);
    throw new Error(
        `Unknown role "${reference}": expected a built-in role name or a role definition GUID.` +
            (suggestion ? ` Did you mean "${suggestion}"?` : ""),
    );
}

/** The full ARM ID of a role definition at subscription scope, as role assignments expect. */
export function roleDefinitionId(subscriptionId: string, roleId: string): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/** The closest catalog name by edit distance, when it is close enough to be a typo. */
export function suggestRoleName(input: string): BuiltInRoleName | undefined {
    const target = input.toLowerCase();
    let best: { name: BuiltInRoleName; distance: number } | undefined;
    for (const name of Object.keys(builtInRoles) as BuiltInRoleName[]) {
        const distance = editDistance(target, name.toLowerCase());
        if (!best || distance < best.distance) {
            best = { name, distance };
        }
    }
    return best && best.distance <= Math.max(3, Math.floor(target.length / 3)) ? best.name : undefined;
}

export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        }
        previous = current;
    }
    return previous[b.length];
}
