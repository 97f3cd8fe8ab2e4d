import type { RecordedResource } from "../../offline/mocks";
import { compareStrings, ResourceIndex } from "./resources";
import { PlanImage } from "./types";

const containerGroupType = "azure-native:containerinstance:ContainerGroup";
const registryType = "azure-native:containerregistry:Registry";

/**
 * The images each container group pulls from a registry the stack declares. The registry is empty on a first
 * `pulumi up`: each of these must be pushed before the group is created, or the create fails (InaccessibleImage).
 */
export function requiredImages(index: ResourceIndex): PlanImage[] {
    const registries = new Map<string, RecordedResource>();
    for (const resource of index.resources) {
        const server = resource.type === registryType ? resource.state?.loginServer : undefined;
        if (typeof server === "string") {
            registries.set(server.toLowerCase(), resource);
        }
    }
    const images: PlanImage[] = [];
    for (const group of index.resources.filter((resource) => resource.type === containerGroupType)) {
        const containers = Array.isArray(group.inputs.containers) ? (group.inputs.containers as { image?: unknown }[]) : [];
        for (const container of containers) {
            const image = typeof container.image === "string" ? container.image : undefined;
            const server = image?.split("/")[0].toLowerCase();
            const registry = server ? registries.get(server) : undefined;
            if (image && registry) {
                images.push({ workload: index.topComponentOf(group)?.name ?? group.name, registry: index.labelOf(registry), image: image.slice(server!.length + 1) });
            }
        }
    }
    return images.sort((a, b) => compareStrings(a.registry, b.registry) || compareStrings(a.image, b.image) || compareStrings(a.workload, b.workload));
}
