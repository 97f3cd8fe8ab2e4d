import { z } from "zod";
import { appServicePlanSkus } from "../../infra/web/plan";
import { defaultFunctionAppLogCategories, defaultFunctionAppSku, defaultRuntimeVersions, FunctionApp, functionsWorkerRuntimes } from "../../infra/web/FunctionApp";
import { appSettingName } from "../config/fields";
import { commonFields, componentBase, defineKind } from "./kind";
import { checkSettings, settingsField, settingValues } from "./settings";

/**
 * A queue trigger: the function runs for each message on `queue` of storage account `storage`, and reads the
 * connection from the settings named `connection` (its binding's `connection` property). The grants are derived:
 * Storage Queue Data Reader and Storage Queue Data Message Processor on the queue, as Functions documents for a
 * queue trigger (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#grant-permission-to-the-identity),
 * and Storage Queue Data Message Sender on `<queue>-poison`, where the host moves a message that failed five times
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages).
 * The poison queue is declared on the account, so the host never needs the right to create queues.
 */
const queueTrigger = z.strictObject({ queue: z.strictObject({ storage: z.string(), queue: z.string(), connection: appSettingName }) });

export const poisonQueueOf = (queue: string) => `${queue}-poison`;

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
        triggers: z.array(queueTrigger).default([]),
    }),
    identity: { userAssigned: { min: 0, max: 10 } },
    derive(workload) {
        return {
            access: workload.triggers.flatMap(({ queue: trigger }, index) => {
                const path = `triggers[${index}].queue`;
                const on = { storage: trigger.storage, queue: trigger.queue };
                return [
                    { path, entry: { role: "Storage Queue Data Reader", ...on, connection: trigger.connection } },
                    { path, entry: { role: "Storage Queue Data Message Processor", ...on } },
                    { path, entry: { role: "Storage Queue Data Message Sender", storage: trigger.storage, queue: poisonQueueOf(trigger.queue) } },
                ];
            }),
            queues: workload.triggers.map(({ queue: trigger }) => ({ storage: trigger.storage, queue: poisonQueueOf(trigger.queue) })),
        };
    },
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
            settings: settingValues(workload.name, workload.settings, context),
            diagnostics: context.monitoring.diagnostics(defaultFunctionAppLogCategories),
        });
        return { consumed: system.resolved, hostName: site.defaultHostName, systemPrincipalId: site.principalId, roleAssignments: [site.hostGrants, site.systemGrants] };
    },
});
