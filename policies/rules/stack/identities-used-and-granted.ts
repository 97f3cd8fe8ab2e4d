import { read, shortType, userAssignedIds } from "../../lib/props";
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

const identityMarker = "/providers/microsoft.managedidentity/userassignedidentities/";

/**
 * Who refers to which identity and who is granted what, gathered in one pass over the stack: asking every resource
 * about every identity grows with the square of the stack (one identity per workload), and a fleet of a thousand
 * workloads has some ten thousand resources. Lookups then give the same answers as scanning, per identity.
 */
interface StackIndex {
    /**
     * Normalized ARM IDs (lower case, no trailing slash) in resources' identity references, and the identity names
     * those IDs end with: a reference names an identity by its exact ID, or by name when the ID is not in the outputs.
     */
    byId: Map<string, StackResource[]>;
    byName: Map<string, StackResource[]>;
    /** Federated credentials by parent identity name (lower case) and by the URNs they depend on. */
    federatedByParent: Map<string, StackResource[]>;
    federatedByDependency: Map<string, StackResource[]>;
    /** Resources whose `identity` the engine reports as computed from a URN. */
    byEngineDependency: Map<string, StackResource[]>;
    /** Resources holding a reference not known yet; `true` when the engine says where their `identity` came from. */
    unknownHolders: Map<StackResource, boolean>;
    unknownWithoutEngine: number;
    /** Principal IDs (trimmed, lower case) that some role assignment grants. */
    granted: Set<string>;
    /** A role assignment's principal is unknown and nothing says where it comes from. */
    unknownPrincipalAnywhere: boolean;
    /** URNs that an unknown principal ID of a role assignment comes from. */
    unknownPrincipalFrom: Set<string>;
}

function add(map: Map<string, StackResource[]>, key: string, resource: StackResource): void {
    const list = map.get(key);
    if (list) {
        list.push(resource);
    } else {
        map.set(key, [resource]);
    }
}

function indexStack(resources: StackResource[], assignments: StackResource[]): StackIndex {
    const index: StackIndex = {
        byId: new Map(),
        byName: new Map(),
        federatedByParent: new Map(),
        federatedByDependency: new Map(),
        byEngineDependency: new Map(),
        unknownHolders: new Map(),
        unknownWithoutEngine: 0,
        granted: new Set(),
        unknownPrincipalAnywhere: false,
        unknownPrincipalFrom: new Set(),
    };
    for (const resource of resources) {
        if (resource.type === types.federatedIdentityCredential) {
            const parent = read(resource.props, "resourceName");
            if (typeof parent === "string") {
                add(index.federatedByParent, parent.toLowerCase(), resource);
            }
            for (const urn of resource.dependencies ?? []) {
                add(index.federatedByDependency, urn, resource);
            }
            continue;
        }
        const fromEngine = resource.propertyDependencies?.identity;
        for (const urn of fromEngine ?? []) {
            add(index.byEngineDependency, urn, resource);
        }
        const { ids, unknown } = identityReferences(resource);
        for (const id of ids) {
            const ref = id.replace(/\/+$/, "").toLowerCase();
            add(index.byId, ref, resource);
            const at = ref.lastIndexOf(identityMarker);
            if (at >= 0) {
                add(index.byName, ref.slice(at + identityMarker.length), resource);
            }
        }
        if (unknown) {
            index.unknownHolders.set(resource, Boolean(fromEngine));
            if (!fromEngine) {
                index.unknownWithoutEngine++;
            }
        }
    }
    for (const assignment of assignments) {
        const principal = read(assignment.props, "principalId");
        if (typeof principal === "string") {
            index.granted.add(principal.trim().toLowerCase());
        } else if (isUnknown(principal)) {
            const from = assignment.propertyDependencies?.principalId;
            if (!from) {
                index.unknownPrincipalAnywhere = true;
            } else {
                from.forEach((urn) => index.unknownPrincipalFrom.add(urn));
            }
        }
    }
    return index;
}

function isUsed(identity: Identity, index: StackIndex): boolean | "unknown" {
    const self = identity.resource;
    const other = (list: StackResource[] | undefined) => list !== undefined && list.some((resource) => resource !== self);
    const urn = self.urn;
    const name = identity.name?.toLowerCase();
    if (
        (name !== undefined && other(index.federatedByParent.get(name))) ||
        (urn !== undefined && other(index.federatedByDependency.get(urn))) ||
        (urn !== undefined && other(index.byEngineDependency.get(urn))) ||
        (identity.id !== undefined && other(index.byId.get(identity.id.replace(/\/+$/, "").toLowerCase()))) ||
        (name !== undefined && other(index.byName.get(name)))
    ) {
        return true;
    }
    // An unknown reference might be this identity, unless the engine says where the `identity` value came from.
    const selfFromEngine = index.unknownHolders.get(self);
    const maybe =
        urn !== undefined
            ? index.unknownWithoutEngine - (selfFromEngine === false ? 1 : 0) > 0
            : index.unknownHolders.size - (selfFromEngine !== undefined ? 1 : 0) > 0;
    return maybe ? "unknown" : false;
}

function isGranted(identity: Identity, index: StackIndex): boolean | "unknown" {
    if (identity.principalUnknown || !identity.principalId) {
        return "unknown";
    }
    if (index.granted.has(identity.principalId.trim().toLowerCase())) {
        return true;
    }
    const urn = identity.resource.urn;
    const maybe = index.unknownPrincipalAnywhere || (urn !== undefined && index.unknownPrincipalFrom.has(urn));
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
    builtins: [],
    mcsb: ["IM-3", "PA-7"],
    service: "stack",
    defaultLevel: "mandatory",
    justification:
        "An identity with grants but no workload is standing access nobody owns, and a grant to a principal outside the stack cannot be reviewed with it; both block. " +
        "Legitimate outside principals (an operator group, a shared deploy identity) are exempted by name with the reason.",
    checkStack(resources) {
        const found: Violation[] = [];
        const assignments = resources.filter((resource) => resource.type === types.roleAssignment);
        const index = indexStack(resources, assignments);
        for (const identity of resources.filter((resource) => resource.type === types.userAssignedIdentity).map(identityOf)) {
            if (isUsed(identity, index) === false) {
                found.push(at(identity.resource, "(usage)", "is not attached to any workload, federated credential or Key Vault reference in this stack; attach it or remove it."));
            }
            if (isGranted(identity, index) === false) {
                found.push(
                    at(identity.resource, "principalId", `(${identity.principalId}) has no role assignment in this stack; grant it the narrow roles its workload needs or remove it.`),
                );
            }
        }
        const principals = stackPrincipals(resources);
        let identityHolders: Set<string> | undefined;
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
            identityHolders ??= new Set(
                resources
                    .filter((resource) => resource.urn !== undefined && (resource.type === types.userAssignedIdentity || read(resource.props, "identity") !== undefined))
                    .map((resource) => resource.urn!),
            );
            const holders = identityHolders;
            const from = assignment.propertyDependencies?.principalId ?? [];
            const fromIdentity = from.some((urn) => holders.has(urn));
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
