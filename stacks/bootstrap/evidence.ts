import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import { roleDefinitionId } from "../../infra/access/roles";
import { Monitoring } from "../../infra/monitoring/Monitoring";
import { loadSavedSearches, reviewQueriesDir } from "../../infra/monitoring/savedSearches";
import { roleAssignmentName } from "../../infra/shared/naming";
import { Tags } from "../../infra/shared/tags";

/**
 * The evidence an access review reads that no main stack can export: the subscription's Activity Log (who changed
 * what, through ARM) and, opt-in, Entra ID's sign-in logs. Both go to an audit workspace in the bootstrap's group;
 * the read-only preview identity can query it (Log Analytics Reader) so that the weekly review runs without writes.
 * See docs/review.md.
 */

/** Activity Log categories the review reads: Administrative (every ARM write), Security and Policy. */
export const activityLogCategories = ["Administrative", "Security", "Policy"];

/**
 * Entra ID tenant-level categories (microsoft.aadiam/diagnosticSettings, 2017-04-01):
 * https://learn.microsoft.com/azure/templates/microsoft.aadiam/2017-04-01/diagnosticsettings
 */
export const entraLogCategories = ["ManagedIdentitySignInLogs", "ServicePrincipalSignInLogs", "AuditLogs"];

/** Built-in Log Analytics Reader: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/monitor#log-analytics-reader */
export const logAnalyticsReaderRoleId = "73c42c96-874c-492b-b04d-ab87d138a893";

export interface EvidenceArgs {
    project: string;
    resourceGroupName: pulumi.Input<string>;
    location: string;
    tags: Tags;
    subscriptionId: pulumi.Output<string>;
    previewPrincipalId: pulumi.Output<string>;
    retentionDays: number;
    /** Declares the Entra ID diagnostic setting: needs an Entra role (Security Administrator) that the deploy identity never holds. */
    entraSignInLogs: boolean;
}

export interface Evidence {
    /** The audit workspace's resource ID. */
    workspaceId: pulumi.Output<string>;
    /** Its workspace (customer) ID: what `npm run review -- --workspace` takes. */
    customerId: pulumi.Output<string>;
}

/** The audit workspace, declared before the bootstrap's vault so that the vault's AuditEvent logs go there too. */
export function declareAuditWorkspace(args: Pick<EvidenceArgs, "project" | "resourceGroupName" | "location" | "tags" | "retentionDays">): Monitoring {
    return new Monitoring(`${args.project}-audit`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        retentionInDays: args.retentionDays,
        tags: args.tags,
        savedSearches: loadSavedSearches(reviewQueriesDir),
        lock: { kind: "CanNotDelete", notes: "Holds the Activity Log and sign-in evidence of every Keyless stack. Managed by the bootstrap stack." },
    });
}

export function declareEvidence(args: EvidenceArgs & { audit: Monitoring }): Evidence {
    const audit = args.audit;
    // Subscription-scoped: the provider's subscription, the one the bootstrap runs in.
    new monitor.SubscriptionDiagnosticSetting(`${args.project}-activity-log`, {
        name: "keyless-activity-log",
        workspaceId: audit.workspaceId,
        logs: activityLogCategories.map((category) => ({ category, enabled: true })),
    });
    if (args.entraSignInLogs) {
        new aadiam.DiagnosticSetting(`${args.project}-entra-sign-ins`, {
            name: "keyless-sign-ins",
            workspaceId: audit.workspaceId,
            logs: entraLogCategories.map((category) => ({ category, enabled: true })),
        });
    }
    const definition = args.subscriptionId.apply((subscription) => roleDefinitionId(subscription, logAnalyticsReaderRoleId));
    new authorization.RoleAssignment(
        `${args.project}-preview-log-analytics-reader`,
        {
            scope: audit.workspaceId,
            principalId: args.previewPrincipalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: definition,
            roleAssignmentName: pulumi
                .all([audit.workspaceId, args.previewPrincipalId, definition])
                .apply(([scope, principal, role]) => roleAssignmentName(scope, principal, role)),
            description: "Keyless preview: queries the audit workspace for the weekly access review (npm run review), read-only.",
        },
        { deleteBeforeReplace: false },
    );
    return { workspaceId: audit.workspaceId, customerId: audit.customerId };
}
