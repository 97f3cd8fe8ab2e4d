import { read, sameGuid, shortType, userAssignedIds } from "../../lib/props";
import { types } from "../../lib/tokens";
import { StackResource, StackRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/**
 * What "used" and "granted" mean here, from what a stack check can see (resource outputs; values may be unknown
 * at preview):
 * - an identity is used when a resource's `identity` lists it (string array in inputs, map keyed by ID in outputs),
 *   a site names it as `keyVaultReferenceIdentity`, an AKS cluster's `identityProfile` holds it, a federated
 *   credential hangs off it (GitHub OIDC, AKS workload identity), or the engine reports that a resource's
 *   `identity` property was computed from it;
 * - an identity is granted when a role assignment's `principalId` is its `principalId`;
 * - a role assignment to a service principal must point at an identity of this stack: a user-assigned identity
 *   or any resource's system-assigned identity (`identity.principalId`, AKS kubelet `objectId`).
 * Anything unknown at preview is skipped rather than failed; `pulumi up` analyses the stack again with real values.
 * Assignments to users and groups (principalType User/Group) are left to the human access review.
 */

interface Identity {
    resource: StackResource;
    name?: string;
    id?: string;
    principalId?: string;
    principalUnknown: boolean;
}

function text(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

function identityOf(resource: StackResource): Identity {
    const principal = read(resource.props, "principalId");
    return {
        resource,
        name: text(read(resource.props, "name")) ?? text(read(resource.props, "resourceName")),
        id: text(read(resource.props, "id")),
        principalId: text(principal),
        principalUnknown: isUnknown(principal),
    };
}

/** True when an ARM ID refers to this user-assigned identity (exact ID, or same identity name when the ID is not in the outputs). */
function refersTo(reference: string, identity: Identity): boolean {
    const ref = reference.replace(/\/+$/, "").toLowerCase();
    if (identity.id && identity.id.replace(/\/+$/, "").toLowerCase() === ref) {
        return true;
    }
    return identity.name !== undefined && ref.endsWith(`/providers/microsoft.managedidentity/userassignedidentities/${identity.name.toLowerCase()}`);
}

/** Identity references held by one resource; `unknown` when some reference is not known yet. */
function identityReferences(resource: StackResource): { ids: string[]; unknown: boolean } {
    const ids: string[] = [];
    let unknown = false;
    const attached = userAssignedIds(read(resource.props, "identity"));
    if (isUnknown(attached)) {
        unknown = true;
    } else {
        ids.push(...attached);
    }
    const reference = read(resource.props, "keyVaultReferenceIdentity");
    if (isUnknown(reference)) {
        unknown = true;
    } else if (typeof reference === "string") {
        ids.push(reference);
    }
    const profile = read(resource.props, "identityProfile");
    if (isUnknown(profile)) {
        unknown = true;
    } else if (profile !== null && typeof profile === "object") {
        for (const entry of Object.values(profile as Record<string, unknown>)) {
            const id = read(entry, "resourceId");
            if (isUnknown(id)) {
                unknown = true;
            } else if (typeof id === "string") {
                ids.push(id);
            }
        }
    }
    return { ids, unknown };
}

function isUsed(identity: Identity, resources: StackResource[]): boolean | "unknown" {
    let maybe = false;
    for (const resource of resources) {
        if (resource === identity.resource) {
            continue;
        }
        if (resource.type === types.federatedIdentityCredential) {
            const parent = read(resource.props, "resourceName");
            if ((typeof parent === "string" && identity.name !== undefined && parent.toLowerCase() === identity.name.toLowerCase()) ||
                (identity.resource.urn !== undefined && resource.dependencies?.includes(identity.resource.urn))) {
                return true;
            }
            continue;
        }
        const fromEngine = resource.propertyDependencies?.identity;
        if (identity.resource.urn !== undefined && fromEngine?.includes(identity.resource.urn)) {
            return true;
        }
        const { ids, unknown } = identityReferences(resource);
        if (ids.some((id) => refersTo(id, identity))) {
            return true;
        }
        // An unknown reference might be this identity, unless the engine says where the `identity` value came from.
        if (unknown && !(fromEngine && identity.resource.urn !== undefined)) {
            maybe = true;
        }
    }
    return maybe ? "unknown" : false;
}

function isGranted(identity: Identity, assignments: StackResource[]): boolean | "unknown" {
    if (identity.principalUnknown || !identity.principalId) {
        return "unknown";
    }
    let maybe = false;
    for (const assignment of assignments) {
        const principal = read(assignment.props, "principalId");
        if (typeof principal === "string" && sameGuid(principal, identity.principalId)) {
            return true;
        }
        if (isUnknown(principal)) {
            const from = assignment.propertyDependencies?.principalId;
            if (!from || (identity.resource.urn !== undefined && from.includes(identity.resource.urn))) {
                maybe = true;
            }
        }
    }
    return maybe ? "unknown" : false;
}

/** Principal IDs of every identity in the stack, and whether some are not known yet. */
function stackPrincipals(resources: StackResource[]): { ids: Set<string>; unknown: boolean } {
    const ids = new Set<string>();
    let unknown = false;
    const add = (value: unknown) => {
        if (isUnknown(value)) {
            unknown = true;
        } else if (typeof value === "string" && value.length > 0) {
            ids.add(value.toLowerCase());
        }
    };
    for (const resource of resources) {
        if (resource.type === types.userAssignedIdentity) {
            add(read(resource.props, "principalId"));
            continue;
        }
        const identity = read(resource.props, "identity");
        if (isUnknown(identity)) {
            unknown = true;
            continue;
        }
        if (identity !== null && typeof identity === "object") {
            add(read(identity, "principalId"));
            const attached = read(identity, "userAssignedIdentities");
            if (attached !== null && typeof attached === "object" && !Array.isArray(attached) && !isUnknown(attached)) {
                for (const entry of Object.values(attached as Record<string, unknown>)) {
                    add(read(entry, "principalId"));
                }
            }
        }
        const profile = read(resource.props, "identityProfile");
        if (profile !== null && typeof profile === "object" && !isUnknown(profile)) {
            for (const entry of Object.values(profile as Record<string, unknown>)) {
                add(read(entry, "objectId"));
            }
        }
    }
    return { ids, unknown };
}

function at(resource: StackResource, path: string, problem: string): Violation {
    return {
        message: `${shortType(resource.type)} "${resource.name}" ${path}: ${problem}`,
        resource: { name: resource.name, urn: resource.urn },
    };
}

export const identitiesUsedAndGranted: StackRule = {
    name: "identities-used-and-granted",
    description:
        "Every user-assigned identity in the stack is attached to a workload and granted a role, and every role assignment to a service principal goes to an identity of the stack.",
    severity: "medium",
    remediation:
        "Attach each identity to the workload that uses it (or federate it) and grant it its roles through the Keyless components; remove identities nothing uses. " +
        "Grant roles to identities the stack declares; a grant to an outside service principal usually means an app registration with a client secret.",
    anchors: {},
    defaultLevel: "mandatory",
    justification:
        "An identity with grants but no workload is standing access nobody owns, and a grant to a principal outside the stack cannot be reviewed with it; both block. " +
        "Legitimate outside principals (an operator group, a shared deploy identity) are exempted by name with the reason.",
    checkStack(resources) {
        const found: Violation[] = [];
        const assignments = resources.filter((resource) => resource.type === types.roleAssignment);
        for (const identity of resources.filter((resource) => resource.type === types.userAssignedIdentity).map(identityOf)) {
            if (isUsed(identity, resources) === false) {
                found.push(at(identity.resource, "(usage)", "is not attached to any workload, federated credential or Key Vault reference in this stack; attach it or remove it."));
            }
            if (isGranted(identity, assignments) === false) {
                found.push(
                    at(identity.resource, "principalId", `(${identity.principalId}) has no role assignment in this stack; grant it the narrow roles its workload needs or remove it.`),
                );
            }
        }
        const principals = stackPrincipals(resources);
        for (const assignment of assignments) {
            const type = read(assignment.props, "principalType");
            if (isUnknown(type) || (typeof type === "string" && type.length > 0 && type.toLowerCase() !== "serviceprincipal")) {
                continue;
            }
            const principal = read(assignment.props, "principalId");
            if (typeof principal !== "string" || principals.ids.has(principal.toLowerCase())) {
                continue;
            }
            // The engine may know the value came from an identity of this stack even when its principal is not in the outputs.
            const from = assignment.propertyDependencies?.principalId ?? [];
            const fromIdentity = from.some((urn) =>
                resources.some((resource) => resource.urn === urn && (resource.type === types.userAssignedIdentity || read(resource.props, "identity") !== undefined)),
            );
            if (fromIdentity || principals.unknown) {
                continue;
            }
            found.push(
                at(assignment, "principalId", `(${principal}) is not an identity declared in this stack; grant roles to the stack's managed identities, or exempt this assignment with the reason.`),
            );
        }
        return found;
    },
};
