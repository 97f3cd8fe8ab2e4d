import { z } from "zod";
import { AppSettingValue } from "../../infra/web/appSettings";
import { appSettingName, secretReference } from "../config/fields";
import { dataRolesByService } from "../config/grants";
import { connectionSettings, withConnections } from "./connections";
import { CheckContext, DeployContext } from "./kind";

/**
 * App settings of web and function apps: a plain value, a Key Vault reference, or an identity-based connection
 * to storage or messaging. Shared by the two kinds that run on App Service.
 */
const storageServices = ["blob", "queue", "table"] as const;

export const appSetting = z.union([
    z.string(),
    z.strictObject({ secret: secretReference }),
    z.strictObject({ storage: z.string(), service: z.enum(storageServices).default("blob") }),
    z.strictObject({ serviceBus: z.string() }),
    z.strictObject({ eventHubs: z.string() }),
]);
export type AppSettingConfig = z.infer<typeof appSetting>;

export const settingsField = z.record(appSettingName, appSetting).default({});

const plainRemedy = "Expected { secret: VAULT/SECRET }, a Key Vault reference.";

export function checkSettings(settings: Record<string, AppSettingConfig>, context: CheckContext): void {
    for (const [name, setting] of Object.entries(settings)) {
        const path = `${context.path}.settings.${name}`;
        if (typeof setting === "string") {
            context.checkPlainValue(path, name, setting, plainRemedy);
        } else if ("secret" in setting) {
            context.checkSecretReference(`${path}.secret`, setting.secret);
        } else if ("storage" in setting) {
            if (context.checkIn(`${path}.storage`, "storage account", setting.storage, "storage")) {
                context.checkDataAccess(path, { kind: "storageAccount", service: setting.storage }, dataRolesByService[setting.service], `${setting.service} data`);
            }
        } else if ("serviceBus" in setting) {
            if (context.checkIn(`${path}.serviceBus`, "Service Bus namespace", setting.serviceBus, "serviceBus")) {
                context.checkDataAccess(path, { kind: "serviceBus", service: setting.serviceBus }, dataRolesByService.serviceBus, "Service Bus data");
            }
        } else if (context.checkIn(`${path}.eventHubs`, "Event Hubs namespace", setting.eventHubs, "eventHubs")) {
            context.checkDataAccess(path, { kind: "eventHub", service: setting.eventHubs }, dataRolesByService.eventHubs, "Event Hubs data");
        }
    }
}

/** The app settings of a web or function app: the written ones, and the connections derived from its grants. */
export function settingValues(workload: string, settings: Record<string, AppSettingConfig>, context: DeployContext): Record<string, AppSettingValue> {
    return withConnections(`keyless.workloads[${workload}].settings`, writtenSettingValues(settings, context), connectionSettings(workload, context), (value) => ({ value }));
}

function writtenSettingValues(settings: Record<string, AppSettingConfig>, context: DeployContext): Record<string, AppSettingValue> {
    return Object.fromEntries(
        Object.entries(settings).map(([key, setting]): [string, AppSettingValue] => {
            if (typeof setting === "string") {
                return [key, { value: setting }];
            }
            if ("secret" in setting) {
                const [vault, secret] = setting.secret.split("/");
                return [key, { keyVaultSecret: { secretUri: context.vaults[vault].secretUri(secret) } }];
            }
            if ("storage" in setting) {
                const account = context.accounts[setting.storage];
                const endpoint = { blob: account.blobEndpoint, queue: account.queueEndpoint, table: account.tableEndpoint }[setting.service];
                return [key, { identityConnection: { [`${setting.service}ServiceUri`]: endpoint } }];
            }
            const namespace = "serviceBus" in setting ? context.serviceBus[setting.serviceBus] : context.eventHubs[setting.eventHubs];
            return [key, { identityConnection: { fullyQualifiedNamespace: namespace.fullyQualifiedNamespace } }];
        }),
    );
}
