import type { EvaluatedResource } from "../policies/lib/evaluate";
import type { RecordedResource } from "./mocks";

/**
 * Recorded resources as the policy pack's rules take them (`evaluateResources`): inputs as props, what the
 * engine's per-resource analysis sees; the mock's outputs, what the stack analysis sees; and the dependencies.
 */
/** What the mapping reads of a recorded resource; records loaded from a file may lack outputs and dependencies. */
export type EvaluableRecord = Pick<RecordedResource, "type" | "name" | "urn" | "inputs"> & Partial<Pick<RecordedResource, "state" | "dependencies">>;

export function evaluatedResources(resources: readonly EvaluableRecord[]): EvaluatedResource[] {
    return resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resource.inputs,
        outputs: resource.state,
        dependencies: resource.dependencies,
    }));
}
