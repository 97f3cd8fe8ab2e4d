import * as pulumi from "@pulumi/pulumi";
import * as logic from "@pulumi/azure-native/logic";
import { grantProblems, RoleAssignments } from "../access/RoleAssignments";
import { RoleGrant } from "../access/grants";
import { identityProperties, someIdentityProblem, WorkloadIdentityArgs } from "../identity/identityShape";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";
import { WorkflowDefinition, workflowDefinitionProblems } from "./workflowDefinition";

/** Every workflow run and action outcome. */
export const logicAppDiagnosticCategories = ["WorkflowRuntime"];

export interface LogicAppArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /**
     * The identity HTTP actions authenticate with: the system-assigned identity, or one user-assigned identity
     * (Consumption workflows take one or the other, not both). Required.
     */
    identity: WorkloadIdentityArgs;
    /** The workflow definition, e.g. from `blobReaderWorkflow`. Every HTTP call must use `ManagedServiceIdentity`. */
    definition: WorkflowDefinition;
    /**
     * Hosting plan. Only `Consumption` is supported: Standard (single-tenant) Logic Apps keep their state and
     * content on an Azure Files share reached with a storage account key. Defaults to `Consumption`.
     */
    plan?: "Consumption" | "Standard";
    /** Defaults to `Enabled`. */
    state?: "Enabled" | "Disabled";
    /**
     * Role grants for the system-assigned identity, at the narrowest scope (e.g. Storage Blob Data Reader on a
     * container). A user-assigned identity carries its own grants. Defaults to none.
     */
    grants?: RoleGrant[];
    /** Physical name. Defaults to `logic-<name>`. */
    workflowName?: string;
    /** A management lock on the workflow. Defaults to none. */
    lock?: LockArgs;
    /** Sends WorkflowRuntime logs to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    tags?: Tags;
}

/** Checks every argument, the definition and grants included; returns one message per problem, each naming its key. */
export function logicAppProblems(name: string, args: LogicAppArgs): string[] {
    const problems: string[] = [];
    const plan = args.plan ?? "Consumption";
    if (plan === "Standard") {
        problems.push(
            `plan "Standard" is not supported: Standard (single-tenant) Logic Apps run on App Service and keep their ` +
                `content on an Azure Files share, which is reached with a storage account key (Azure Files offers no identity-based ` +
                `access for it). Use plan "Consumption", whose HTTP actions authenticate with the managed identity.`,
        );
    } else if (plan !== "Consumption") {
        problems.push(`plan must be "Consumption"; got "${String(plan)}".`);
    }
    const identityProblem = someIdentityProblem(args.identity);
    if (identityProblem) {
        problems.push(identityProblem);
    }
    const systemAssigned = args.identity?.systemAssigned === true;
    const userAssignedCount = args.identity?.userAssigned?.length ?? 0;
    if (systemAssigned && userAssignedCount > 0) {
        problems.push(`identity: a Consumption workflow takes either the system-assigned identity or one user-assigned identity, not both.`);
    }
    if (userAssignedCount > 1) {
        problems.push(`identity.userAssigned: a Consumption workflow takes one user-assigned identity; got ${userAssignedCount}.`);
    }
    if ((args.grants ?? []).length > 0 && !systemAssigned) {
        problems.push(`grants apply to the system-assigned identity, which is off; grant roles on the user-assigned identity instead.`);
    }
    if (args.state !== undefined && args.state !== "Enabled" && args.state !== "Disabled") {
        problems.push(`state must be "Enabled" or "Disabled"; got "${String(args.state)}".`);
    }
    if (args.workflowName !== undefined && !/^[A-Za-z0-9_.()-]{1,80}$/.test(args.workflowName)) {
        problems.push(`workflowName "${args.workflowName}" must be 1-80 letters, digits, '-', '_', '.', '(' or ')'.`);
    }
    for (const problem of workflowDefinitionProblems(args.definition, { systemAssigned, userAssignedCount })) {
        problems.push(`definition.${problem}`);
    }
    problems.push(...grantProblems(`${name}-grants`, args.grants ?? []));
    return problems;
}

/**
 * The resource ID the workflow of `LogicApp(name)` gets (its default physical name), known before it exists: a
 * storage account's resource instance rule names it, and the account is declared first.
 */
export function workflowResourceId(subscriptionId: pulumi.Input<string>, resourceGroupName: pulumi.Input<string>, name: string): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Logic/workflows/${physicalName("logicApp", name)}`;
}

/**
 * A Consumption Logic App workflow whose HTTP actions call Azure with its managed identity
 * (`authentication.type: ManagedServiceIdentity`), never a connection key, password or client secret.
 */
export class LogicApp extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly workflowName: pulumi.Output<string>;
    /** Object ID of the system-assigned identity, when it is on. */
    public readonly principalId: pulumi.Output<string | undefined>;
    public readonly grants?: RoleAssignments;

    constructor(name: string, args: LogicAppArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`LogicApp "${name}"`);
        problems.addAll(logicAppProblems(name, args));
        problems.throwIfAny();
        super("keyless:logic:LogicApp", name, {}, opts);
        this.name = name;

        const workflow = new logic.Workflow(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                workflowName: args.workflowName ?? physicalName("logicApp", name),
                state: args.state ?? "Enabled",
                identity: identityProperties(args.identity),
                definition: args.definition,
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = workflow.id;
        this.workflowName = workflow.name;
        this.principalId = workflow.identity.apply((identity) => identity?.principalId);

        if (args.grants && args.grants.length > 0) {
            this.grants = new RoleAssignments(
                `${name}-grants`,
                {
                    principalId: this.principalId.apply((principalId) => {
                        if (!principalId) {
                            throw new Error(`LogicApp "${name}" has no system-assigned principal to grant roles to.`);
                        }
                        return principalId;
                    }),
                    grants: args.grants,
                },
                { parent: this },
            );
        }
        sendDiagnostics(name, workflow.id, args.diagnostics, logicAppDiagnosticCategories, this);
        lockScope(name, workflow.id, args.lock, this);

        this.registerOutputs({ id: this.id, workflowName: this.workflowName, principalId: this.principalId });
    }
}
