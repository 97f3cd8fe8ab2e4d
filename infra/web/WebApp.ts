import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";
import { RoleAssignments } from "../access/RoleAssignments";
import { mergeAppSettings } from "./appSettings";
import { declarePlan, planSku, skuHosting } from "./plan";
import { checkSiteArgs, declareSite, declareSiteSupport, SiteArgs } from "./site";
import { keyVaultReferenceIdentityValue } from "./siteIdentity";

export interface WebAppArgs extends SiteArgs {
    /**
     * Runtime stack as `<STACK>|<version>`: `NODE|20-lts`, `PYTHON|3.12`, `DOTNETCORE|8.0`, or `DOCKER|<registry>/<image>:<tag>`.
     * For a `DOCKER|` image the site pulls with its managed identity (`acrUseManagedIdentityCreds`), so no registry
     * password is stored; that identity needs AcrPull on the registry. Defaults to none (set by the first deployment).
     */
    linuxFxVersion?: string;
}

/** Defaults to B1: the cheapest Linux SKU with everything this component configures (identity, VNet integration). Use P0v3 or P1v3 in production. */
export const defaultWebAppSku = "B1";

/** Log categories sent when `diagnostics` is on and lists none. */
export const defaultWebAppLogCategories = ["AppServiceHTTPLogs", "AppServiceConsoleLogs", "AppServiceAppLogs", "AppServiceAuditLogs"];

const linuxFxPattern = /^[A-Za-z-]+\|\S+$/;

/**
 * A Linux App Service web app that holds no credentials: it reads secrets through Key Vault references with a
 * managed identity, connects to Azure services through identity-based settings, accepts HTTPS only (TLS 1.2+,
 * HTTP/2), and has FTP and basic-auth publishing turned off.
 */
export class WebApp extends pulumi.ComponentResource {
    /** The site's resource ID. */
    public readonly id: pulumi.Output<string>;
    public readonly siteId: pulumi.Output<string>;
    public readonly siteName: pulumi.Output<string>;
    public readonly defaultHostName: pulumi.Output<string>;
    /** The system-assigned identity's principal ID; undefined when it is off. */
    public readonly principalId: pulumi.Output<string | undefined>;
    public readonly planId: pulumi.Output<string>;
    /** The identity App Service resolves Key Vault references with: a resource ID or `SystemAssigned`. */
    public readonly keyVaultReferenceIdentity: pulumi.Output<string>;
    /** Names of the app settings written (values are not exposed). */
    public readonly settingNames: string[];
    public readonly site: web.WebApp;
    public readonly plan?: web.AppServicePlan;
    public readonly systemGrants?: RoleAssignments;

    constructor(name: string, args: WebAppArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkSiteArgs({ type: "WebApp", nameKind: "webApp", maxDefaultNameLength: 60 }, name, args, () => {
            const problems: string[] = [];
            const sku = planSku(args.plan, defaultWebAppSku);
            if (sku !== undefined && (skuHosting(sku) === "keyedContentShare" || skuHosting(sku) === "flex")) {
                problems.push(`plan.sku "${sku}" is a Functions-only plan; use a dedicated SKU such as B1, P0v3 or P1v3.`);
            }
            if (args.linuxFxVersion !== undefined && !linuxFxPattern.test(args.linuxFxVersion)) {
                problems.push(`linuxFxVersion "${args.linuxFxVersion}" is not <STACK>|<version>, e.g. NODE|20-lts or DOCKER|myregistry.azurecr.io/app:1.0.`);
            }
            return problems;
        });
        const appSettings = mergeAppSettings(checked.owner, checked.ownSettings, checked.userSettings);
        super("keyless:web:WebApp", name, {}, opts);

        const { planId, plan } = declarePlan(name, args, args.plan, planSku(args.plan, defaultWebAppSku) ?? defaultWebAppSku, this);
        const container = args.linuxFxVersion?.toUpperCase().startsWith("DOCKER|") ?? false;
        const site = declareSite(
            name,
            args,
            checked,
            {
                kind: "app,linux",
                planId,
                appSettings,
                siteConfig: {
                    linuxFxVersion: args.linuxFxVersion,
                    // Images are pulled with the site's identity instead of a stored registry password.
                    acrUseManagedIdentityCreds: container ? true : undefined,
                    acrUserManagedIdentityID: container ? checked.defaultIdentity?.clientId : undefined,
                },
            },
            this,
        );
        const support = declareSiteSupport(name, args, checked, site, defaultWebAppLogCategories, this);

        this.site = site;
        this.plan = plan;
        this.systemGrants = support.systemGrants;
        this.id = site.id;
        this.siteId = site.id;
        this.siteName = site.name;
        this.defaultHostName = site.defaultHostName;
        this.principalId = support.principalId;
        this.planId = planId;
        this.keyVaultReferenceIdentity = pulumi.output(keyVaultReferenceIdentityValue(checked.keyVaultIdentity));
        this.settingNames = appSettings.map((setting) => setting.name);

        this.registerOutputs({
            siteId: this.siteId,
            defaultHostName: this.defaultHostName,
            principalId: this.principalId,
            planId: this.planId,
        });
    }
}
