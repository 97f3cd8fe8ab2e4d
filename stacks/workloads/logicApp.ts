import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { targetKinds } from "../../infra/access/targets";
import { blobReaderWorkflow, LogicApp, logicAppDiagnosticCategories } from "../../infra/logic";
import { workflowResourceId } from "../../infra/logic/LogicApp";
import { dataRolesByService } from "../config/grants";
import { commonFields, componentBase, defineKind } from "./kind";
import { notDeclared } from "../config/format";

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
        // Consumption workflows run on shared multi-tenant infrastructure and join no virtual network. Storage lets
        // them in by a resource instance rule (https://learn.microsoft.com/azure/storage/common/storage-network-security-resource-instances);
        // Key Vault does not count Logic Apps among its trusted services
        // (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints), and nothing else here admits them.
        for (const grant of context.grants) {
            const root = targetKinds[grant.target.kind].parent ?? grant.target.kind;
            if (root !== "storageAccount") {
                context.problems.add(
                    `${context.path}.access: ${grant.role} on ${targetKinds[root].label} "${grant.target.service}" is unreachable from a Consumption Logic App, which joins no virtual network ` +
                        `and which a ${targetKinds[root].label} admits neither as a trusted service nor by a resource instance rule; use a Logic App Standard or a Function app with VNet integration instead`,
                );
            }
        }
        workload.access.forEach((entry, index) => {
            if ("sqlDatabase" in entry) {
                context.problems.add(
                    `${context.path}.access[${index}]: ${entry.sqlDatabase} is unreachable from a Consumption Logic App: the SQL server has no public endpoint and ` +
                        `the workflow joins no virtual network; use a Logic App Standard or a Function app with VNet integration instead`,
                );
            }
        });
        const source = workload.readsBlob;
        if (context.checkIn(`${context.path}.readsBlob.storage`, "storage account", source.storage, "storage")) {
            const declared = context.sections("storage")?.[source.storage]?.containers;
            if (declared && !declared.includes(source.container)) {
                context.problems.add(notDeclared(`${context.path}.readsBlob.container`, "container", source.container, declared, `on storage account "${source.storage}"`));
            } else {
                context.checkDataAccess(`${context.path}.readsBlob`, { kind: "container", service: source.storage, child: source.container }, dataRolesByService.blob, "blob reads");
            }
        }
    },
    storageInstanceRules: (workload, scope) => [{ storage: workload.readsBlob.storage, resourceId: workflowResourceId(scope.subscriptionId, scope.resourceGroupName, workload.name) }],
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
