import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { DiagnosticsArgs } from "./diagnostics";
import { SavedSearchSpec } from "./savedSearches";
import { Problems, ProblemsError } from "../shared/problems";

export interface MonitoringArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Physical workspace name. Defaults to `log-<name>`. */
    workspaceName?: string;
    /** Days logs are kept; PerGB2018 accepts 30 to 730. Defaults to 30. */
    retentionInDays?: number;
    /** A management lock on the workspace. Defaults to none. */
    lock?: LockArgs;
    tags?: Tags;
    /** KQL queries to keep in the workspace as saved searches, under the category `savedSearchCategory`. */
    savedSearches?: SavedSearchSpec[];
    /** Defaults to "Keyless access review". */
    savedSearchCategory?: string;
}

export const defaultRetentionInDays = 30;
export const minRetentionInDays = 30;
export const maxRetentionInDays = 730;

const workspaceNamePattern = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;

/** Log Analytics workspace names: 4-63 letters, digits and hyphens, starting and ending with a letter or digit. */
export function isWorkspaceName(value: string): boolean {
    return typeof value === "string" && workspaceNamePattern.test(value);
}

/**
 * A Log Analytics workspace that accepts only Entra ID authentication (no shared workspace keys), where
 * readers see only the logs of resources they may read. Components send their logs here through the
 * `diagnostics` argument: `new Vault("app", { ..., diagnostics: monitoring.diagnostics() })`.
 */
export class Monitoring extends pulumi.ComponentResource {
    /** Logical name; the subject of its messages. */
    public readonly name: string;
    /** Resource ID of the workspace: what diagnostic settings name as their destination. */
    public readonly workspaceId: pulumi.Output<string>;
    /** The workspace (customer) GUID used in queries and agent configuration; an identifier, not a secret. */
    public readonly customerId: pulumi.Output<string>;
    public readonly workspaceName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`Monitoring "${name}"`);
        const retention = args.retentionInDays ?? defaultRetentionInDays;
        if (!Number.isInteger(retention) || retention < minRetentionInDays || retention > maxRetentionInDays) {
            problems.add(`retentionInDays must be a whole number from ${minRetentionInDays} to ${maxRetentionInDays}; got ${JSON.stringify(args.retentionInDays)}.`);
        }
        const workspaceName = args.workspaceName ?? physicalName("logAnalytics", name);
        if (!isWorkspaceName(workspaceName)) {
            problems.add(
                `workspaceName "${workspaceName}" must be 4-63 letters, digits and hyphens, starting and ending with a letter or digit` +
                    (args.workspaceName === undefined ? " (derived from the component name; set workspaceName)." : "."),
            );
        }
        problems.throwIfAny();
        super("keyless:monitoring:Monitoring", name, {}, opts);
        this.name = name;

        const workspace = new operationalinsights.Workspace(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                workspaceName,
                sku: { name: "PerGB2018" },
                retentionInDays: retention,
                features: {
                    // Entra ID only: no shared workspace keys for agents or the query API.
                    disableLocalAuth: true,
                    // Resource-context access: whoever may read a vault can query that vault's logs without workspace-wide rights.
                    enableLogAccessUsingOnlyResourcePermissions: true,
                },
                tags: args.tags,
            },
            { parent: this },
        );
        this.workspaceId = workspace.id;
        this.customerId = workspace.customerId;
        this.workspaceName = workspace.name;
        lockScope(name, workspace.id, args.lock, this);
        for (const search of args.savedSearches ?? []) {
            new operationalinsights.SavedSearch(
                `${name}-${search.name}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    workspaceName: workspace.name,
                    savedSearchId: search.name,
                    category: args.savedSearchCategory ?? "Keyless access review",
                    displayName: search.question.length > 0 ? search.question.slice(0, 250) : search.name,
                    query: search.text,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ workspaceId: this.workspaceId, customerId: this.customerId, workspaceName: this.workspaceName });
    }

    /**
     * The `diagnostics` argument for another component, sending to this workspace. Without categories, the
     * component's own defaults apply (AuditEvent on a vault, StorageRead/Write/Delete on storage).
     */
    public diagnostics(categories?: string[], options: { metrics?: boolean } = {}): DiagnosticsArgs {
        if (categories !== undefined && (!Array.isArray(categories) || categories.length === 0 || categories.some((c) => typeof c !== "string" || c.length === 0))) {
            throw new ProblemsError(`Monitoring "${this.name}"`, [
                `diagnostics categories must be a non-empty list of category names, or omitted for the component's defaults; got ${JSON.stringify(categories)}.`,
            ]);
        }
        return { workspaceId: this.workspaceId, categories: categories ? [...categories] : undefined, metrics: options.metrics };
    }
}
