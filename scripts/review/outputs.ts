import * as fs from "fs";
import * as path from "path";
import { ReviewInputError } from "./types";

/** What the review reads from `pulumi stack output --json` of the stack: IDs only, never a secret. */
export interface StackOutputs {
    resourceGroupName: string | null;
    /** The workspace ID live mode queries when --workspace is not given. */
    workspaceCustomerId?: string;
    identityPrincipalIds: Record<string, string>;
    roleAssignmentIds: Record<string, string>;
}

/** What it reads from the bootstrap stack's outputs: who deploys, and which federated credentials it trusts. */
export interface BootstrapOutputs {
    deployPrincipalIds: string[];
    federatedCredentialIds: string[];
    federatedSubjects: string[];
}

function readJson(file: string, option: string): Record<string, unknown> {
    if (!fs.existsSync(file)) {
        throw new ReviewInputError(`${option} ${file} does not exist; expected the JSON that \`pulumi stack output --json\` writes.`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new ReviewInputError(`${path.basename(file)}: not valid JSON (${(error as Error).message}).`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ReviewInputError(`${path.basename(file)}: expected a JSON object of stack outputs.`);
    }
    return parsed as Record<string, unknown>;
}

function stringMap(file: string, outputs: Record<string, unknown>, key: string): Record<string, string> {
    const value = outputs[key];
    if (value === undefined) {
        throw new ReviewInputError(`${path.basename(file)}: no "${key}" output; deploy a version of the stack that exports it (index.ts).`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
        throw new ReviewInputError(`${path.basename(file)}: "${key}" must map names to strings.`);
    }
    for (const [name, entry] of Object.entries(value)) {
        if (typeof entry !== "string" || entry.length === 0) {
            throw new ReviewInputError(`${path.basename(file)}: "${key}.${name}" must be a non-empty string, got ${JSON.stringify(entry)}.`);
        }
    }
    return value as Record<string, string>;
}

export function readStackOutputs(file: string): StackOutputs {
    const outputs = readJson(file, "--outputs");
    return {
        resourceGroupName: typeof outputs.resourceGroupName === "string" ? outputs.resourceGroupName : null,
        ...(typeof outputs.workspaceCustomerId === "string" ? { workspaceCustomerId: outputs.workspaceCustomerId } : {}),
        identityPrincipalIds: stringMap(file, outputs, "identityPrincipalIds"),
        roleAssignmentIds: stringMap(file, outputs, "roleAssignmentIds"),
    };
}

function strings(file: string, outputs: Record<string, unknown>, key: string): string[] {
    const value = outputs[key];
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string")) {
        throw new ReviewInputError(`${path.basename(file)}: "${key}" must be a list of strings.`);
    }
    return value as string[];
}

export function readBootstrapOutputs(file: string): BootstrapOutputs {
    const outputs = readJson(file, "--bootstrap-outputs");
    const principals = ["principalId", "previewPrincipalId"].map((key) => outputs[key]).filter((value): value is string => typeof value === "string");
    if (principals.length === 0) {
        throw new ReviewInputError(`${path.basename(file)}: no "principalId" output; expected the bootstrap stack's \`pulumi stack output --json\`.`);
    }
    return {
        deployPrincipalIds: principals,
        federatedCredentialIds: [...strings(file, outputs, "federatedCredentialIds"), ...strings(file, outputs, "previewFederatedCredentialIds")],
        federatedSubjects: [...strings(file, outputs, "federatedSubjects"), ...strings(file, outputs, "previewFederatedSubjects")],
    };
}
