import { z } from "zod";
import { appServicePlanSkus } from "../../infra/web/plan";
import { defaultFunctionAppLogCategories, defaultFunctionAppSku, defaultRuntimeVersions, FunctionApp, functionsWorkerRuntimes } from "../../infra/web/FunctionApp";
import { commonFields, componentBase, defineKind } from "./kind";
import { checkSettings, settingsField, settingValues } from "./settings";

/** A Function app whose host storage connects through its identity (no AzureWebJobsStorage key). */
export const functionApp = defineKind({
    kind: "functionApp",
    summary: "Function app; host storage through the identity, settings as for webApp",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("functionApp"),
        sku: z.enum(appServicePlanSkus).default(defaultFunctionAppSku),
        runtime: z.enum(functionsWorkerRuntimes).default("node"),
        hostStorage: z.string(),
        subnet: z.string().optional(),
        settings: settingsField,
    }),
    identity: { userAssigned: { min: 0, max: 10 } },
    check(workload, context) {
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        context.checkIn(`${context.path}.hostStorage`, "storage account", workload.hostStorage, "storage");
        checkSettings(workload.settings, context);
    },
    deploy(workload, context, system) {
        const site = new FunctionApp(workload.name, {
            ...componentBase(workload, context, system),
            plan: { sku: workload.sku },
            runtime: { name: workload.runtime, version: defaultRuntimeVersions[workload.runtime] },
            hostStorage: context.accounts[workload.hostStorage],
            subnetId: workload.subnet ? context.subnetId(workload.subnet) : undefined,
            settings: settingValues(workload.settings, context),
            diagnostics: context.monitoring.diagnostics(defaultFunctionAppLogCategories),
        });
        return { consumed: system.resolved, hostName: site.defaultHostName, systemPrincipalId: site.principalId, roleAssignments: [site.hostGrants, site.systemGrants] };
    },
});
