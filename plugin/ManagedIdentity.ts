import * as pulumi from "@pulumi/pulumi";
import { RoleGrant, TargetKind, targetKinds } from "@keyless/components/access";
import { ManagedIdentity as KeylessIdentity } from "@keyless/components/identity";
import { Problems } from "@keyless/components/shared";

/** One role for the identity on one resource. */
export interface IdentityGrant {
    /** A built-in role name from the Keyless catalog, such as `Key Vault Secrets User`, or a role definition GUID. */
    role: string;
    /** What the scope is: `vault`, `secret`, `storageAccount`, `container`, `queue`, `serviceBusQueue`, `registry` and so on. */
    scopeKind: string;
    /** Resource ID of the scope. */
    scopeId: pulumi.Input<string>;
    /** A human label for the scope, shown in reviews and naming the role assignment. */
    scopeName: string;
}

/** Arguments of a user-assigned managed identity. */
export interface ManagedIdentityArgs {
    /** Resource group to create the identity in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** Role grants, each at the narrowest scope named. Privileged roles are refused. */
    grants?: IdentityGrant[];
}

/** A user-assigned managed identity with role grants at the narrowest scopes. Pass its `ready` ID to workloads. */
export class ManagedIdentity extends pulumi.ComponentResource {
    /** Resource ID of the identity. */
    public readonly identityId: pulumi.Output<string>;
    /** The identity's resource ID, resolved only once its role grants exist: attach workloads with this one. */
    public readonly ready: pulumi.Output<string>;
    /** Client ID (application ID) the workload's code signs in with. */
    public readonly clientId: pulumi.Output<string>;
    /** Object ID of the identity's service principal. */
    public readonly principalId: pulumi.Output<string>;

    constructor(name: string, args: ManagedIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless-azure:index:ManagedIdentity", name, {}, opts);
        const identity = new KeylessIdentity(name, { resourceGroupName: args.resourceGroupName, location: args.location, grants: roleGrants(name, args.grants ?? []) }, { parent: this });
        this.identityId = identity.id;
        this.ready = identity.ready;
        this.clientId = identity.clientId;
        this.principalId = identity.principalId;
        this.registerOutputs({ identityId: this.identityId, ready: this.ready, clientId: this.clientId, principalId: this.principalId });
    }
}

function isTargetKind(kind: string): kind is TargetKind {
    return Object.prototype.hasOwnProperty.call(targetKinds, kind);
}

/** The flat grant shape other languages pass, as the components' grants; one error naming every bad scope kind. */
export function roleGrants(name: string, grants: IdentityGrant[]): RoleGrant[] {
    const problems = new Problems(`ManagedIdentity "${name}"`);
    const known = Object.keys(targetKinds).join(", ");
    grants.forEach((grant, index) => {
        if (!isTargetKind(grant.scopeKind)) {
            problems.add(`grants[${index}].scopeKind is "${grant.scopeKind}"; expected one of ${known}.`);
        }
    });
    problems.throwIfAny();
    return grants.map((grant) => ({ role: grant.role, target: { kind: grant.scopeKind as TargetKind, name: grant.scopeName, id: grant.scopeId } }));
}
