import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { roleAssignmentName } from "../shared/naming";
import { Problems } from "../shared/problems";
import { checkGrant, grantResourceName, RoleGrant } from "./grants";
import { ResolvedRole, roleDefinitionId } from "./roles";

export interface RoleAssignmentsArgs {
    /** The object ID of the principal that receives the roles. */
    principalId: pulumi.Input<string>;
    /**
     * Defaults to `ServicePrincipal`, which is right for every managed identity and lets Azure skip the
     * directory lookup that fails with PrincipalNotFound while a new identity replicates.
     */
    principalType?: "ServicePrincipal" | "Group" | "User";
    grants: RoleGrant[];
    /** Subscription of the role definitions. Defaults to the provider's subscription (authorization.getClientConfig). */
    subscriptionId?: pulumi.Input<string>;
}

/**
 * Why a principal's grants would be refused, one problem per bad entry, each naming `grants[i]`. Components add
 * these to their own list before anything is declared: a bad grant must not leave half a component behind.
 */
export function grantProblems(owner: string, grants: readonly RoleGrant[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    grants.forEach((grant, index) => {
        let role: ResolvedRole;
        try {
            role = checkGrant(grant);
        } catch (error) {
            problems.push(`grants[${index}]: ${(error as Error).message}`);
            return;
        }
        const key = grantResourceName(owner, role.name, grant.target);
        if (seen.has(key)) {
            problems.push(`grants[${index}]: role "${role.name}" is granted twice on ${grant.target.kind} "${grant.target.name}".`);
        }
        seen.add(key);
    });
    return problems;
}

/** Checks a principal's grants (throwing one ProblemsError listing every bad one) and returns each with its resolved role. */
export function checkGrants(owner: string, grants: readonly RoleGrant[]): { grant: RoleGrant; role: ResolvedRole }[] {
    const problems = new Problems(`RoleAssignments "${owner}"`);
    problems.addAll(grantProblems(owner, grants));
    problems.throwIfAny();
    return grants.map((grant) => ({ grant, role: checkGrant(grant) }));
}

/** Description of one declared grant, kept for reviews and the offline plan. */
export interface DeclaredGrant {
    role: string;
    roleId: string;
    targetKind: string;
    targetName: string;
    /** Logical name of the role assignment resource (the key of the stack's roleAssignmentIds output). */
    resourceName: string;
}

/**
 * Role assignments for one principal. Each is named by a UUID v5 of (scope, principal, role), so the same
 * grant always maps to the same Azure name: re-running, re-importing or re-creating never duplicates it.
 */
export class RoleAssignments extends pulumi.ComponentResource {
    public readonly assignments: authorization.RoleAssignment[];
    public readonly grants: DeclaredGrant[];
    /** Resolves to the principal ID once every assignment exists. */
    public readonly ready: pulumi.Output<string>;

    constructor(name: string, args: RoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = checkGrants(name, args.grants);
        super("keyless:access:RoleAssignments", name, {}, opts);

        const subscriptionId =
            args.subscriptionId ?? authorization.getClientConfigOutput({ parent: this }).subscriptionId;
        const principalType = args.principalType ?? "ServicePrincipal";
        this.grants = resolved.map(({ grant, role }) => ({
            role: role.name,
            roleId: role.id,
            targetKind: grant.target.kind,
            targetName: grant.target.name,
            resourceName: grantResourceName(name, role.name, grant.target),
        }));
        this.assignments = resolved.map(({ grant, role }) => {
            const definitionId = pulumi.output(subscriptionId).apply((subscription) => roleDefinitionId(subscription, role.id));
            return new authorization.RoleAssignment(
                grantResourceName(name, role.name, grant.target),
                {
                    scope: grant.target.id,
                    principalId: args.principalId,
                    principalType,
                    roleDefinitionId: definitionId,
                    roleAssignmentName: pulumi
                        .all([grant.target.id, args.principalId, definitionId])
                        .apply(([scope, principal, definition]) => roleAssignmentName(scope, principal, definition)),
                    description: grant.description ?? `Keyless: ${role.name} on ${grant.target.kind} ${grant.target.name}`,
                },
                { parent: this, deleteBeforeReplace: false },
            );
        });
        this.ready = pulumi
            .all([args.principalId, ...this.assignments.map((assignment) => assignment.id)])
            .apply(([principalId]) => principalId);
        this.registerOutputs({ ready: this.ready });
    }
}
