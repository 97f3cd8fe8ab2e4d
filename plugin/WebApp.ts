import * as pulumi from "@pulumi/pulumi";
import { Problems } from "@keyless/components/shared";
import { AppSettingValue, UserAssignedIdentityDetails, WebApp as KeylessWebApp } from "@keyless/components/web";
import { diagnosticsTo } from "./plain";

/** A user-assigned identity to attach, by the outputs of a ManagedIdentity. */
export interface AttachedIdentity {
    /** The identity's resource ID; pass a ManagedIdentity's `ready`, so the app starts only once the grants exist. */
    id: pulumi.Input<string>;
    /** Client ID, written to AZURE_CLIENT_ID so that DefaultAzureCredential picks this identity. */
    clientId: pulumi.Input<string>;
    /** Object ID of the identity's service principal. */
    principalId: pulumi.Input<string>;
}

/** Arguments of a Linux web app. */
export interface WebAppArgs {
    /** Resource group to create the app and its plan in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** Runtime stack as `<STACK>|<version>`, such as `NODE|20-lts` or `PYTHON|3.12`. */
    linuxFxVersion?: string;
    /** User-assigned identities to attach; the first one resolves Key Vault references. */
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

/** A hardened Linux web app on a managed identity: HTTPS and TLS 1.2 only, no FTP or basic auth, secrets as Key Vault references. */
export class WebApp extends pulumi.ComponentResource {
    /** Resource ID of the site. */
    public readonly siteId: pulumi.Output<string>;
    /** Name of the site. */
    public readonly siteName: pulumi.Output<string>;
    /** `<site>.azurewebsites.net`. */
    public readonly defaultHostName: pulumi.Output<string>;

    constructor(name: string, args: WebAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless-azure:index:WebApp", name, {}, opts);
        const app = new KeylessWebApp(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                linuxFxVersion: args.linuxFxVersion,
                identity: {
                    systemAssigned: args.systemAssigned,
                    userAssigned: (args.userAssignedIdentities ?? []).map(attached),
                },
                settings: appSettings(name, args),
                subnetId: args.subnetId,
                diagnostics: diagnosticsTo(args.workspaceId),
            },
            { parent: this },
        );
        this.siteId = app.siteId;
        this.siteName = app.siteName;
        this.defaultHostName = app.defaultHostName;
        this.registerOutputs({ siteId: this.siteId, siteName: this.siteName, defaultHostName: this.defaultHostName });
    }
}

/** Plain and Key Vault settings as the component's one settings map; a name given in both is an error. */
export function appSettings(name: string, args: Pick<WebAppArgs, "settings" | "keyVaultSecrets">): Record<string, AppSettingValue> {
    const settings: Record<string, AppSettingValue> = {};
    for (const [setting, value] of Object.entries(args.settings ?? {})) {
        settings[setting] = { value };
    }
    const problems = new Problems(`WebApp "${name}"`);
    for (const [setting, secretUri] of Object.entries(args.keyVaultSecrets ?? {})) {
        if (setting in settings) {
            problems.add(`app setting "${setting}" is in both settings and keyVaultSecrets; give each name once.`);
        }
        settings[setting] = { keyVaultSecret: { secretUri } };
    }
    problems.throwIfAny();
    return settings;
}

/** The identity reference the component takes, from the plain IDs. */
function attached(identity: AttachedIdentity): UserAssignedIdentityDetails {
    return { ready: pulumi.output(identity.id), clientId: identity.clientId, principalId: identity.principalId };
}
