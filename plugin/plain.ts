import * as pulumi from "@pulumi/pulumi";
import { DiagnosticsArgs } from "@keyless/components/monitoring";

/** The components' diagnostics from the one workspace ID the facades take. */
export function diagnosticsTo(workspaceId: pulumi.Input<string> | undefined): DiagnosticsArgs | undefined {
    return workspaceId === undefined ? undefined : { workspaceId };
}
