import * as pulumi from "@pulumi/pulumi";

/** Anything that carries a user-assigned identity's resource ID; `ManagedIdentity` is the usual one. */
export interface UserAssignedIdentityRef {
    /** Resolves to the identity's resource ID once its role grants exist. */
    readonly ready: pulumi.Output<string>;
}

/** The one identity shape every workload component takes. */
export interface WorkloadIdentityArgs {
    /** Turn on the system-assigned identity. Defaults to false. */
    systemAssigned?: boolean;
    /** User-assigned identities to attach. Defaults to none. */
    userAssigned?: UserAssignedIdentityRef[];
}

export type IdentityType = "None" | "SystemAssigned" | "UserAssigned" | "SystemAssigned, UserAssigned";

export function identityType(systemAssigned: boolean, userAssignedCount: number): IdentityType {
    if (systemAssigned && userAssignedCount > 0) {
        return "SystemAssigned, UserAssigned";
    }
    if (systemAssigned) {
        return "SystemAssigned";
    }
    return userAssignedCount > 0 ? "UserAssigned" : "None";
}

export interface IdentityProperties {
    type: IdentityType;
    userAssignedIdentities?: pulumi.Output<string>[];
}

/**
 * The ARM `identity` block for a workload. Identities are referenced through `ready`, so the workload is
 * created only after its identities' grants exist and starts with the access it needs.
 */
export function identityProperties(args: WorkloadIdentityArgs | undefined): IdentityProperties {
    const userAssigned = args?.userAssigned ?? [];
    const type = identityType(args?.systemAssigned ?? false, userAssigned.length);
    return userAssigned.length > 0 ? { type, userAssignedIdentities: userAssigned.map((identity) => identity.ready) } : { type };
}

/** The problem when a workload that must authenticate somewhere has no identity at all, or undefined. */
export function someIdentityProblem(args: WorkloadIdentityArgs | undefined): string | undefined {
    if (identityType(args?.systemAssigned ?? false, args?.userAssigned?.length ?? 0) === "None") {
        return (
            `identity must enable systemAssigned or list at least one userAssigned identity; got ${args === undefined ? "none" : "neither"}: ` +
            `a workload without a managed identity would need a stored credential.`
        );
    }
    return undefined;
}
