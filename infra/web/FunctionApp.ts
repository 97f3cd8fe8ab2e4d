import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";
import * as storage from "@pulumi/azure-native/storage";
import type * as inputs from "@pulumi/azure-native/types/input";
import { RoleAssignments } from "../access/RoleAssignments";
import { GrantTarget, RoleGrant } from "../access/grants";
import { AppSetting, ComponentSetting, identityConnectionSettings, mergeAppSettings } from "./appSettings";
import { declarePlan, planSku, skuHosting } from "./plan";
import { Problems, ProblemsError } from "../shared/problems";
import { checkSiteArgs, declareSite, declareSiteSupport, SiteArgs, systemPrincipalId } from "./site";
import {
    IdentitySelector,
    keyVaultReferenceIdentityValue,
    requireIdentityDetails,
    SelectedIdentity,
    selectIdentity,
    UserAssignedIdentityDetails,
} from "./siteIdentity";

export type FunctionsWorkerRuntime = "node" | "python" | "dotnet-isolated" | "java" | "powershell";

export interface FunctionRuntimeArgs {
    /** Written to `FUNCTIONS_WORKER_RUNTIME` (dedicated plans) or `functionAppConfig.runtime.name` (Flex Consumption). */
    name: FunctionsWorkerRuntime;
    /** Language version: `20` for node, `3.11` for python, `8.0` for dotnet-isolated, `17` for java, `7.4` for powershell. */
    version: string;
}

/** The host's storage account by name and resource ID. */
export interface HostStorageRef {
    /** Storage account name, written to `AzureWebJobsStorage__accountName`. */
    accountName: pulumi.Input<string>;
    /** Storage account resource ID: the scope of the host's role grants. */
    id: pulumi.Input<string>;
    /**
     * Blob endpoint `https://<account>.blob.core.windows.net/`, for the Flex Consumption deployment container.
     * Defaults to the public-cloud endpoint built from `accountName`.
     */
    blobEndpoint?: pulumi.Input<string>;
    /** Label in grant names and reviews. Defaults to `host-storage`. */
    label?: string;
}

/** A storage component that names itself as a grant target (such as `KeylessStorage`). */
export interface HostStorageComponent {
    accountName: pulumi.Input<string>;
    asTarget(): GrantTarget;
    blobEndpoint?: pulumi.Input<string>;
}

/** Flex Consumption (FC1) options. */
export interface FlexConsumptionArgs {
    /** Upper bound of scale-out. Defaults to 100. */
    maximumInstanceCount?: number;
    /** Memory of each instance: 512, 2048 or 4096. Defaults to 2048. */
    instanceMemoryMB?: 512 | 2048 | 4096;
    /** Blob container (created by the component, private) that holds deployment packages. Defaults to `deploy-<siteName>`. */
    deploymentContainerName?: string;
}

export interface FunctionAppArgs extends SiteArgs {
    runtime: FunctionRuntimeArgs;
    /**
     * The storage account of the Functions host (`AzureWebJobsStorage`), reached through a managed identity. The
     * component grants the host identity Storage Blob Data Owner, Storage Queue Data Contributor and Storage Table
     * Data Contributor on this account.
     */
    hostStorage: HostStorageRef | HostStorageComponent;
    /**
     * The identity the host uses for its storage (and Flex Consumption deployments). A user-assigned identity is
     * granted before the site exists; a system-assigned one only after, so the host retries until the grants
     * propagate. Defaults to the keyVaultReferenceIdentity choice (first user-assigned, else system-assigned).
     */
    hostStorageIdentity?: IdentitySelector;
    /** Options for a Flex Consumption plan (`plan: { sku: "FC1" }`). Defaults as documented on each field. */
    flexConsumption?: FlexConsumptionArgs;
}

/**
 * Defaults to B1: a dedicated Linux plan, which runs a function app with no storage key. FC1 (Flex Consumption) is
 * the serverless choice; Y1 and EP1-3 are refused (see `keyedPlanExplanation`).
 */
export const defaultFunctionAppSku = "B1";

export const defaultFunctionAppLogCategories = ["FunctionAppLogs"];

/** The roles the Functions host needs on its storage account: blobs (leases, keys, packages), queues and tables for triggers. */
export const hostStorageRoles = ["Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor"] as const;

export const keyedPlanExplanation =
    "Consumption (Y1) and Elastic Premium (EP1-EP3) plans mount the app's content from an Azure Files share " +
    "(WEBSITE_CONTENTAZUREFILECONNECTIONSTRING), and Azure Files has no identity-based authentication for that mount, " +
    "so those plans need a storage account key. Use a dedicated plan (B1, P0v3, P1v3) or Flex Consumption (FC1), " +
    "which deploys from a blob container through the managed identity.";

export const functionsWorkerRuntimes = ["node", "python", "dotnet-isolated", "java", "powershell"] as const satisfies readonly FunctionsWorkerRuntime[];
const runtimes: readonly FunctionsWorkerRuntime[] = functionsWorkerRuntimes;

/** The runtime version a stack gets when it names only the runtime: each one's current GA version on Linux. */
export const defaultRuntimeVersions: Readonly<Record<FunctionsWorkerRuntime, string>> = {
    node: "20",
    python: "3.11",
    "dotnet-isolated": "8.0",
    java: "17",
    powershell: "7.4",
};
const versionPattern = /^\d+(\.\d+)?$/;
const containerNamePattern = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const flexMemory = [512, 2048, 4096];

/** Settings that only make sense with a storage key, or that the component owns. */
const forbiddenSettings: { test: (lower: string) => boolean; reason: string }[] = [
    {
        test: (lower) => lower === "azurewebjobsstorage" || lower.startsWith("azurewebjobsstorage__"),
        reason: "host storage is configured from hostStorage, through the managed identity",
    },
    {
        test: (lower) => lower === "website_contentazurefileconnectionstring" || lower === "website_contentshare",
        reason: "an Azure Files content share needs a storage key, and dedicated and Flex Consumption plans do not use one",
    },
];

/** `linuxFxVersion` of a function app on a dedicated plan, e.g. `DOTNET-ISOLATED|8.0`. */
export function functionLinuxFxVersion(runtime: FunctionRuntimeArgs): string {
    return `${runtime.name.toUpperCase()}|${runtime.version}`;
}

/** The resource group in an ARM ID, or undefined. */
export function resourceGroupOf(resourceId: string): string | undefined {
    return /\/resourceGroups\/([^/]+)\//i.exec(resourceId)?.[1];
}

function hostStorageTarget(ref: HostStorageRef | HostStorageComponent): GrantTarget {
    if ("asTarget" in ref && typeof ref.asTarget === "function") {
        return ref.asTarget();
    }
    const plain = ref as HostStorageRef;
    return { kind: "storageAccount", name: plain.label ?? "host-storage", id: plain.id };
}

/** The host's grants on its storage account. */
export function hostStorageGrants(target: GrantTarget): RoleGrant[] {
    return hostStorageRoles.map((role) => ({
        role,
        target,
        description: `Keyless: Functions host storage (${role}) on ${target.kind} ${target.name}`,
    }));
}

/**
 * A Linux function app whose host reaches its storage through a managed identity: `AzureWebJobsStorage__accountName`
 * (plus `__credential` and `__clientId` for a user-assigned identity), never a connection string. The component grants
 * the host its three storage roles, and refuses the plans that would need a key. Same hardening as `WebApp`.
 */
export class FunctionApp extends pulumi.ComponentResource {
    public readonly id: pulumi.Output<string>;
    public readonly siteId: pulumi.Output<string>;
    public readonly siteName: pulumi.Output<string>;
    public readonly defaultHostName: pulumi.Output<string>;
    /** The system-assigned identity's principal ID; undefined when it is off. */
    public readonly principalId: pulumi.Output<string | undefined>;
    public readonly planId: pulumi.Output<string>;
    public readonly keyVaultReferenceIdentity: pulumi.Output<string>;
    /** The identity the host uses for its storage: a resource ID or `SystemAssigned`. */
    public readonly hostStorageIdentity: pulumi.Output<string>;
    /** The host's storage role assignments. */
    public readonly hostGrants: RoleAssignments;
    public readonly systemGrants?: RoleAssignments;
    /** Names of the app settings written (values are not exposed). */
    public readonly settingNames: string[];
    public readonly site: web.WebApp;
    public readonly plan?: web.AppServicePlan;
    /** The Flex Consumption deployment container, when the plan is FC1. */
    public readonly deploymentContainer?: storage.BlobContainer;

    constructor(name: string, args: FunctionAppArgs, opts?: pulumi.ComponentResourceOptions) {
        let hostSelection: SelectedIdentity = { kind: "SystemAssigned" };
        let hostIdentity: UserAssignedIdentityDetails | undefined;
        let target: GrantTarget | undefined;
        const sku = planSku(args.plan, defaultFunctionAppSku);
        const flex = sku !== undefined && skuHosting(sku) === "flex";

        const checked = checkSiteArgs({ type: "FunctionApp", nameKind: "functionApp", maxDefaultNameLength: 32 }, name, args, (partial) => {
            const { owner } = partial;
            const problems: string[] = [];
            if (sku === undefined) {
                problems.push(
                    `plan.sku is required with plan.existingPlanId, because the SKU decides whether a function app ` +
                        `can run without a storage key; give the existing plan's SKU (for example P1v3).`,
                );
            } else if (skuHosting(sku) === "keyedContentShare") {
                problems.push(`plan.sku "${sku}" is refused. ${keyedPlanExplanation}`);
            } else if (skuHosting(sku) === "free") {
                problems.push(
                    `plan.sku "${sku}" has no Always On, which a function app on a dedicated plan needs for its ` +
                        `triggers to keep firing; use B1 or above, or FC1.`,
                );
            }
            if (args.flexConsumption && !flex) {
                problems.push(`flexConsumption is set but plan.sku is "${sku}"; it applies only to FC1.`);
            }
            problems.push(...checkRuntime(args.runtime));
            if (flex) {
                problems.push(...checkFlex(args.flexConsumption ?? {}));
            }

            const identityChecks = new Problems(owner);
            identityChecks.attempt(() => {
                hostSelection =
                    args.hostStorageIdentity === undefined
                        ? partial.keyVaultIdentity
                        : selectIdentity(owner, "hostStorageIdentity", args.identity, args.hostStorageIdentity);
                if (hostSelection.kind === "UserAssigned") {
                    hostIdentity = requireIdentityDetails(
                        owner,
                        "hostStorageIdentity",
                        hostSelection,
                        "the Functions host needs (AzureWebJobsStorage__clientId takes a client ID, and the storage roles go to the principal ID)",
                    );
                }
            });
            problems.push(...identityChecks.list);

            if (!args.hostStorage) {
                problems.push(`hostStorage is required: the Functions host keeps its state in a storage account.`);
            } else {
                target = hostStorageTarget(args.hostStorage);
                if (target.kind !== "storageAccount") {
                    problems.push(
                        `hostStorage names a ${target.kind} ("${target.name}"); the host needs a whole storage account ` +
                            `for its blobs, queues and tables.`,
                    );
                }
                if (!pulumi.Output.isInstance(args.hostStorage.accountName) && !args.hostStorage.accountName) {
                    problems.push(`hostStorage.accountName is empty.`);
                }
                if (flex && typeof target.id === "string" && !resourceGroupOf(target.id)) {
                    problems.push(`hostStorage id "${target.id}" is not a storage account resource ID.`);
                }
            }
            for (const key of Object.keys(args.settings ?? {})) {
                const forbidden = forbiddenSettings.find(({ test }) => test(key.toLowerCase()));
                if (forbidden) {
                    problems.push(`app setting "${key}" is not accepted: ${forbidden.reason}.`);
                }
            }
            return problems;
        });
        const storageTarget = target as GrantTarget;
        const hostStorage = args.hostStorage;
        const ownSettings: ComponentSetting[] = [
            ...checked.ownSettings,
            ...identityConnectionSettings("AzureWebJobsStorage", { accountName: hostStorage.accountName }, hostIdentity?.clientId, {
                pinSystemAssigned: checked.defaultIdentity !== undefined,
            }).map(
                (setting: AppSetting) => ({ ...setting, reason: "host storage through the managed identity, from hostStorage" }),
            ),
            ...(flex
                ? []
                : [
                      { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4", reason: "the Functions 4.x runtime" },
                      { name: "FUNCTIONS_WORKER_RUNTIME", value: args.runtime.name, reason: "from runtime.name" },
                  ]),
        ];
        const appSettings = mergeAppSettings(checked.owner, ownSettings, checked.userSettings);
        super("keyless:web:FunctionApp", name, {}, opts);

        const { planId, plan } = declarePlan(name, args, args.plan, sku as string, this);
        const hostSelected = hostSelection as SelectedIdentity;

        // A user-assigned host identity gets its storage roles before the site exists, so the host starts with access.
        let hostGrants: RoleAssignments | undefined;
        if (hostIdentity) {
            hostGrants = new RoleAssignments(
                `${name}-host`,
                { principalId: hostIdentity.principalId, grants: hostStorageGrants(storageTarget), subscriptionId: args.subscriptionId },
                { parent: this },
            );
        }

        let deploymentContainer: storage.BlobContainer | undefined;
        let functionAppConfig: inputs.web.FunctionAppConfigArgs | undefined;
        if (flex) {
            const options = args.flexConsumption ?? {};
            const containerName = options.deploymentContainerName ?? flexContainerName(checked.siteName);
            deploymentContainer = new storage.BlobContainer(
                `${name}-deployment`,
                {
                    resourceGroupName: pulumi.output(storageTarget.id).apply((id) => {
                        const group = resourceGroupOf(id);
                        if (!group) {
                            throw new ProblemsError(checked.owner, [`hostStorage id "${id}" is not a storage account resource ID.`]);
                        }
                        return group;
                    }),
                    accountName: hostStorage.accountName,
                    containerName,
                    publicAccess: "None",
                },
                { parent: this },
            );
            const endpoint = hostStorage.blobEndpoint ?? pulumi.interpolate`https://${hostStorage.accountName}.blob.core.windows.net/`;
            functionAppConfig = {
                deployment: {
                    storage: {
                        type: "blobContainer",
                        // The site also depends on the container resource, so it exists before the first deployment.
                        value: pulumi.output(endpoint).apply((base) => `${base.replace(/\/+$/, "")}/${containerName}`),
                        authentication: hostIdentity
                            ? { type: "UserAssignedIdentity", userAssignedIdentityResourceId: hostIdentity.ready }
                            : { type: "SystemAssignedIdentity" },
                    },
                },
                runtime: { name: args.runtime.name, version: args.runtime.version },
                scaleAndConcurrency: {
                    maximumInstanceCount: options.maximumInstanceCount ?? 100,
                    instanceMemoryMB: options.instanceMemoryMB ?? 2048,
                },
            };
        }

        const site = declareSite(
            name,
            args,
            checked,
            {
                kind: "functionapp,linux",
                planId,
                appSettings,
                // Flex Consumption takes its runtime from functionAppConfig and scales by itself (no Always On).
                siteConfig: flex ? {} : { linuxFxVersion: functionLinuxFxVersion(args.runtime), alwaysOn: true },
                functionAppConfig,
                dependsOn: [...(hostGrants ? [hostGrants] : []), ...(deploymentContainer ? [deploymentContainer] : [])],
            },
            this,
        );

        // A system-assigned host identity exists only once the site does; the host retries until these propagate.
        if (!hostGrants) {
            hostGrants = new RoleAssignments(
                `${name}-host`,
                { principalId: systemPrincipalId(checked.owner, site), grants: hostStorageGrants(storageTarget), subscriptionId: args.subscriptionId },
                { parent: this },
            );
        }
        const support = declareSiteSupport(name, args, checked, site, defaultFunctionAppLogCategories, this);

        this.site = site;
        this.plan = plan;
        this.deploymentContainer = deploymentContainer;
        this.hostGrants = hostGrants;
        this.systemGrants = support.systemGrants;
        this.id = site.id;
        this.siteId = site.id;
        this.siteName = site.name;
        this.defaultHostName = site.defaultHostName;
        this.principalId = support.principalId;
        this.planId = planId;
        this.keyVaultReferenceIdentity = pulumi.output(keyVaultReferenceIdentityValue(checked.keyVaultIdentity));
        this.hostStorageIdentity = pulumi.output(keyVaultReferenceIdentityValue(hostSelected));
        this.settingNames = appSettings.map((setting) => setting.name);

        this.registerOutputs({
            siteId: this.siteId,
            defaultHostName: this.defaultHostName,
            principalId: this.principalId,
            planId: this.planId,
        });
    }
}

function checkRuntime(runtime: FunctionRuntimeArgs | undefined): string[] {
    if (!runtime || !runtimes.includes(runtime.name)) {
        return [`runtime.name "${runtime?.name}" is not supported; expected one of ${runtimes.join(", ")}.`];
    }
    if (typeof runtime.version !== "string" || !versionPattern.test(runtime.version)) {
        return [`runtime.version "${runtime.version}" is not a version such as 20, 3.11 or 8.0.`];
    }
    return [];
}

function checkFlex(flex: FlexConsumptionArgs): string[] {
    const problems: string[] = [];
    const count = flex.maximumInstanceCount;
    if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 1000)) {
        problems.push(`flexConsumption.maximumInstanceCount is ${count}; expected a whole number up to 1000.`);
    }
    if (flex.instanceMemoryMB !== undefined && !flexMemory.includes(flex.instanceMemoryMB)) {
        problems.push(`flexConsumption.instanceMemoryMB is ${flex.instanceMemoryMB}; expected 512, 2048 or 4096.`);
    }
    if (flex.deploymentContainerName !== undefined && !containerNamePattern.test(flex.deploymentContainerName)) {
        problems.push(
            `flexConsumption.deploymentContainerName "${flex.deploymentContainerName}" is not a container name ` +
                `(3 to 63 lowercase letters, digits and single hyphens).`,
        );
    }
    return problems;
}

/** `deploy-<siteName>`, cut to the 63 characters a container name allows. */
export function flexContainerName(siteName: string): string {
    return `deploy-${siteName}`.slice(0, 63).replace(/-+$/, "");
}
