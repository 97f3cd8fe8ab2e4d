import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { grantProblems, RoleAssignments } from "../access/RoleAssignments";
import { RoleGrant } from "../access/grants";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Problems } from "../shared/problems";
import { FederatedCredentialSpec, tokenExchangeAudience, validateFederatedCredentials } from "./federated";
import { UserAssignedIdentityRef } from "./identityShape";

export interface ManagedIdentityArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Physical name. Defaults to `id-<name>`. */
    identityName?: string;
    /**
     * External tokens this identity trusts: GitHub Actions subjects, AKS service accounts. Written one after
     * another, because Azure rejects concurrent credential writes on one identity. At most 20.
     */
    federatedCredentials?: FederatedCredentialSpec[];
    /** Role grants for this identity, each at the narrowest scope named. Defaults to none. */
    grants?: RoleGrant[];
    /** Subscription of the role definitions. Defaults to the provider's subscription. */
    subscriptionId?: pulumi.Input<string>;
    /** A management lock on the identity. Defaults to none. */
    lock?: LockArgs;
    tags?: Record<string, string>;
}

/** A user-assigned managed identity with its federated credentials and role grants. */
export class ManagedIdentity extends pulumi.ComponentResource implements UserAssignedIdentityRef {
    public readonly id: pulumi.Output<string>;
    public readonly principalId: pulumi.Output<string>;
    public readonly clientId: pulumi.Output<string>;
    public readonly tenantId: pulumi.Output<string>;
    public readonly identityName: pulumi.Output<string>;
    /** Resolves to the identity's resource ID once all its grants exist; workloads attach it through this. */
    public readonly ready: pulumi.Output<string>;
    public readonly grants?: RoleAssignments;
    public readonly federatedCredentials: managedidentity.FederatedIdentityCredential[];

    constructor(name: string, args: ManagedIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        const credentials = args.federatedCredentials ?? [];
        const problems = new Problems(`ManagedIdentity "${name}"`);
        problems.addAll(validateFederatedCredentials(credentials));
        problems.addAll(grantProblems(`${name}-grants`, args.grants ?? []));
        problems.throwIfAny();
        super("keyless:identity:ManagedIdentity", name, {}, opts);

        const identity = new managedidentity.UserAssignedIdentity(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                resourceName: args.identityName ?? physicalName("identity", name),
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = identity.id;
        this.principalId = identity.principalId;
        this.clientId = identity.clientId;
        this.tenantId = identity.tenantId;
        this.identityName = identity.name;

        let previous: pulumi.Resource | undefined;
        this.federatedCredentials = credentials.map((credential) => {
            const created: managedidentity.FederatedIdentityCredential = new managedidentity.FederatedIdentityCredential(
                `${name}-${credential.name}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    resourceName: identity.name,
                    federatedIdentityCredentialResourceName: credential.name,
                    issuer: credential.issuer,
                    subject: credential.subject,
                    audiences: credential.audiences ?? [tokenExchangeAudience],
                },
                { parent: this, dependsOn: previous ? [previous] : [] },
            );
            previous = created;
            return created;
        });

        if (args.grants && args.grants.length > 0) {
            this.grants = new RoleAssignments(
                `${name}-grants`,
                { principalId: identity.principalId, grants: args.grants, subscriptionId: args.subscriptionId },
                { parent: this },
            );
            this.ready = pulumi.all([identity.id, this.grants.ready]).apply(([id]) => id);
        } else {
            this.ready = identity.id;
        }
        lockScope(name, identity.id, args.lock, this);

        this.registerOutputs({ id: this.id, principalId: this.principalId, clientId: this.clientId, ready: this.ready });
    }
}
