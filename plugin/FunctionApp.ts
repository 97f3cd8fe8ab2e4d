import * as pulumi from "@pulumi/pulumi";
import { FunctionApp as KeylessFunctionApp, FunctionsWorkerRuntime } from "@keyless/components/web";
import { appSettings, AttachedIdentity, diagnosticsTo, siteIdentity } from "./plain";

/** Arguments of a Linux function app. */
export interface FunctionAppArgs {
    /** Resource group to create the app and its plan in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** Worker runtime: `node`, `python`, `dotnet-isolated`, `java` or `powershell`. */
    runtime: string;
    /** Language version: `20` for node, `3.11` for python, `8.0` for dotnet-isolated, `17` for java, `7.4` for powershell. */
    runtimeVersion: string;
    /** Name of the host's storage account (`AzureWebJobsStorage`), reached through the managed identity. */
    hostStorageAccountName: pulumi.Input<string>;
    /** Resource ID of that account: the host identity gets its blob, queue and table data roles there. */
    hostStorageAccountId: pulumi.Input<string>;
    /** User-assigned identities to attach; the first one reaches the host storage and resolves Key Vault references. */
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

/** A Linux function app whose host reaches its storage with a managed identity: no storage key, no connection string. */
export class FunctionApp extends pulumi.ComponentResource {
    /** Resource ID of the site. */
    public readonly siteId: pulumi.Output<string>;
    /** Name of the site. */
    public readonly siteName: pulumi.Output<string>;
    /** `<site>.azurewebsites.net`. */
    public readonly defaultHostName: pulumi.Output<string>;

    constructor(name: string, args: FunctionAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless-azure:index:FunctionApp", name, {}, opts);
        const app = new KeylessFunctionApp(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                // The component checks the name against the runtimes it supports and names the bad one.
                runtime: { name: args.runtime as FunctionsWorkerRuntime, version: args.runtimeVersion },
                hostStorage: { accountName: args.hostStorageAccountName, id: args.hostStorageAccountId },
                identity: siteIdentity(args.systemAssigned, args.userAssignedIdentities),
                settings: appSettings(`FunctionApp "${name}"`, args),
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
