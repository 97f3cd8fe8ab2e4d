/**
 * Where a process's CPU time went, from a V8 `.cpuprofile` (`node --cpu-prof`): self time per sample, put in buckets
 * by the code it was spent in. Pure. Used to say how much of a fleet run is the Pulumi SDK, the stack traces it
 * takes (mapped through source maps), garbage collection, and the project's own code.
 */

export interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
}

export const profileBuckets = [
    "garbage collection",
    "stack traces mapped through source maps",
    "Pulumi SDK",
    "provider classes (azure-native, random)",
    "protobuf and gRPC",
    "TypeScript compile (ts-node)",
    "mock harness",
    "project code",
    "Node and V8 runtime",
    "other libraries",
] as const;
export type ProfileBucket = (typeof profileBuckets)[number];

/** The bucket of one call frame. `repoRoot` is the repository's absolute path. */
export function bucketOf(functionName: string, url: string, repoRoot: string): ProfileBucket | undefined {
    if (functionName === "(idle)" || functionName === "(root)") {
        return undefined;
    }
    if (functionName === "(garbage collector)") {
        return "garbage collection";
    }
    if (/source-map-support|@jridgewell|sourcemap-codec|trace-mapping/.test(url)) {
        return "stack traces mapped through source maps";
    }
    if (url.includes("/node_modules/@pulumi/pulumi/")) {
        return url.includes("/proto/") ? "protobuf and gRPC" : "Pulumi SDK";
    }
    if (url.includes("/node_modules/@pulumi/azure-native/") || url.includes("/node_modules/@pulumi/random/")) {
        return "provider classes (azure-native, random)";
    }
    if (/\/node_modules\/(google-protobuf|@grpc)\//.test(url)) {
        return "protobuf and gRPC";
    }
    if (/\/node_modules\/(typescript|ts-node|@cspotcode|v8-compile-cache-lib)\//.test(url)) {
        return "TypeScript compile (ts-node)";
    }
    if (url.includes("/node_modules/")) {
        return "other libraries";
    }
    const local = url.replace(/^file:\/\//, "");
    if (local.startsWith(`${repoRoot}/`)) {
        return /\/offline\/|\/infra\/testing\/|\/bench\//.test(local) ? "mock harness" : "project code";
    }
    return "Node and V8 runtime";
}

/** Milliseconds of self time per bucket, and the total (idle excluded). */
export function profileBreakdown(profile: CpuProfile, repoRoot: string): { totalMs: number; buckets: Record<ProfileBucket, number> } {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const buckets = Object.fromEntries(profileBuckets.map((bucket) => [bucket, 0])) as Record<ProfileBucket, number>;
    let total = 0;
    profile.samples.forEach((id, i) => {
        const node = byId.get(id);
        const delta = (profile.timeDeltas[i] ?? 0) / 1000;
        const bucket = node ? bucketOf(node.callFrame.functionName, node.callFrame.url, repoRoot) : undefined;
        if (bucket) {
            buckets[bucket] += delta;
            total += delta;
        }
    });
    return { totalMs: total, buckets };
}
