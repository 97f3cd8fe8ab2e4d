import * as pulumi from "@pulumi/pulumi";
import { WebApp as KeylessWebApp } from "@keyless/components/web";
import { SiteArgs, siteArgs } from "./plain";

/** Arguments of a Linux web app. */
export interface WebAppArgs extends SiteArgs {
    /** Runtime stack as `<STACK>|<version>`, such as `NODE|20-lts` or `PYTHON|3.12`. */
    linuxFxVersion?: string;
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
            { ...siteArgs(`WebApp "${name}"`, args), linuxFxVersion: args.linuxFxVersion },
            { parent: this },
        );
        this.siteId = app.siteId;
        this.siteName = app.siteName;
        this.defaultHostName = app.defaultHostName;
        this.registerOutputs({ siteId: this.siteId, siteName: this.siteName, defaultHostName: this.defaultHostName });
    }
}

