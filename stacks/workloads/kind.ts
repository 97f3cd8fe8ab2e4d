import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { GrantTarget, RoleGrant } from "../../infra/access/grants";
import { RoleAssignments } from "../../infra/access/RoleAssignments";
import { ManagedIdentity } from "../../infra/identity/ManagedIdentity";
import { WorkloadIdentityArgs } from "../../infra/identity/identityShape";
import { Monitoring } from "../../infra/monitoring/Monitoring";
import { LockArgs } from "../../infra/shared/locks";
import { Problems } from "../../infra/shared/problems";
import { Tags } from "../../infra/shared/tags";
import { Vault } from "../../infra/keyvault/Vault";
import { KeylessStorage } from "../../infra/storage/KeylessStorage";
import { ContainerRegistry } from "../../infra/containers/ContainerRegistry";
import { EventHubsNamespace, ServiceBusNamespace } from "../../infra/messaging";
import { accessEntry, DerivedAccess, GrantTargetRef, ResolvedGrant, ResolvedSqlGrant, SectionLookup } from "../config/grants";
import { ServiceUse } from "../config/networking";
import { SqlServer } from "../../infra/data/SqlServer";
import { configNameRules } from "../config/names";

/**
 * A workload kind is a plug-in: one module owns its config schema, its cross-reference checks and its
 * declaration. The registry (`registry.ts`) lists them; adding a kind is one module plus one line there.
 */

/** Fields every workload has. */
export const commonFields = {
    name: z.string().max(configNameRules.workloads.maxLength),
    identity: z
        .strictObject({
            systemAssigned: z.boolean().default(false),
            userAssigned: z.array(z.string()).default([]),
        })
        .default({ systemAssigned: false, userAssigned: [] }),
    access: z.array(accessEntry).default([]),
};

export interface CommonWorkload {
    name: string;
    kind: string;
    identity: { systemAssigned: boolean; userAssigned: string[] };
}

/** Which identities a kind can run on, checked before anything else about the workload. */
export interface IdentitySupport {
    /** Why the kind cannot take a system-assigned identity, or undefined when it can. */
    noSystemAssigned?: string;
    /** Fewest and most user-assigned identities. */
    userAssigned: { min: number; max: number; why?: string };
    /** True when a workload of this kind may run on no identity at all (an AKS cluster whose pods call nothing in Azure). */
    optional?: boolean;
}

/** What a kind's `check` can ask of the rest of the config. All problems go to `problems`, with `path` first. */
export interface CheckContext {
    /** `keyless.workloads[<name>]`. */
    readonly path: string;
    readonly problems: Problems;
    readonly sections: SectionLookup;
    /** Grants this workload holds (resolved; the ones that failed are reported already). */
    readonly grants: readonly ResolvedGrant[];
    /** Adds a problem unless `name` is declared in `section`; true when it is (or the section could not be read). */
    checkIn(path: string, label: string, name: string, section: "vaults" | "storage" | "registries" | "serviceBus" | "eventHubs" | "sqlServers" | "identities"): boolean;
    checkSubnet(path: string, subnet: string | undefined): void;
    /** True in a `hardening.privateNetwork` stack: every data service is reached through a private endpoint only. */
    readonly privateNetwork: boolean;
    /**
     * Reports a missing subnet (`why` says what it would not reach) or one without the `delegation` the kind
     * needs (or with one, when `delegation` is null).
     */
    requireSubnet(path: string, subnet: string | undefined, delegation: string | null, why: string): void;
    /** A `VAULT/SECRET` reference: declared, and readable by this workload's grants. */
    checkSecretReference(path: string, reference: string): void;
    /** A data-plane connection through the identity: the workload must hold one of `roles` on `target` or inside it. */
    checkDataAccess(path: string, target: GrantTargetRef, roles: readonly string[], what: string): void;
    /** A `secure:` config key that must be set. */
    requireSecretKey(path: string, key: string): void;
    /** Plain values under a name or holding a value that looks like a credential. */
    checkPlainValue(path: string, name: string, value: string, remedy: string): void;
}

export interface Derived {
    access: DerivedAccess[];
    /** Queues the workload needs on a storage account besides those the account declares. */
    queues: { storage: string; queue: string }[];
}

/** What the environment hands a kind to declare its workload. */
export interface DeployContext {
    readonly placement: { resourceGroupName: pulumi.Output<string>; location: string; tags: Tags };
    readonly lock?: LockArgs;
    /** True for the production environment (`isProduction` in stacks/config/sections.ts). */
    readonly production: boolean;
    readonly subscriptionId: pulumi.Output<string>;
    readonly monitoring: Monitoring;
    subnetId(name: string): pulumi.Output<string>;
    /** The stack's network mode and the operators' public ranges (empty in a privateNetwork stack). */
    readonly network: { readonly privateNetwork: boolean; readonly operatorIps: readonly string[] };
    readonly vaults: Readonly<Record<string, Vault>>;
    readonly accounts: Readonly<Record<string, KeylessStorage>>;
    readonly registries: Readonly<Record<string, ContainerRegistry>>;
    readonly serviceBus: Readonly<Record<string, ServiceBusNamespace>>;
    readonly eventHubs: Readonly<Record<string, EventHubsNamespace>>;
    readonly identities: Readonly<Record<string, ManagedIdentity>>;
    readonly sqlServers: Readonly<Record<string, SqlServer>>;
    /** Every grant of a workload (any identity), as resolved from its access and derived from its config. */
    grantsOf(workload: string): { grants: readonly ResolvedGrant[]; sqlGrants: readonly ResolvedSqlGrant[] };
    targetOf(ref: GrantTargetRef): GrantTarget;
    /** A `secure:` config value, as a Pulumi secret. */
    secret(configKey: string): pulumi.Output<string>;
}

/** The grants to a workload's system-assigned identity, handed over so that the kind declares them. */
export interface SystemGrants {
    readonly resolved: readonly ResolvedGrant[];
    readonly grants: RoleGrant[];
}

export interface Deployment {
    /** The system-assigned grants the kind declared; the environment refuses to finish with any left over. */
    consumed: readonly ResolvedGrant[];
    hostName?: pulumi.Output<string>;
    serviceAccountManifest?: pulumi.Output<string>;
    /** The system-assigned identity's principal ID, exported so that `npm run review` can match its logs. */
    systemPrincipalId?: pulumi.Output<string | undefined>;
    /** Role assignments the workload's component declares (system-assigned grants, host storage). */
    roleAssignments?: (RoleAssignments | undefined)[];
}

export interface WorkloadKind<Config extends CommonWorkload = CommonWorkload> {
    readonly kind: string;
    readonly summary: string;
    readonly schema: z.ZodType<Config>;
    readonly identity: IdentitySupport;
    /**
     * Grants and storage queues that follow from the workload's own config (a queue trigger's roles and its poison
     * queue), so that nobody writes them by hand. Resolved and checked like the workload's `access`.
     */
    derive?(workload: Config): Derived;
    /** Checks references to the rest of the config; types are already checked by `schema`. */
    check?(workload: Config, context: CheckContext): void;
    /** Sub-services the workload reaches that no grant names (a Function app's host storage), for its private endpoints. */
    networkUses?(workload: Config): ServiceUse[];
    /**
     * Storage accounts that admit the workload by a resource instance rule, for multi-tenant services that join no
     * virtual network (a Consumption Logic App), with the workload's resource ID.
     */
    storageInstanceRules?(workload: Config, scope: { subscriptionId: pulumi.Output<string>; resourceGroupName: pulumi.Output<string> }): { storage: string; resourceId: pulumi.Output<string> }[];
    deploy(workload: Config, context: DeployContext, system: SystemGrants): Deployment;
}

/** Identity args for a workload component, from its config. */
export function identityArgs(workload: CommonWorkload, context: DeployContext): WorkloadIdentityArgs {
    return {
        systemAssigned: workload.identity.systemAssigned,
        userAssigned: workload.identity.userAssigned.map((name) => context.identities[name]),
    };
}

/** What every workload component takes the same way: placement, identities, system-assigned grants, lock. */
export function componentBase(workload: CommonWorkload, context: DeployContext, system: SystemGrants) {
    return {
        ...context.placement,
        identity: identityArgs(workload, context),
        grants: system.grants,
        subscriptionId: context.subscriptionId,
        lock: context.lock,
    };
}

/** Keeps a kind's config type through the registry, where kinds of every shape sit in one list. */
export function defineKind<Config extends CommonWorkload>(kind: WorkloadKind<Config>): WorkloadKind<Config> {
    return kind;
}
