import * as pulumi from "@pulumi/pulumi";
import { WebApp as KeylessWebApp } from "@keyless/components/web";
import { appSettings, AttachedIdentity, diagnosticsTo, siteIdentity } from "./plain";

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
                identity: siteIdentity(args.systemAssigned, args.userAssignedIdentities),
                settings: appSettings(`WebApp "${name}"`, args),
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

