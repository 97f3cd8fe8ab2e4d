import * as pulumi from "@pulumi/pulumi";
import { ProblemsError } from "../shared/problems";
import { checkWhenResolved, credentialsIn, describeCredentials, identityConnectionProperties, isSecretLikeName } from "../shared/plainValues";

/**
 * App settings for App Service and Functions, built so that no credential ends up in a site's configuration:
 * plain values are checked with the policy pack's secret detector, secrets go through Key Vault references, and
 * connections to Azure services go through the app's managed identity.
 */

/** A non-secret value. Checked for credentials before anything is declared (Outputs when they resolve). */
export interface PlainSetting {
    value: pulumi.Input<string>;
    /**
     * Confirms that a name the check reads as a credential (`TOKEN_AUDIENCE`, `SECRET_NAME`) holds no secret.
     * Only the name check is skipped: the value is still checked. Defaults to false.
     */
    allowSecretLikeName?: boolean;
}

/** A secret kept in Key Vault and resolved by App Service through the site's `keyVaultReferenceIdentity`. */
export interface KeyVaultSetting {
    keyVaultSecret: {
        /**
         * `https://<vault>.vault.azure.net/secrets/<name>` (follows the latest version) or with `/<version>` (pinned).
         */
        secretUri: pulumi.Input<string>;
    };
}

/**
 * An identity-based connection. The setting's name is the connection prefix: `Storage` becomes `Storage__accountName`,
 * `Storage__credential` and `Storage__clientId`, as the Functions runtime and the Azure SDK's configuration binding read them.
 * Give at least one endpoint property.
 */
export interface IdentityConnection {
    /** Storage account name (blob and queue triggers and bindings in Functions). */
    accountName?: pulumi.Input<string>;
    /** Blob endpoint, for the Azure SDK client factories and for storage outside the public cloud. */
    blobServiceUri?: pulumi.Input<string>;
    queueServiceUri?: pulumi.Input<string>;
    tableServiceUri?: pulumi.Input<string>;
    /** Generic endpoint (for example Key Vault or a storage service in SDK configuration). */
    serviceUri?: pulumi.Input<string>;
    /** Service Bus or Event Hubs namespace host, `<namespace>.servicebus.windows.net`. */
    fullyQualifiedNamespace?: pulumi.Input<string>;
    /** Cosmos DB account endpoint. */
    accountEndpoint?: pulumi.Input<string>;
    /**
     * Client ID of the user-assigned identity to connect with. Defaults to the app's default user-assigned identity;
     * when the app uses its system-assigned identity, no credential settings are written and the runtime uses that one.
     */
    clientId?: pulumi.Input<string>;
}

export interface IdentityConnectionSetting {
    identityConnection: IdentityConnection;
}

export type AppSettingValue = PlainSetting | KeyVaultSetting | IdentityConnectionSetting;

/** One entry of `siteConfig.appSettings`. */
export interface AppSetting {
    name: string;
    value: pulumi.Input<string>;
}

export interface SettingsContext {
    /** Names the component in error messages, for example `WebApp "shop"`. */
    owner: string;
    /** Client ID of the app's default user-assigned identity, if it has one. */
    defaultClientId?: pulumi.Input<string>;
}

const settingNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** https://<vault>.vault.<cloud suffix>/secrets/<name>[/<32-hex version>] */
const secretUriPattern =
    /^https:\/\/[A-Za-z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)\/secrets\/[A-Za-z0-9-]{1,127}(\/[0-9a-fA-F]{32})?\/?$/;

const useInstead =
    "use { keyVaultSecret: { secretUri } } for a secret, or { identityConnection: {...} } to connect to an Azure service through the app's managed identity";

/**
 * Problems with a plain setting whose value is known now: a credential the policy pack's detector finds (named by
 * kind, masked), or else a name that reads like a credential, unless confirmed. Never more of a secret than 4 characters.
 */
export function checkPlainValue(name: string, value: string, allowSecretLikeName = false): string[] {
    const findings = credentialsIn(name, value);
    if (findings.length > 0) {
        return [`app setting "${name}" holds a credential: ${describeCredentials(findings)}; ${useInstead}.`];
    }
    if (!allowSecretLikeName && isSecretLikeName(name)) {
        return [
            `app setting "${name}" is named like a credential; ${useInstead}. ` +
                `If it holds no secret, pass { value, allowSecretLikeName: true }.`,
        ];
    }
    return [];
}

/**
 * A plain value known only at deploy time, checked when it resolves: a Pulumi secret or a value that
 * `checkPlainValue` refuses fails the deployment, naming the setting. Unknown values (preview) pass through unchecked.
 */
function guardPlainOutput(owner: string, name: string, value: pulumi.Output<string>, allowSecretLikeName = false): pulumi.Output<string> {
    return checkWhenResolved(
        value,
        owner,
        `app setting "${name}" resolved to a Pulumi secret; anyone who can read the site's configuration ` +
            `would see it in clear text. Store it in Key Vault and ${useInstead}.`,
        (resolved) => checkPlainValue(name, resolved, allowSecretLikeName),
    );
}

/** `@Microsoft.KeyVault(SecretUri=...)`, the reference App Service resolves with the site's Key Vault identity. */
export function keyVaultReference(secretUri: pulumi.Input<string>): pulumi.Input<string> {
    if (typeof secretUri === "string") {
        return `@Microsoft.KeyVault(SecretUri=${secretUri})`;
    }
    return pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${secretUri})`;
}

/** Checks a Key Vault secret URI that is known now; Outputs (a vault's computed URI) are taken as they resolve. */
export function checkSecretUri(name: string, secretUri: unknown): string[] {
    if (pulumi.Output.isInstance(secretUri)) {
        return [];
    }
    if (typeof secretUri !== "string" || !secretUriPattern.test(secretUri)) {
        const shown = typeof secretUri === "string" ? `"${secretUri}"` : `a ${typeof secretUri}`;
        return [
            `app setting "${name}" has keyVaultSecret.secretUri ${shown}; expected ` +
                `https://<vault>.vault.azure.net/secrets/<name> or .../secrets/<name>/<32-hex version>.`,
        ];
    }
    return [];
}

/** Problems with an identity connection named `prefix`. */
export function checkIdentityConnection(prefix: string, connection: IdentityConnection): string[] {
    const problems: string[] = [];
    const given = identityConnectionProperties.filter((property) => connection[property] !== undefined);
    if (given.length === 0) {
        problems.push(
            `identity connection "${prefix}" names no endpoint; give one of ${identityConnectionProperties.join(", ")}.`,
        );
    }
    const known = new Set<string>([...identityConnectionProperties, "clientId"]);
    for (const key of Object.keys(connection)) {
        if (!known.has(key)) {
            problems.push(
                `identity connection "${prefix}" has unknown property "${key}"; expected ${[...known].join(", ")}. ` +
                    `A key or connection string does not belong in an identity connection.`,
            );
        }
    }
    for (const property of [...given, "clientId" as const]) {
        const value = connection[property];
        if (typeof value === "string") {
            const findings = credentialsIn(`${prefix}__${property}`, value);
            if (findings.length > 0) {
                problems.push(
                    `identity connection "${prefix}" has ${property} holding a credential: ${describeCredentials(findings)}; give the bare endpoint.`,
                );
            } else if (value.trim() === "") {
                problems.push(`identity connection "${prefix}" has an empty ${property}.`);
            }
        }
    }
    return problems;
}

/**
 * The settings of one identity connection. With a client ID (given or the app's default user-assigned identity)
 * the runtime is told to use that managed identity; without one it uses the system-assigned identity.
 * `pinSystemAssigned` writes `__credential=managedidentity` alone, for a connection that must use the system-assigned
 * identity in an app whose `AZURE_CLIENT_ID` names a user-assigned one (the default credential chain would take that).
 */
export function identityConnectionSettings(
    prefix: string,
    connection: IdentityConnection,
    defaultClientId?: pulumi.Input<string>,
    options: { pinSystemAssigned?: boolean } = {},
): AppSetting[] {
    const settings: AppSetting[] = identityConnectionProperties
        .filter((property) => connection[property] !== undefined)
        .map((property) => ({ name: `${prefix}__${property}`, value: connection[property] as pulumi.Input<string> }));
    const clientId = connection.clientId ?? defaultClientId;
    if (clientId !== undefined) {
        settings.push({ name: `${prefix}__credential`, value: "managedidentity" });
        settings.push({ name: `${prefix}__clientId`, value: clientId });
    } else if (options.pinSystemAssigned) {
        // managedidentity without a client ID means the system-assigned identity, even where AZURE_CLIENT_ID names another.
        settings.push({ name: `${prefix}__credential`, value: "managedidentity" });
    }
    return settings;
}

function kindOf(value: unknown): "plain" | "keyVault" | "identity" | undefined {
    if (!value || typeof value !== "object") {
        return undefined;
    }
    const keys = ["value", "keyVaultSecret", "identityConnection"].filter((key) => key in value);
    if (keys.length !== 1) {
        return undefined;
    }
    return keys[0] === "value" ? "plain" : keys[0] === "keyVaultSecret" ? "keyVault" : "identity";
}

/**
 * Validates the user's settings and turns them into `siteConfig.appSettings` entries. Every problem is reported
 * at once, before any resource is declared.
 */
export function buildAppSettings(settings: Record<string, AppSettingValue> | undefined, context: SettingsContext): AppSetting[] {
    const { owner } = context;
    const problems: string[] = [];
    const result: AppSetting[] = [];
    for (const [name, setting] of Object.entries(settings ?? {})) {
        if (!settingNamePattern.test(name)) {
            problems.push(
                `app setting name "${name}" is not valid; use letters, digits, "_", "." and "-" ` +
                    `(nest with "__": ":" is not passed to Linux apps).`,
            );
            continue;
        }
        switch (kindOf(setting)) {
            case "plain": {
                const { value, allowSecretLikeName } = setting as PlainSetting;
                if (pulumi.Output.isInstance(value)) {
                    result.push({ name, value: guardPlainOutput(owner, name, value as pulumi.Output<string>, allowSecretLikeName) });
                } else if (typeof value === "string") {
                    problems.push(...checkPlainValue(name, value, allowSecretLikeName));
                    result.push({ name, value });
                } else {
                    problems.push(`app setting "${name}" has value of type ${typeof value}; expected a string.`);
                }
                break;
            }
            case "keyVault": {
                const secretUri = (setting as KeyVaultSetting).keyVaultSecret?.secretUri;
                const uriProblems = checkSecretUri(name, secretUri);
                problems.push(...uriProblems);
                if (uriProblems.length === 0) {
                    result.push({ name, value: keyVaultReference(secretUri) });
                }
                break;
            }
            case "identity": {
                const connection = (setting as IdentityConnectionSetting).identityConnection ?? {};
                const connectionProblems = checkIdentityConnection(name, connection);
                problems.push(...connectionProblems);
                if (connectionProblems.length === 0) {
                    result.push(...identityConnectionSettings(name, connection, context.defaultClientId));
                }
                break;
            }
            default:
                problems.push(
                    `app setting "${name}" must be exactly one of { value }, { keyVaultSecret: { secretUri } } ` +
                        `or { identityConnection: {...} }.`,
                );
        }
    }
    if (problems.length > 0) {
        throw new ProblemsError(owner, problems);
    }
    return result;
}

/** Settings the component writes itself, with why, so that a clash names the reason. */
export interface ComponentSetting extends AppSetting {
    reason: string;
}

/**
 * Joins the component's own settings with the user's. A user setting may not replace one the component writes
 * (names compare case-insensitively, as App Service does), nor may two user settings collide. Sorted by name
 * so that the site's configuration is stable from one run to the next.
 */
export function mergeAppSettings(owner: string, own: ComponentSetting[], user: AppSetting[]): AppSetting[] {
    const problems: string[] = [];
    const seen = new Map<string, { name: string; reason?: string }>();
    for (const setting of own) {
        seen.set(setting.name.toLowerCase(), { name: setting.name, reason: setting.reason });
    }
    for (const setting of user) {
        const previous = seen.get(setting.name.toLowerCase());
        if (previous?.reason) {
            problems.push(`app setting "${setting.name}" is written by the component (${previous.reason}); remove it from settings.`);
        } else if (previous) {
            problems.push(`app setting "${setting.name}" is declared twice (also as "${previous.name}").`);
        } else {
            seen.set(setting.name.toLowerCase(), { name: setting.name });
        }
    }
    if (problems.length > 0) {
        throw new ProblemsError(owner, problems);
    }
    return [...own.map(({ name, value }) => ({ name, value })), ...user].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
}
