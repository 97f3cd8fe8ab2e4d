import type { RecordedResource } from "../../offline/mocks";
import { deriveAccess, ExpectedGrant } from "./access";
import { normalizeDatabaseGrants } from "./databaseGrants";
import { deriveNetwork } from "./network";
import { requiredImages } from "./images";
import { indexResources, planResources, planTotals } from "./resources";
import { PlanDocument, PlanFinding, planSchemaVersion } from "./types";

export interface BuildPlanInput {
    stack: string;
    resources: readonly RecordedResource[];
    /** The program's outputs, resolved to plain values; only `databaseGrants` is read. */
    outputs?: Record<string, unknown>;
    /** Grants the stack config names, to tell them from grants a component adds. */
    expectedGrants?: readonly ExpectedGrant[];
    findings: readonly PlanFinding[];
    /** The policy config file used, relative to the repository. */
    policyConfig?: string | null;
    generatedAt?: string;
}

/** What every plan says about itself: what offline means, and what only a real preview shows. */
export const standardNotes: readonly string[] = [
    "Offline plan: the program ran under Pulumi's mock runtime with the real azure-native resource classes. Nothing was sent to Azure and no Pulumi CLI or credentials were used.",
    "Values Azure computes at deploy time are stand-ins here: resource IDs, principal and client IDs, host names, endpoints and generated name suffixes. Grants are matched to identities and scopes through these stand-ins consistently, but the real values exist only after deployment.",
    "Only a real `pulumi preview --policy-pack policies` against the stack shows what already exists in Azure: which resources would be created, updated or replaced, drift, and validation by Azure itself.",
    "Secret values never appear: `secure:` config values are opaque placeholders offline, and secret inputs are hashed as placeholders.",
];

/** Assembles the plan document from one mock run. Pure: the same run gives the same document, byte for byte. */
export function buildPlan(input: BuildPlanInput): PlanDocument {
    const index = indexResources(input.resources);
    const resources = planResources(index);
    const access = deriveAccess(index, input.expectedGrants ?? []);
    const database = normalizeDatabaseGrants(input.outputs?.databaseGrants);
    const { network, byGrant } = deriveNetwork(index, access.grants, database.grants);
    const images = requiredImages(index);
    const notes = [...standardNotes];
    notes.push(
        input.policyConfig
            ? `Policy levels come from ${input.policyConfig}, as with \`--policy-pack-config\`.`
            : "Policy levels are the rules' defaults (no policy config file for this stack).",
    );
    if (database.grants.length > 0) {
        notes.push("Database grants are T-SQL, not ARM: Pulumi does not apply them. An operator runs the generated script as the server's Entra administrator.");
    }
    const unreachable = network.counts.unreachable ?? 0;
    if (unreachable > 0) {
        notes.push(`${unreachable} access edge(s) are unreachable: the grant exists but the network does not let the caller through (see the network column and \`network.edges\`).`);
    }
    if (images.length > 0) {
        notes.push("Images are pulled from the stack's own registries, which are empty on a first deploy: push each listed image before `pulumi up` creates its container group.");
    }
    if (database.problem) {
        notes.push(`Database grants not shown: ${database.problem}.`);
    }
    const external = access.identities.filter((identity) => identity.kind === "external");
    if (external.length > 0) {
        notes.push(`${external.length} role assignment principal(s) are not identities this stack declares; they are shown by object ID.`);
    }
    return {
        schemaVersion: planSchemaVersion,
        stack: input.stack,
        ...(input.generatedAt ? { generatedAt: input.generatedAt } : {}),
        resources,
        totals: planTotals(resources),
        workloads: access.workloads,
        identities: access.identities,
        grants: access.grants.map((grant) => ({ ...grant, network: byGrant.get(grant.urn)! })),
        databaseGrants: database.grants,
        network,
        images,
        policy: { config: input.policyConfig ?? null, violations: [...input.findings] },
        notes,
    };
}

export function mandatoryViolations(plan: Pick<PlanDocument, "policy">): PlanFinding[] {
    return plan.policy.violations.filter((finding) => finding.level === "mandatory");
}
