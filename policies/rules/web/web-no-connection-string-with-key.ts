import { classicSites } from "../../lib/classic";
import { maskSecret } from "@keyless/detect";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/** `AccountKey=`, `SharedAccessKey=`, `Password=` / `Pwd=` with a value, as a setting of a connection string. */
const keyPart = /(?:^|;)\s*(AccountKey|SharedAccessKey|Password|Pwd)\s*=\s*([^;]+)/i;

function isKeyVaultReference(value: string): boolean {
    return /^\s*@Microsoft\.KeyVault\(/i.test(value);
}

function checkSetting(resource: RuleResource, path: string, settingName: string, value: unknown): Violation[] {
    if (isUnknown(value) || typeof value !== "string" || isKeyVaultReference(value)) {
        return [];
    }
    const match = keyPart.exec(value);
    if (!match) {
        return [];
    }
    const [, key, secret] = match;
    return [
        violation(
            resource,
            path,
            `setting "${settingName}" carries ${key}= (${maskSecret(secret.trim())}); use an identity-based connection ` +
                `(e.g. "${settingName}__accountName" / "__fullyQualifiedNamespace" with the app's managed identity) or a Key Vault reference.`,
        ),
    ];
}

function entries(list: unknown): [number, Record<string, unknown>][] {
    if (!Array.isArray(list)) {
        return [];
    }
    return list
        .map((item, index): [number, unknown] => [index, item])
        .filter((pair): pair is [number, Record<string, unknown>] => pair[1] !== null && typeof pair[1] === "object");
}

function settingLabel(value: unknown, fallback: string): string {
    return typeof value === "string" ? value : fallback;
}

export const webNoConnectionStringWithKey: ResourceRule = {
    name: "web-no-connection-string-with-key",
    description: "App settings and connection strings of web and function apps carry no account keys, shared access keys or passwords (Key Vault references are fine).",
    severity: "high",
    remediation:
        "Replace key-based connection strings with identity-based connections (`AzureWebJobsStorage__accountName`, " +
        "`ServiceBusConnection__fullyQualifiedNamespace`, `Authentication=Active Directory Managed Identity` for SQL) and grant the app's " +
        "managed identity the data-plane role; if a key is unavoidable, store it in Key Vault and use `@Microsoft.KeyVault(SecretUri=...)`.",
    anchors: {},
    builtins: [],
    mcsb: ["IM-8"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "App settings are readable by anyone with Contributor on the site and end up in state; a key there is a standing credential a managed identity replaces.",
    resourceTypes: [
        types.webApp,
        types.webAppSlot,
        types.webAppApplicationSettings,
        types.webAppApplicationSettingsSlot,
        types.webAppConnectionStrings,
        types.webAppConnectionStringsSlot,
        ...classicSites,
    ],
    check(resource) {
        const found: Violation[] = [];
        if (classicSites.includes(resource.type)) {
            // Classic sites: `appSettings` is a map of name to value; `connectionStrings` a list of { name, type, value }.
            const settings = read(resource.props, "appSettings");
            if (settings !== null && typeof settings === "object" && !isUnknown(settings)) {
                for (const [name, value] of Object.entries(settings as Record<string, unknown>)) {
                    found.push(...checkSetting(resource, `appSettings.${name}`, name, value));
                }
            }
            for (const [index, entry] of entries(read(resource.props, "connectionStrings"))) {
                found.push(...checkSetting(resource, `connectionStrings[${index}].value`, settingLabel(entry.name, `#${index}`), entry.value));
            }
            return found;
        }
        if (resource.type === types.webApp || resource.type === types.webAppSlot) {
            for (const [index, setting] of entries(read(resource.props, "siteConfig.appSettings"))) {
                const label = settingLabel(setting.name, `#${index}`);
                found.push(...checkSetting(resource, `siteConfig.appSettings[${index}].value`, label, setting.value));
            }
            for (const [index, setting] of entries(read(resource.props, "siteConfig.connectionStrings"))) {
                const label = settingLabel(setting.name, `#${index}`);
                found.push(...checkSetting(resource, `siteConfig.connectionStrings[${index}].connectionString`, label, setting.connectionString));
            }
            return found;
        }
        const properties = read(resource.props, "properties");
        if (properties === null || typeof properties !== "object" || isUnknown(properties)) {
            return [];
        }
        const isConnectionStrings = resource.type === types.webAppConnectionStrings || resource.type === types.webAppConnectionStringsSlot;
        for (const [name, entry] of Object.entries(properties as Record<string, unknown>)) {
            const value = isConnectionStrings ? read(entry, "value") : entry;
            found.push(...checkSetting(resource, isConnectionStrings ? `properties.${name}.value` : `properties.${name}`, name, value));
        }
        return found;
    },
};
