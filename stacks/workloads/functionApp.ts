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
        // Both stack modes firewall storage to the stack's subnets (or close it): an app outside them cannot start.
        context.requireSubnet(`${context.path}.subnet`, workload.subnet, "Microsoft.Web/serverFarms", `its host reaches storage account "${workload.hostStorage}" only from the stack's network`);
        context.checkIn(`${context.path}.hostStorage`, "storage account", workload.hostStorage, "storage");
        checkSettings(workload.settings, context);
    },
    networkUses: (workload) => ["blob", "queue", "table"].map((service) => ({ section: "storage" as const, name: workload.hostStorage, service })),
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
        return { consumed: system.resolved, hostName: site.defaultHostName };
    },
});
