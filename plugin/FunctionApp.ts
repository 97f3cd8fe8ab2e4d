import * as pulumi from "@pulumi/pulumi";
import { FunctionApp as KeylessFunctionApp, FunctionsWorkerRuntime } from "@keyless/components/web";
import { SiteArgs, siteArgs } from "./plain";

/** Arguments of a Linux function app. */
export interface FunctionAppArgs extends SiteArgs {
    /** Worker runtime: `node`, `python`, `dotnet-isolated`, `java` or `powershell`. */
    runtime: string;
    /** Language version: `20` for node, `3.11` for python, `8.0` for dotnet-isolated, `17` for java, `7.4` for powershell. */
    runtimeVersion: string;
    /** Name of the host's storage account (`AzureWebJobsStorage`), reached through the managed identity. */
    hostStorageAccountName: pulumi.Input<string>;
    /** Resource ID of that account: the host identity gets its blob, queue and table data roles there. */
    hostStorageAccountId: pulumi.Input<string>;
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
                ...siteArgs(`FunctionApp "${name}"`, args),
                // The component checks the name against the runtimes it supports and names the bad one.
                runtime: { name: args.runtime as FunctionsWorkerRuntime, version: args.runtimeVersion },
                hostStorage: { accountName: args.hostStorageAccountName, id: args.hostStorageAccountId },
            },
            { parent: this },
        );
        this.siteId = app.siteId;
        this.siteName = app.siteName;
        this.defaultHostName = app.defaultHostName;
        this.registerOutputs({ siteId: this.siteId, siteName: this.siteName, defaultHostName: this.defaultHostName });
    }
}
