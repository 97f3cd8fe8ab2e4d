import { createHash } from "crypto";
import type { RecordedResource } from "../../offline/mocks";
import { normalizeId } from "./armIds";
import { PlanResource, PlanTotals } from "./types";

/**
 * An index over the resources of one mock run: by URN, by ARM ID, children per parent. Every lookup the plan
 * makes goes through a Map, so a stack with thousands of resources is planned in linear time.
 */
export interface ResourceIndex {
    resources: readonly RecordedResource[];
    byUrn: Map<string, RecordedResource>;
    /** Normalized ARM ID → the resource that owns it (see `preferredForId`). */
    byId: Map<string, RecordedResource>;
    children: Map<string, RecordedResource[]>;
    /** Human label of a resource: its component's logical name when the component holds one resource of its type. */
    labelOf(resource: RecordedResource): string;
    /** Logical name of the top-level component a resource belongs to, or undefined for a top-level cloud resource. */
    topComponentOf(resource: RecordedResource): RecordedResource | undefined;
    /** The nearest enclosing component. */
    componentOf(resource: RecordedResource): RecordedResource | undefined;
}

/**
 * Several resources can share one ARM ID: settings resources such as `WebAppFtpAllowed` address their site.
 * The resource a grant targets is the one whose type says what the ID is.
 */
const settingsLikeType = /(?:Allowed|Setting|Settings|Policy|Policies|Configuration|Config|Lock|LockByScope|DiagnosticSetting)$/;

function preferredForId(current: RecordedResource, candidate: RecordedResource): RecordedResource {
    const currentSettings = settingsLikeType.test(current.type);
    const candidateSettings = settingsLikeType.test(candidate.type);
    if (currentSettings !== candidateSettings) {
        return currentSettings ? candidate : current;
    }
    return current;
}

export function indexResources(resources: readonly RecordedResource[]): ResourceIndex {
    const byUrn = new Map<string, RecordedResource>();
    const byId = new Map<string, RecordedResource>();
    const children = new Map<string, RecordedResource[]>();
    const sameTypeUnderParent = new Map<string, number>();
    for (const resource of resources) {
        byUrn.set(resource.urn, resource);
        if (resource.custom && typeof resource.id === "string" && resource.id.startsWith("/")) {
            const key = normalizeId(resource.id);
            const existing = byId.get(key);
            byId.set(key, existing ? preferredForId(existing, resource) : resource);
        }
        if (resource.parentUrn) {
            const list = children.get(resource.parentUrn) ?? [];
            list.push(resource);
            children.set(resource.parentUrn, list);
            const key = `${resource.parentUrn}\u0000${resource.type}`;
            sameTypeUnderParent.set(key, (sameTypeUnderParent.get(key) ?? 0) + 1);
        }
    }

    const componentOf = (resource: RecordedResource): RecordedResource | undefined => {
        const parent = resource.parentUrn ? byUrn.get(resource.parentUrn) : undefined;
        return parent && !parent.custom ? parent : undefined;
    };
    const topCache = new Map<string, RecordedResource | undefined>();
    const topComponentOf = (resource: RecordedResource): RecordedResource | undefined => {
        if (topCache.has(resource.urn)) {
            return topCache.get(resource.urn);
        }
        const parent = resource.parentUrn ? byUrn.get(resource.parentUrn) : undefined;
        const top = parent ? topComponentOf(parent) ?? (parent.custom ? undefined : parent) : resource.custom ? undefined : resource;
        topCache.set(resource.urn, top);
        return top;
    };
    const labelOf = (resource: RecordedResource): string => {
        const component = componentOf(resource);
        if (component && sameTypeUnderParent.get(`${component.urn}\u0000${resource.type}`) === 1) {
            return component.name;
        }
        return resource.name;
    };
    return { resources, byUrn, byId, children, labelOf, topComponentOf, componentOf };
}

/** Canonical JSON (sorted keys) with secret inputs replaced, so that the hash is stable and reveals no secret. */
export function canonicalInputs(value: unknown, secretPaths: ReadonlySet<string>, path = ""): unknown {
    if (path && secretPaths.has(path)) {
        return "[secret]";
    }
    if (Array.isArray(value)) {
        return value.map((item, index) => canonicalInputs(item, secretPaths, `${path}[${index}]`));
    }
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            out[key] = canonicalInputs((value as Record<string, unknown>)[key], secretPaths, path ? `${path}.${key}` : key);
        }
        return out;
    }
    return value;
}

export function inputsHash(resource: Pick<RecordedResource, "inputs" | "secretPaths">): string {
    const canonical = JSON.stringify(canonicalInputs(resource.inputs, new Set(resource.secretPaths)));
    return `sha256:${createHash("sha256").update(canonical ?? "null").digest("hex")}`;
}

function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function planResources(index: ResourceIndex): PlanResource[] {
    return index.resources
        .map((resource) => ({
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            parent: resource.parentUrn && index.byUrn.has(resource.parentUrn) ? resource.parentUrn : null,
            component: index.topComponentOf(resource)?.name ?? null,
            custom: resource.custom,
            inputsHash: inputsHash(resource),
        }))
        .sort((a, b) => compareStrings(a.urn, b.urn));
}

export function planTotals(resources: readonly PlanResource[]): PlanTotals {
    const counts = new Map<string, number>();
    let custom = 0;
    for (const resource of resources) {
        counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
        if (resource.custom) {
            custom++;
        }
    }
    const byType: Record<string, number> = {};
    for (const type of [...counts.keys()].sort(compareStrings)) {
        byType[type] = counts.get(type)!;
    }
    return { resources: resources.length, custom, components: resources.length - custom, byType };
}

/** The resource tree, roots first, each level sorted by type then name (deterministic across runs). */
export interface TreeNode {
    resource: PlanResource;
    children: TreeNode[];
}

export function resourceTree(resources: readonly PlanResource[]): TreeNode[] {
    const nodes = new Map<string, TreeNode>();
    for (const resource of resources) {
        nodes.set(resource.urn, { resource, children: [] });
    }
    const roots: TreeNode[] = [];
    for (const node of nodes.values()) {
        const parent = node.resource.parent ? nodes.get(node.resource.parent) : undefined;
        (parent ? parent.children : roots).push(node);
    }
    const order = (a: TreeNode, b: TreeNode) =>
        Number(a.resource.custom) - Number(b.resource.custom) ||
        compareStrings(a.resource.type, b.resource.type) ||
        compareStrings(a.resource.name, b.resource.name) ||
        compareStrings(a.resource.urn, b.resource.urn);
    const sortDeep = (list: TreeNode[]) => {
        list.sort(order);
        for (const node of list) {
            sortDeep(node.children);
        }
    };
    sortDeep(roots);
    return roots;
}

export { compareStrings };
