import * as pulumi from "@pulumi/pulumi";

/**
 * Container image references as Docker and Azure read them: `[host/]repository[:tag][@sha256:digest]`. The first
 * path component is a registry host only when it holds a `.` or `:` or is `localhost`; otherwise the reference
 * means Docker Hub, which is why `ingest:1.4.2` is pulled from `docker.io/library/ingest`
 * (https://learn.microsoft.com/azure/container-instances/container-instances-troubleshooting, InaccessibleImage).
 */
export interface ImageReference {
    /** Registry host, when the reference names one. */
    host?: string;
    repository: string;
    tag?: string;
    /** `sha256:<64 hex>`. */
    digest?: string;
}

const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const referencePattern = new RegExp(`^(?<path>${component}(?:/${component})*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`);

function splitHost(image: string): { host?: string; rest: string } {
    const slash = image.indexOf("/");
    const first = slash < 0 ? "" : image.slice(0, slash);
    if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
        return { host: first, rest: image.slice(slash + 1) };
    }
    return { rest: image };
}

/** The parts of an image reference, or undefined when it is not one. */
export function parseImageReference(image: string): ImageReference | undefined {
    if (typeof image !== "string") {
        return undefined;
    }
    const { host, rest } = splitHost(image);
    const match = referencePattern.exec(rest);
    if (!match?.groups) {
        return undefined;
    }
    const { path, tag, digest } = match.groups;
    return { ...(host ? { host } : {}), repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** True when the reference names one image for good: a digest, or a tag other than `latest`. */
export function isPinned(reference: ImageReference): boolean {
    return reference.digest !== undefined || (reference.tag !== undefined && reference.tag !== "latest");
}

/** `repository:tag` or `repository@digest` (both when both are given), without a host. */
export function repositoryReference(reference: ImageReference): string {
    return `${reference.repository}${reference.tag ? `:${reference.tag}` : ""}${reference.digest ? `@${reference.digest}` : ""}`;
}

export const pinnedRemedy = "give a version tag (ingest:1.4.2) or a digest (ingest@sha256:<64 hex>), so that a deploy runs the image that was reviewed";

/**
 * Problems with an image pulled from the stack's own registry, named in config without its host: the registry's
 * login server is computed at deploy time and put in front. `pinned` refuses `latest` and a missing tag.
 */
export function registryImageProblems(key: string, image: string, options: { registry: string; pinned: boolean }): string[] {
    const reference = parseImageReference(image);
    if (!reference) {
        return [`${key}: "${image}" is not an image reference; expected REPOSITORY:TAG or REPOSITORY@sha256:DIGEST, such as ingest:1.4.2`];
    }
    const problems: string[] = [];
    if (reference.host) {
        problems.push(
            `${key}: "${image}" names the registry host "${reference.host}"; the image is pulled from registry "${options.registry}", ` +
                `whose login server is put in front at deploy time: give ${repositoryReference(reference)}`,
        );
    }
    if (options.pinned && !isPinned(reference)) {
        problems.push(`${key}: "${image}" ${reference.tag === "latest" ? "is tagged latest" : "has no tag"}, which production refuses; ${pinnedRemedy}`);
    }
    return problems;
}

/**
 * The full reference the group pulls: `<loginServer>/<repository>...` for an image without a host, the image itself
 * when it names `loginServer`. An image naming another host fails (at once for a known login server, else when it resolves).
 */
export function qualifiedImage(owner: string, image: string, loginServer: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(loginServer).apply((server) => {
        const reference = parseImageReference(image);
        if (!reference?.host) {
            return `${server}/${image}`;
        }
        if (reference.host.toLowerCase() !== server.toLowerCase()) {
            throw new Error(`${owner}: image "${image}" names registry host "${reference.host}", but the group pulls from registry ${server}; give the image without a host or on ${server}.`);
        }
        return image;
    });
}
