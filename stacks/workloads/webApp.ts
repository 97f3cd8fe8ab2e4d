import { z } from "zod";
import { appServicePlanSkus } from "../../infra/web/plan";
import { defaultWebAppLogCategories, defaultWebAppSku, WebApp } from "../../infra/web/WebApp";
import { commonFields, componentBase, defineKind } from "./kind";
import { checkSettings, settingsField, settingValues } from "./settings";

/** An App Service web app: Key Vault references with its user-assigned identity, identity-based connections. */
export const webApp = defineKind({
    kind: "webApp",
    summary: "App Service web app; settings as Key Vault references or identity-based connections",
    schema: z.strictObject({
        ...commonFields,
        kind: z.literal("webApp"),
        sku: z.enum(appServicePlanSkus).default(defaultWebAppSku),
        subnet: z.string().optional(),
        settings: settingsField,
    }),
    identity: { userAssigned: { min: 0, max: 10 } },
    check(workload, context) {
        context.checkSubnet(`${context.path}.subnet`, workload.subnet);
        if (context.privateNetwork) {
            context.requireSubnet(`${context.path}.subnet`, workload.subnet, "Microsoft.Web/serverFarms", "its grants are usable only from the stack's network");
        }
        checkSettings(workload.settings, context);
    },
    deploy(workload, context, system) {
        const site = new WebApp(workload.name, {
            ...componentBase(workload, context, system),
            plan: { sku: workload.sku },
            subnetId: workload.subnet ? context.subnetId(workload.subnet) : undefined,
            settings: settingValues(workload.name, workload.settings, context),
            diagnostics: context.monitoring.diagnostics(defaultWebAppLogCategories),
        });
        return { consumed: system.resolved, hostName: site.defaultHostName, systemPrincipalId: site.principalId, roleAssignments: [site.systemGrants] };
    },
});
