import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { blobReaderWorkflow, LogicApp, logicAppDiagnosticCategories } from "../../infra/logic";
import { dataRolesByService } from "../config/grants";
import { commonFields, componentBase, defineKind } from "./kind";

/** A Consumption Logic App whose workflow reads one blob with its managed identity. */
export const logicApp = defineKind({
    kind: "logicApp",
    summary: "Consumption Logic App reading one blob with its managed identity",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("logicApp"),
        readsBlob: z.strictObject({ storage: z.string(), container: z.string(), path: z.string().min(1) }),
    }),
    identity: { userAssigned: { min: 0, max: 1, why: "the workflow's HTTP action authenticates with one identity" } },
    check(workload, context) {
        const source = workload.readsBlob;
        if (context.checkIn(`${context.path}.readsBlob.storage`, "storage account", source.storage, "storage")) {
            const declared = context.sections("storage")?.[source.storage]?.containers;
            if (declared && !declared.includes(source.container)) {
                context.problems.add(`${context.path}.readsBlob.container: container "${source.container}" is not declared on storage account "${source.storage}"; expected one of ${declared.join(", ") || "(none declared)"}`);
            } else {
                context.checkDataAccess(`${context.path}.readsBlob`, { kind: "container", service: source.storage, child: source.container }, dataRolesByService.blob, "blob reads");
            }
        }
    },
    deploy(workload, context, system) {
        const source = workload.readsBlob;
        const userIdentity = workload.identity.userAssigned[0];
        const app = new LogicApp(workload.name, {
            ...componentBase(workload, context, system),
            definition: blobReaderWorkflow({
                blobUrl: pulumi.interpolate`${context.accounts[source.storage].blobEndpoint}${source.container}/${source.path}`,
                identityId: userIdentity ? context.identities[userIdentity].id : undefined,
            }),
            diagnostics: context.monitoring.diagnostics(logicAppDiagnosticCategories),
        });
        return { consumed: system.resolved, systemPrincipalId: app.principalId, roleAssignments: [app.grants] };
    },
});
