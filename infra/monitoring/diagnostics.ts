import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";

/** One diagnostics shape on every component: where to send logs, and which categories. */
export interface DiagnosticsArgs {
    /** Resource ID of the Log Analytics workspace that receives the logs. */
    workspaceId: pulumi.Input<string>;
    /** Log categories to send. Defaults to the component's own list (for example AuditEvent on a vault). */
    categories?: string[];
    /** Also send platform metrics. Defaults to false. */
    metrics?: boolean;
}

/**
 * Declares a diagnostic setting on `resourceUri` as a child of `parent`, or nothing when diagnostics are
 * off. Resource-specific tables are used so that queries such as "who read which secret" stay simple.
 */
export function sendDiagnostics(
    name: string,
    resourceUri: pulumi.Input<string>,
    diagnostics: DiagnosticsArgs | undefined,
    defaultCategories: string[],
    parent: pulumi.Resource,
): monitor.DiagnosticSetting | undefined {
    if (!diagnostics) {
        return undefined;
    }
    const categories = diagnostics.categories ?? defaultCategories;
    return new monitor.DiagnosticSetting(
        `${name}-diagnostics`,
        {
            name: "keyless-diagnostics",
            resourceUri,
            workspaceId: diagnostics.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: categories.map((category) => ({ category, enabled: true })),
            metrics: diagnostics.metrics ? [{ category: "AllMetrics", enabled: true }] : undefined,
        },
        { parent },
    );
}
