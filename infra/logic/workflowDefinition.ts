import * as pulumi from "@pulumi/pulumi";
import { credentialsIn, describeCredentials, isSecretLikeName } from "../shared/plainValues";
import { Problems } from "../shared/problems";

/**
 * Logic Apps workflow definitions (the Workflow Definition Language), built and checked as plain data.
 * Every outbound HTTP call authenticates with the workflow's managed identity; nothing in a definition may
 * carry a password, client secret, certificate or key.
 */
export const workflowSchema = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";
/** Blob service REST version sent with reads; OAuth (Entra) requests need 2017-11-09 or later. */
export const blobServiceVersion = "2023-11-03";
export const storageAudience = "https://storage.azure.com/";

/** A definition as ARM takes it. Values may be Outputs (an identity's resource ID, a blob URL). */
export type WorkflowDefinition = Record<string, unknown>;

export interface Recurrence {
    frequency: "Minute" | "Hour" | "Day" | "Week" | "Month";
    interval: number;
}

export interface BlobReaderWorkflowArgs {
    /** `https://<account>.blob.core.windows.net/<container>/<blob>`, without a SAS. */
    blobUrl: pulumi.Input<string>;
    /** Resource ID of the user-assigned identity to call with. Defaults to the system-assigned identity. */
    identityId?: pulumi.Input<string>;
    /** When the workflow runs. Defaults to every hour. */
    recurrence?: Recurrence;
}

/**
 * An example workflow that reads one blob with the workflow's identity: an HTTP GET with the Blob service's
 * `x-ms-version` header and `ManagedServiceIdentity` authentication for Storage. No connection, no key, no SAS:
 * the identity needs Storage Blob Data Reader on the container.
 */
export function blobReaderWorkflow(args: BlobReaderWorkflowArgs): WorkflowDefinition {
    const problems = new Problems("blobReaderWorkflow");
    if (typeof args.blobUrl === "string") {
        if (!/^https:\/\/[a-z0-9]{3,24}\.blob\.[a-z0-9.]+\/[^?#\s]+$/i.test(args.blobUrl)) {
            problems.add(
                `blobUrl must be https://<account>.blob.core.windows.net/<container>/<blob> without a query string; got "${args.blobUrl.split("?")[0]}${args.blobUrl.includes("?") ? "?…" : ""}".`,
            );
        }
    }
    const recurrence = args.recurrence ?? { frequency: "Hour", interval: 1 };
    if (!Number.isInteger(recurrence.interval) || recurrence.interval < 1) {
        problems.add(`recurrence.interval must be a positive integer; got ${JSON.stringify(recurrence.interval)}.`);
    }
    problems.throwIfAny();
    const authentication: Record<string, unknown> = { type: "ManagedServiceIdentity", audience: storageAudience };
    if (args.identityId !== undefined) {
        authentication.identity = args.identityId;
    }
    return {
        $schema: workflowSchema,
        contentVersion: "1.0.0.0",
        parameters: {},
        triggers: {
            Recurrence: { type: "Recurrence", recurrence: { frequency: recurrence.frequency, interval: recurrence.interval } },
        },
        actions: {
            Read_blob: {
                type: "Http",
                runAfter: {},
                inputs: {
                    method: "GET",
                    uri: args.blobUrl,
                    headers: { "x-ms-version": blobServiceVersion },
                    authentication,
                },
            },
        },
        outputs: {},
    };
}

/** Which identities the workflow has, so that each HTTP call's identity can be checked against them. */
export interface WorkflowIdentities {
    systemAssigned: boolean;
    userAssignedCount: number;
}

const httpTypes = new Set(["http", "httpwebhook"]);
const connectionTypes = new Set(["apiconnection", "apiconnectionwebhook"]);
const storedCredentialAuth: Record<string, string> = {
    basic: "a user name and password",
    clientcertificate: "a client certificate and its password",
    activedirectoryoauth: "an app registration's client secret or certificate",
    raw: "a literal Authorization header value",
};
/** A header that carries a credential whatever its value looks like; other names go through `isSecretLikeName`. */
const credentialHeaders = new Set(["authorization", "proxy-authorization"]);

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value);
}

function checkHttp(where: string, step: Record<string, unknown>, identities: WorkflowIdentities, problems: string[]): void {
    const inputs = isRecord(step.inputs) ? step.inputs : {};
    const authentication = inputs.authentication;
    if (!isRecord(authentication)) {
        problems.push(
            `${where}: HTTP calls must authenticate with the workflow's managed identity ` +
                `(inputs.authentication.type "ManagedServiceIdentity" with an audience); it has no authentication.`,
        );
    } else {
        const type = authentication.type;
        if (typeof type === "string" && type.toLowerCase() !== "managedserviceidentity") {
            const stored = storedCredentialAuth[type.toLowerCase()];
            problems.push(
                `${where}: authentication type "${type}" ${stored ? `stores ${stored} in the workflow` : "is not supported"}; ` +
                    `use "ManagedServiceIdentity" and grant the workflow's identity a role on the target.`,
            );
        } else if (typeof type === "string") {
            if (authentication.identity === undefined && !identities.systemAssigned) {
                problems.push(`${where}: authentication uses the system-assigned identity (no identity given) but the workflow has none; set identity.systemAssigned or name the user-assigned identity.`);
            }
            if (authentication.identity !== undefined && identities.userAssignedCount === 0) {
                problems.push(`${where}: authentication names a user-assigned identity but the workflow has none attached; add it to identity.userAssigned.`);
            }
            for (const key of ["password", "pfx", "secret", "value"]) {
                if (authentication[key] !== undefined) {
                    problems.push(`${where}: authentication.${key} is a stored credential; managed identity authentication takes none.`);
                }
            }
        } else if (!pulumi.Output.isInstance(type)) {
            problems.push(`${where}: authentication.type must be "ManagedServiceIdentity".`);
        }
    }
    if (typeof inputs.uri === "string") {
        const findings = credentialsIn("uri", inputs.uri);
        if (findings.length > 0) {
            problems.push(`${where}: the URI carries a credential: ${describeCredentials(findings)}; call the endpoint with the managed identity instead.`);
        } else if (/[?&]code=/i.test(inputs.uri)) {
            // A Functions key of any length: the detector only reports ones long enough to be real.
            problems.push(`${where}: the URI carries a key ("code=" in its query); call the endpoint with the managed identity instead.`);
        }
    }
    if (isRecord(inputs.headers)) {
        for (const [header, value] of Object.entries(inputs.headers)) {
            if (credentialHeaders.has(header.toLowerCase()) || isSecretLikeName(header)) {
                problems.push(`${where}: header "${header}" carries a credential; the managed identity's token replaces it.`);
            } else if (typeof value === "string") {
                const findings = credentialsIn(header, value);
                if (findings.length > 0) {
                    problems.push(`${where}: header "${header}" holds a credential: ${describeCredentials(findings)}.`);
                }
            }
        }
    }
}

function checkSteps(path: string, steps: unknown, identities: WorkflowIdentities, problems: string[]): void {
    if (steps === undefined) {
        return;
    }
    if (!isRecord(steps)) {
        problems.push(`${path} must be an object of named steps.`);
        return;
    }
    for (const [stepName, step] of Object.entries(steps)) {
        const where = `${path}.${stepName}`;
        if (!isRecord(step)) {
            problems.push(`${where} must be an object.`);
            continue;
        }
        const type = typeof step.type === "string" ? step.type.toLowerCase() : "";
        if (httpTypes.has(type)) {
            checkHttp(where, step, identities, problems);
        } else if (connectionTypes.has(type)) {
            problems.push(
                `${where}: "${step.type}" goes through a managed API connection, which this component does not create or check; ` +
                    `call the service with an Http action and the managed identity.`,
            );
        } else if (type === "request" && path === "triggers") {
            problems.push(
                `${where}: a Request trigger is called through a URL signed with a shared access signature, a credential every caller holds; ` +
                    `use a Recurrence or event trigger, or put the workflow behind an API that authenticates callers.`,
            );
        }
        // Scopes, conditions, loops and switches nest further steps.
        checkSteps(`${where}.actions`, step.actions, identities, problems);
        if (isRecord(step.else)) {
            checkSteps(`${where}.else.actions`, step.else.actions, identities, problems);
        }
        if (isRecord(step.cases)) {
            for (const [caseName, branch] of Object.entries(step.cases)) {
                if (isRecord(branch)) {
                    checkSteps(`${where}.cases.${caseName}.actions`, branch.actions, identities, problems);
                }
            }
        }
        if (isRecord(step.default)) {
            checkSteps(`${where}.default.actions`, step.default.actions, identities, problems);
        }
    }
}

/**
 * Checks a workflow definition: every HTTP trigger and action (nested ones included) authenticates with the
 * workflow's managed identity and carries no key; managed API connections and SAS-signed Request triggers are
 * refused. Returns one message per problem, each naming the step.
 */
export function workflowDefinitionProblems(definition: unknown, identities: WorkflowIdentities): string[] {
    if (!isRecord(definition)) {
        return ["definition must be a workflow definition object (with triggers and actions)."];
    }
    const problems: string[] = [];
    checkSteps("triggers", definition.triggers, identities, problems);
    checkSteps("actions", definition.actions, identities, problems);
    return problems;
}
