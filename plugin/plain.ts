// Plain shapes the facades share, and their translation into the components' arguments.
import * as pulumi from "@pulumi/pulumi";
import { DiagnosticsArgs } from "@keyless/components/monitoring";
import { WorkloadIdentityArgs } from "@keyless/components/identity";
import { Problems } from "@keyless/components/shared";
import { AppSettingValue, UserAssignedIdentityDetails } from "@keyless/components/web";

/** A user-assigned identity to attach, by the outputs of a ManagedIdentity. */
export interface AttachedIdentity {
    /** The identity's resource ID; pass a ManagedIdentity's `ready`, so the app starts only once the grants exist. */
    id: pulumi.Input<string>;
    /** Client ID, written to AZURE_CLIENT_ID so that DefaultAzureCredential picks this identity. */
    clientId: pulumi.Input<string>;
    /** Object ID of the identity's service principal. */
    principalId: pulumi.Input<string>;
}

/** What the web and function app facades both take. */
export interface SiteArgs {
    /** Resource group to create the app and its plan in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** User-assigned identities to attach; the first one resolves Key Vault references (and reaches a function host's storage). */
    userAssignedIdentities?: AttachedIdentity[];
    /** Turn on the system-assigned identity. Defaults to false. */
    systemAssigned?: boolean;
    /** Plain app settings by name. Each value is checked for credentials before anything is declared. */
    settings?: Record<string, string>;
    /** App settings resolved from Key Vault, by name: `https://<vault>.vault.azure.net/secrets/<secret>` URIs. */
    keyVaultSecrets?: Record<string, pulumi.Input<string>>;
    /** Subnet for regional virtual network integration. Defaults to none. */
    subnetId?: pulumi.Input<string>;
    /** Log Analytics workspace that receives the app's logs. Defaults to none. */
    workspaceId?: pulumi.Input<string>;
}

/** The site arguments every app component takes, from the plain ones. */
export function siteArgs(owner: string, args: SiteArgs) {
    return {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        identity: siteIdentity(args.systemAssigned, args.userAssignedIdentities),
        settings: appSettings(owner, args),
        subnetId: args.subnetId,
        diagnostics: diagnosticsTo(args.workspaceId),
    };
}

/** The components' diagnostics from the one workspace ID the facades take. */
export function diagnosticsTo(workspaceId: pulumi.Input<string> | undefined): DiagnosticsArgs | undefined {
    return workspaceId === undefined ? undefined : { workspaceId };
}

/** The components' identity argument from the flag and the attached identities' IDs. */
export function siteIdentity(systemAssigned: boolean | undefined, identities: AttachedIdentity[] | undefined): WorkloadIdentityArgs {
    const attached = (identity: AttachedIdentity): UserAssignedIdentityDetails => ({
        ready: pulumi.output(identity.id),
        clientId: identity.clientId,
        principalId: identity.principalId,
    });
    return { systemAssigned, userAssigned: (identities ?? []).map(attached) };
}

/** Plain and Key Vault settings as the components' one settings map; a name given in both is an error. */
export function appSettings(
    owner: string,
    args: { settings?: Record<string, string>; keyVaultSecrets?: Record<string, pulumi.Input<string>> },
): Record<string, AppSettingValue> {
    const settings: Record<string, AppSettingValue> = {};
    for (const [setting, value] of Object.entries(args.settings ?? {})) {
        settings[setting] = { value };
    }
    const problems = new Problems(owner);
    for (const [setting, secretUri] of Object.entries(args.keyVaultSecrets ?? {})) {
        if (setting in settings) {
            problems.add(`app setting "${setting}" is in both settings and keyVaultSecrets; give each name once.`);
        }
        settings[setting] = { keyVaultSecret: { secretUri } };
    }
    problems.throwIfAny();
    return settings;
}
