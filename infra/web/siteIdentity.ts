import * as pulumi from "@pulumi/pulumi";
import { UserAssignedIdentityRef, WorkloadIdentityArgs } from "../identity/identityShape";
import { ProblemsError } from "../shared/problems";

/**
 * Picks one of a site's identities: `"SystemAssigned"`, an index into `identity.userAssigned`, or one of those
 * identities itself.
 */
export type IdentitySelector = "SystemAssigned" | number | UserAssignedIdentityRef;

/** A user-assigned identity with the IDs an app needs at run time; `ManagedIdentity` is one. */
export interface UserAssignedIdentityDetails extends UserAssignedIdentityRef {
    readonly clientId: pulumi.Input<string>;
    readonly principalId: pulumi.Input<string>;
}

export type SelectedIdentity =
    | { kind: "SystemAssigned" }
    | { kind: "UserAssigned"; index: number; identity: UserAssignedIdentityRef };

/**
 * Resolves `selector` against the site's identities. Without a selector: the first user-assigned identity,
 * else the system-assigned one (a user-assigned identity can be granted access before the site exists).
 */
export function selectIdentity(
    owner: string,
    argName: string,
    identity: WorkloadIdentityArgs,
    selector?: IdentitySelector,
): SelectedIdentity {
    const userAssigned = identity.userAssigned ?? [];
    if (selector === undefined) {
        if (userAssigned.length > 0) {
            return { kind: "UserAssigned", index: 0, identity: userAssigned[0] };
        }
        return { kind: "SystemAssigned" };
    }
    if (selector === "SystemAssigned") {
        if (!identity.systemAssigned) {
            throw new ProblemsError(owner, [`${argName} is "SystemAssigned" but identity.systemAssigned is not true.`]);
        }
        return { kind: "SystemAssigned" };
    }
    if (typeof selector === "number") {
        if (!Number.isInteger(selector) || selector < 0 || selector >= userAssigned.length) {
            throw new ProblemsError(owner, [
                `${argName} is ${selector}, but identity.userAssigned has ${userAssigned.length} ` +
                    `entr${userAssigned.length === 1 ? "y" : "ies"}; expected an index from 0 to ${userAssigned.length - 1}.`,
            ]);
        }
        return { kind: "UserAssigned", index: selector, identity: userAssigned[selector] };
    }
    const index = userAssigned.indexOf(selector);
    if (index < 0) {
        throw new ProblemsError(owner, [`${argName} names an identity that is not in identity.userAssigned; attach it there too.`]);
    }
    return { kind: "UserAssigned", index, identity: selector };
}

function hasInput(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || (typeof value === "string" && value.length > 0);
}

/** The identity as one with client and principal IDs, or a clear error saying what is missing and why it is needed. */
export function requireIdentityDetails(
    owner: string,
    argName: string,
    selected: Extract<SelectedIdentity, { kind: "UserAssigned" }>,
    purpose: string,
): UserAssignedIdentityDetails {
    const candidate = selected.identity as Partial<UserAssignedIdentityDetails>;
    const missing = (["clientId", "principalId"] as const).filter((field) => !hasInput(candidate[field]));
    if (missing.length > 0) {
        throw new ProblemsError(owner, [
            `${argName} (identity.userAssigned[${selected.index}]) has no ${missing.join(" or ")}, which ${purpose}; ` +
                `pass a ManagedIdentity (or any identity with clientId and principalId).`,
        ]);
    }
    return selected.identity as UserAssignedIdentityDetails;
}

/**
 * The site's top-level `keyVaultReferenceIdentity`: the user-assigned identity's resource ID through `ready`
 * (so the site waits for that identity's grants), or `SystemAssigned`.
 */
export function keyVaultReferenceIdentityValue(selected: SelectedIdentity): pulumi.Input<string> {
    return selected.kind === "UserAssigned" ? selected.identity.ready : "SystemAssigned";
}
