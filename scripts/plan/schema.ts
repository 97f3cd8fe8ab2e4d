import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import planSchema from "./plan.schema.json";
import { PlanDocument, planSchemaVersion } from "./types";

export { planSchema };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
    compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(planSchema);
    return compiled;
}

function describeError(error: ErrorObject): string {
    const where = error.instancePath || "(top level)";
    const extra =
        error.keyword === "additionalProperties"
            ? ` ("${(error.params as { additionalProperty: string }).additionalProperty}")`
            : error.keyword === "enum"
              ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value)).join(", ")})`
              : "";
    return `${where} ${error.message ?? "is invalid"}${extra}`;
}

/** Problems with a value read as a plan, at most `limit` of them; empty when it is a valid plan. */
export function planProblems(value: unknown, limit = 10): string[] {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
        return ["not a Keyless plan: expected a JSON object (the output of `npm run plan -- --format json`)"];
    }
    const version = (value as { schemaVersion?: unknown }).schemaVersion;
    if (version === undefined) {
        return ["not a Keyless plan: it has no schemaVersion (the output of `npm run plan -- --format json` has one)"];
    }
    if (version !== planSchemaVersion) {
        return [`schemaVersion ${JSON.stringify(version)} is not supported; this tool reads schemaVersion ${planSchemaVersion}. Make both plans with the same version of the plan script.`];
    }
    const validate = validator();
    if (validate(value)) {
        return [];
    }
    const errors = (validate.errors ?? []).map(describeError);
    return errors.length > limit ? [...errors.slice(0, limit), `... and ${errors.length - limit} more`] : errors;
}

export function isPlan(value: unknown): value is PlanDocument {
    return planProblems(value).length === 0;
}
