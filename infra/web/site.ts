import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import type * as inputs from "@pulumi/azure-native/types/input";
import { grantProblems, RoleAssignments } from "../access/RoleAssignments";
import { RoleGrant } from "../access/grants";
import { identityProperties, someIdentityProblem, WorkloadIdentityArgs } from "../identity/identityShape";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { NameKind, physicalName, shortHash } from "../shared/naming";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";
import { AppSetting, AppSettingValue, buildAppSettings, ComponentSetting } from "./appSettings";
import { checkPlanArgs, PlanArgs } from "./plan";
import {
    IdentitySelector,
    keyVaultReferenceIdentityValue,
    requireIdentityDetails,
    SelectedIdentity,
    selectIdentity,
    UserAssignedIdentityDetails,
} from "./siteIdentity";
import { disableBasicAuthPublishing, secureSiteConfig, secureSiteProperties } from "./siteSecurity";

/** Arguments shared by `WebApp` and `FunctionApp`. */
export interface SiteArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /**
     * Physical site name, globally unique because it becomes `<name>.azurewebsites.net`. Defaults to
     * `app-<name>-<hash>` (`func-...` for function apps), the hash taken over project, stack and name.
     */
    siteName?: string;
    /** The App Service plan: a new one (`{ sku }`) or `{ existingPlanId }`. Defaults to a new plan of the component's default SKU. */
    plan?: PlanArgs;
    /**
     * The site's managed identities; at least one is required. Prefer a user-assigned identity: it is created and
     * granted before the site, so Key Vault references resolve from the first start.
     */
    identity: WorkloadIdentityArgs;
    /**
     * The identity App Service uses to resolve Key Vault references; the same identity's client ID is written to
     * `AZURE_CLIENT_ID` (so `DefaultAzureCredential` in the app picks it) and is the default for identity connections.
     * Defaults to the first user-assigned identity, else the system-assigned one.
     *
     * With only a system-assigned identity there is a chicken-and-egg: its principal exists only once the site does,
     * so its Key Vault grant (`grants`) comes after the site, and until the grant propagates and App Service fetches
     * the references again (on restart or a configuration change) the app sees the literal `@Microsoft.KeyVault(...)`
     * string. Restart the app after the first deployment, or use a user-assigned identity, which avoids it.
     */
    keyVaultReferenceIdentity?: IdentitySelector;
    /** App settings by name. Defaults to none. See `AppSettingValue` for the three accepted forms. */
    settings?: Record<string, AppSettingValue>;
    /**
     * Subnet for regional VNet integration (delegated to Microsoft.Web/serverFarms, or Microsoft.App/environments for
     * Flex Consumption). All outbound traffic is then routed through it. Defaults to none.
     */
    subnetId?: pulumi.Input<string>;
    /**
     * Role grants for the system-assigned identity (requires `identity.systemAssigned`). They can only be created
     * after the site, so the app starts without them; grant user-assigned identities through `ManagedIdentity.grants`.
     * Defaults to none.
     */
    grants?: RoleGrant[];
    /** Subscription of the role definitions. Defaults to the provider's subscription. */
    subscriptionId?: pulumi.Input<string>;
    /** Send the site's logs to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    /**
     * A management lock on the site. Defaults to none. A `ReadOnly` lock also blocks reading the app settings in
     * the portal and `pulumi refresh` of them (both use a POST), so prefer `CanNotDelete`.
     */
    lock?: LockArgs;
    tags?: Tags;
}

/** What one kind of site needs from the shared checks. */
export interface SiteFlavor {
    /** `WebApp` or `FunctionApp`, for messages. */
    type: string;
    nameKind: Extract<NameKind, "webApp" | "functionApp">;
    /** Longest default physical name. */
    maxDefaultNameLength: number;
}

/** The result of the shared checks, all made before `super()`. */
export interface CheckedSite {
    owner: string;
    siteName: string;
    keyVaultIdentity: SelectedIdentity;
    /** Set when Key Vault references and AZURE_CLIENT_ID use a user-assigned identity. */
    defaultIdentity?: UserAssignedIdentityDetails;
    /** Settings the component writes itself. */
    ownSettings: ComponentSetting[];
    /** The user's settings, checked and expanded. */
    userSettings: AppSetting[];
}

const siteNamePattern = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

/** The default physical name: the kind's prefix, the logical name, and a hash of project, stack and name. */
export function defaultSiteName(flavor: SiteFlavor, name: string, project: string, stack: string): string {
    const hash = shortHash(`${project}/${stack}/${name}`);
    const prefix = flavor.nameKind === "functionApp" ? "func-" : "app-";
    const room = flavor.maxDefaultNameLength - prefix.length - hash.length - 1;
    return physicalName(flavor.nameKind, name.slice(0, room), hash);
}

/**
 * Every check shared by web and function apps: identity, selected identities, grants, plan, name and settings.
 * Throws one ProblemsError listing all problems (the component's own extras included), so a bad argument leaves
 * nothing half-declared.
 */
export function checkSiteArgs(
    flavor: SiteFlavor,
    name: string,
    args: SiteArgs,
    extraProblems: (checked: CheckedSite) => string[] = () => [],
): CheckedSite {
    const owner = `${flavor.type} "${name}"`;
    const problems = new Problems(owner);
    problems.addAll([someIdentityProblem(args.identity)]);
    const keyVaultIdentity = problems.attempt(() => selectIdentity(owner, "keyVaultReferenceIdentity", args.identity ?? {}, args.keyVaultReferenceIdentity));
    const defaultIdentity =
        keyVaultIdentity?.kind === "UserAssigned"
            ? problems.attempt(() =>
                  requireIdentityDetails(owner, "keyVaultReferenceIdentity", keyVaultIdentity, "AZURE_CLIENT_ID and identity connections need"),
              )
            : undefined;

    problems.addAll(checkPlanArgs(args.plan));
    if (args.grants && args.grants.length > 0) {
        if (!args.identity?.systemAssigned) {
            problems.add(
                `grants are for the system-assigned identity, but identity.systemAssigned is not true; ` +
                    `grant a user-assigned identity through its own ManagedIdentity grants.`,
            );
        }
        problems.addAll(grantProblems(`${name}-grants`, args.grants));
    }
    if (args.siteName !== undefined && !siteNamePattern.test(args.siteName)) {
        problems.add(
            `siteName "${args.siteName}" is not valid; expected 2 to 60 lowercase letters, digits and hyphens, ` +
                `not starting or ending with a hyphen.`,
        );
    }
    const siteName = args.siteName ?? defaultSiteName(flavor, name, pulumi.getProject(), pulumi.getStack());

    const userSettings = problems.attempt(() => buildAppSettings(args.settings, { owner, defaultClientId: defaultIdentity?.clientId })) ?? [];
    const ownSettings: ComponentSetting[] = defaultIdentity
        ? [
              {
                  name: "AZURE_CLIENT_ID",
                  value: defaultIdentity.clientId,
                  reason: "the client ID of the keyVaultReferenceIdentity, so that DefaultAzureCredential picks it",
              },
          ]
        : [];
    // Until the list is thrown, a failed identity check leaves the SystemAssigned default for the extra checks.
    const checked: CheckedSite = { owner, siteName, keyVaultIdentity: keyVaultIdentity ?? { kind: "SystemAssigned" }, defaultIdentity, ownSettings, userSettings };
    problems.addAll(extraProblems(checked));
    problems.throwIfAny();
    return checked;
}

/** What differs in the site resource itself. */
export interface SiteSpecifics {
    kind: string;
    planId: pulumi.Input<string>;
    appSettings: AppSetting[];
    /** Site configuration of this kind; the shared hardening is applied over it. */
    siteConfig?: inputs.web.SiteConfigArgs;
    functionAppConfig?: inputs.web.FunctionAppConfigArgs;
    dependsOn?: pulumi.Resource[];
}

/** Declares the site with the shared hardening, identity and networking, plus the specifics of its kind. */
export function declareSite(name: string, args: SiteArgs, checked: CheckedSite, specifics: SiteSpecifics, parent: pulumi.Resource): web.WebApp {
    const identity = identityProperties(args.identity);
    return new web.WebApp(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            name: checked.siteName,
            kind: specifics.kind,
            reserved: true,
            serverFarmId: specifics.planId,
            ...secureSiteProperties,
            identity: { type: identity.type, userAssignedIdentities: identity.userAssignedIdentities },
            // Top level, not siteConfig: this is the property App Service reads for Key Vault references.
            keyVaultReferenceIdentity: keyVaultReferenceIdentityValue(checked.keyVaultIdentity),
            virtualNetworkSubnetId: args.subnetId,
            siteConfig: {
                ...specifics.siteConfig,
                ...secureSiteConfig,
                vnetRouteAllEnabled: args.subnetId !== undefined ? true : undefined,
                appSettings: specifics.appSettings,
            },
            functionAppConfig: specifics.functionAppConfig,
            tags: args.tags,
        },
        { parent, dependsOn: specifics.dependsOn },
    );
}

/** The resources every site gets next to it. */
export interface SiteSupport {
    ftpBasicAuth: web.WebAppFtpAllowed;
    scmBasicAuth: web.WebAppScmAllowed;
    systemGrants?: RoleAssignments;
    diagnostics?: monitor.DiagnosticSetting;
    lock?: authorization.ManagementLockByScope;
    /** The system-assigned identity's principal ID, or undefined when it is off. */
    principalId: pulumi.Output<string | undefined>;
}

/** The system-assigned principal, failing clearly if Azure returned none. */
export function systemPrincipalId(owner: string, site: web.WebApp): pulumi.Output<string> {
    return site.identity.apply((identity) => {
        if (!identity?.principalId) {
            throw new Error(`${owner}: the site has no system-assigned principal to grant roles to.`);
        }
        return identity.principalId;
    });
}

/** Basic auth off, grants for the system-assigned identity, diagnostics and the lock. */
export function declareSiteSupport(
    name: string,
    args: SiteArgs,
    checked: CheckedSite,
    site: web.WebApp,
    defaultCategories: string[],
    parent: pulumi.Resource,
): SiteSupport {
    const { ftp, scm } = disableBasicAuthPublishing(name, site, args.resourceGroupName, parent);
    const systemGrants =
        args.grants && args.grants.length > 0
            ? new RoleAssignments(
                  `${name}-grants`,
                  { principalId: systemPrincipalId(checked.owner, site), grants: args.grants, subscriptionId: args.subscriptionId },
                  { parent },
              )
            : undefined;
    const diagnostics = sendDiagnostics(name, site.id, args.diagnostics, defaultCategories, parent);
    // The lock waits for the publishing policies: a ReadOnly lock would block writing them.
    const lockTarget = pulumi.all([site.id, ftp.id, scm.id]).apply(([id]) => id);
    const lock = lockScope(name, lockTarget, args.lock, parent);
    return {
        ftpBasicAuth: ftp,
        scmBasicAuth: scm,
        systemGrants,
        diagnostics,
        lock,
        principalId: site.identity.apply((identity) => identity?.principalId),
    };
}
