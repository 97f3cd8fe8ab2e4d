import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { RoleAssignments } from "../infra/access/RoleAssignments";
import { ManagedIdentity } from "../infra/identity/ManagedIdentity";
import { Monitoring } from "../infra/monitoring/Monitoring";
import { loadSavedSearches, reviewQueriesDir } from "../infra/monitoring/savedSearches";
import { Network } from "../infra/network/Network";
import { PrivateDnsZones } from "../infra/network/PrivateDnsZones";
import { LockArgs } from "../infra/shared/locks";
import { physicalName } from "../infra/shared/naming";
import { standardTags } from "../infra/shared/tags";
import { configNamespace, ResolvedGrant, StackConfig } from "./config";
import { isProduction } from "./config/sections";
import { declareDataServices, declareSqlServers, targetFinder } from "./dataServices";
import { EndpointSection, zoneOf } from "./config/networking";
import { DeployContext } from "./workloads/kind";
import { workloadKind } from "./workloads/registry";
import { declarationBatch, inTurns } from "./turns";

/**
 * The composition every Keyless stack runs: one resource group, monitoring, a network, the data services, the
 * identities with their grants, then each workload through its kind's module. Everything comes from the typed
 * stack config.
 */
export interface EnvironmentOutputs {
    resourceGroupName: pulumi.Output<string>;
    workspaceId: pulumi.Output<string>;
    /** The workspace (customer) ID, which `npm run review` queries live. */
    workspaceCustomerId: pulumi.Output<string>;
    vaultUris: Record<string, pulumi.Output<string>>;
    identityClientIds: Record<string, pulumi.Output<string>>;
    siteHostNames: Record<string, pulumi.Output<string>>;
    /** Database-level grants ARM cannot make, with the T-SQL that makes each; see docs/sql-grants.md. */
    databaseGrants: { server: string; database: string; identity: string; workload: string; roles: string[] }[];
    sqlGrantScripts: Record<string, pulumi.Output<Record<string, string>>>;
    /** Kubernetes service account manifests carrying the workload identity annotation, per cluster. */
    serviceAccountManifests: Record<string, pulumi.Output<string>>;
    /** Object (principal) ID per identity name as the plan names it: what `npm run review` matches logs by. */
    identityPrincipalIds: Record<string, pulumi.Output<string>>;
    /** ARM ID per role assignment, keyed by its logical name: scope and UUID v5 name, no secret. */
    roleAssignmentIds: Record<string, pulumi.Output<string>>;
}

/** Service endpoints on every subnet, so that the vault and storage firewalls can admit the VNet. */
const dataServiceEndpoints = ["Microsoft.KeyVault", "Microsoft.Storage"];

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const group = key(item);
        if (group !== undefined) {
            groups.set(group, [...(groups.get(group) ?? []), item]);
        }
    }
    return groups;
}

export interface DeployOptions {
    /** Identities, and then workloads, declared per turn of the event loop. Defaults to `declarationBatch`. */
    batch?: number;
}

/**
 * Declares the environment from a validated config (validate first: `readStackConfig` or `parseStackConfig` throw
 * before anything is declared). Asynchronous only so that the identities and workloads are declared a batch per turn
 * of the event loop (`inTurns`); the resources, their inputs and the outputs are the same as in one synchronous pass.
 */
export async function deployEnvironment(config: StackConfig, options: DeployOptions = {}): Promise<EnvironmentOutputs> {
    const batch = options.batch ?? declarationBatch;
    const stack = pulumi.getStack();
    const tags = standardTags(config.project, stack, { environment: config.environment });
    const lock: LockArgs | undefined = config.hardening.locks
        ? { kind: "CanNotDelete", notes: `Keyless ${config.environment}: remove through the stack config (hardening.locks), not the portal.` }
        : undefined;
    const resourceGroupName: pulumi.Output<string> = config.resourceGroup?.existing
        ? pulumi.output(config.resourceGroup.name)
        : new resources.ResourceGroup("resource-group", {
              resourceGroupName: config.resourceGroup?.name ?? physicalName("resourceGroup", `${config.project}-${config.environment}`),
              location: config.location,
              tags,
          }).name;
    // One lookup for every role definition ID the stack writes.
    const subscriptionId = authorization.getClientConfigOutput().subscriptionId;
    const placement = { resourceGroupName, location: config.location, tags };
    const secret = (key: string) => new pulumi.Config(configNamespace).requireSecret(key);

    const monitoring = new Monitoring("monitoring", {
        ...placement,
        retentionInDays: config.monitoring.retentionDays,
        lock,
        savedSearches: loadSavedSearches(reviewQueriesDir),
    });
    const diagnostics = monitoring.diagnostics();
    const network = new Network("network", {
        ...placement,
        addressSpace: config.network.addressSpace,
        subnets: Object.fromEntries(
            Object.entries(config.network.subnets).map(([name, spec]) => [
                name,
                typeof spec === "string"
                    ? { addressPrefix: spec, serviceEndpoints: dataServiceEndpoints }
                    : { addressPrefix: spec.addressPrefix, delegation: spec.delegation, serviceEndpoints: dataServiceEndpoints },
            ]),
        ),
    });
    // One privatelink zone per service type, linked to the VNet, shared by every endpoint registering in it.
    const zones = new PrivateDnsZones("private-dns", {
        resourceGroupName,
        virtualNetworkId: network.vnetId,
        zones: config.privateEndpoints.filter((endpoint) => endpoint.privateDnsZone === undefined).map(zoneOf),
        tags,
    });
    const endpoints = (section: EndpointSection, name: string) =>
        config.privateEndpoints
            .filter((endpoint) => endpoint.section === section && endpoint.name === name)
            .map((endpoint) => ({ subnet: network.subnetIds[endpoint.subnet], service: endpoint.service, privateDnsZone: endpoint.privateDnsZone ?? zones.zoneIds[zoneOf(endpoint)] }));
    const instanceRules = config.workloads.flatMap((workload) => workloadKind(workload.kind)!.storageInstanceRules?.(workload, { subscriptionId, resourceGroupName }) ?? []);
    const services = declareDataServices(config, {
        placement,
        lock,
        diagnostics,
        // Vault and storage firewalls: the VNet and the operators' public ranges; nothing public in private mode.
        network: config.hardening.privateNetwork ? { allowedIps: [], allowedSubnetIds: [] } : { allowedIps: config.network.allowedIps, allowedSubnetIds: Object.values(network.subnetIds) },
        privateNetwork: config.hardening.privateNetwork,
        endpoints,
        storageInstances: (name) => instanceRules.filter((rule) => rule.storage === name).map((rule) => rule.resourceId),
        protectVaults: config.hardening.protect,
        secret,
        subscriptionId,
    });
    const targetOf = targetFinder(services);

    // Grants to user-assigned identities are declared with the identity; the rest go to the workload's kind.
    const byIdentity = groupBy(config.grants, (grant) => (grant.identity === "system" ? undefined : grant.identity));
    const bySystemIdentity = groupBy(config.grants, (grant) => (grant.identity === "system" ? grant.workload : undefined));
    const consumed = new Set<ResolvedGrant>();
    const identities: Record<string, ManagedIdentity> = {};
    await inTurns(Object.entries(config.identities), ([name, spec]) => {
        const grants = byIdentity.get(name) ?? [];
        grants.forEach((grant) => consumed.add(grant));
        identities[name] = new ManagedIdentity(name, {
            ...placement,
            federatedCredentials: spec.federatedCredentials,
            grants: grants.map((grant) => ({ role: grant.role, target: targetOf(grant.target) })),
            subscriptionId,
            lock,
        });
    }, batch);
    const sqlServers = declareSqlServers(config, identities, { placement, lock, diagnostics, endpoints, keyFor: services.keyFor });

    const context: DeployContext = {
        placement,
        lock,
        production: isProduction(config.environment),
        subscriptionId,
        monitoring,
        subnetId: (name) => network.subnetIds[name],
        network: { privateNetwork: config.hardening.privateNetwork, operatorIps: config.hardening.privateNetwork ? [] : config.network.allowedIps },
        ...services,
        identities,
        sqlServers,
        grantsOf: (name) => ({ grants: config.grants.filter((grant) => grant.workload === name), sqlGrants: config.sqlGrants.filter((grant) => grant.workload === name) }),
        targetOf,
        secret,
    };
    const identityPrincipalIds: Record<string, pulumi.Output<string>> = Object.fromEntries(
        Object.entries(identities).map(([name, identity]) => [name, identity.principalId]),
    );
    const assignmentGroups: (RoleAssignments | undefined)[] = Object.values(identities).map((identity) => identity.grants);
    const siteHostNames: Record<string, pulumi.Output<string>> = {};
    const serviceAccountManifests: Record<string, pulumi.Output<string>> = {};
    await inTurns(config.workloads, (workload) => {
        const kind = workloadKind(workload.kind)!;
        const resolved = bySystemIdentity.get(workload.name) ?? [];
        const deployment = kind.deploy(workload, context, { resolved, grants: resolved.map((grant) => ({ role: grant.role, target: targetOf(grant.target) })) });
        deployment.consumed.forEach((grant) => consumed.add(grant));
        if (workload.identity.systemAssigned && deployment.systemPrincipalId) {
            identityPrincipalIds[workload.name] = deployment.systemPrincipalId.apply((id) => id ?? "");
        }
        assignmentGroups.push(...(deployment.roleAssignments ?? []));
        if (deployment.hostName) {
            siteHostNames[workload.name] = deployment.hostName;
        }
        if (deployment.serviceAccountManifest) {
            serviceAccountManifests[workload.name] = deployment.serviceAccountManifest;
        }
    }, batch);
    // A grant in config that no identity and no kind declared would be a silent gap in access: refuse it.
    const dropped = config.grants.filter((grant) => !consumed.has(grant));
    if (dropped.length > 0) {
        throw new Error(
            `Grants in stack config that nothing declared (a workload kind did not pass them on): ${dropped
                .map((grant) => `${grant.role} for ${grant.workload} (${grant.identity})`)
                .join("; ")}`,
        );
    }

    return {
        resourceGroupName,
        workspaceId: monitoring.workspaceId,
        workspaceCustomerId: monitoring.customerId,
        vaultUris: Object.fromEntries(Object.entries(services.vaults).map(([name, vault]) => [name, vault.vaultUri])),
        identityClientIds: Object.fromEntries(Object.entries(identities).map(([name, identity]) => [name, identity.clientId])),
        siteHostNames,
        databaseGrants: config.sqlGrants.map(({ server, database, identity, workload, roles }) => ({ server, database, identity, workload, roles })),
        sqlGrantScripts: Object.fromEntries(Object.entries(sqlServers).map(([name, server]) => [name, server.grantScripts])),
        serviceAccountManifests,
        identityPrincipalIds,
        roleAssignmentIds: Object.fromEntries(
            assignmentGroups.flatMap((group) => (group ? group.grants.map((grant, index) => [grant.resourceName, group.assignments[index].id]) : [])),
        ),
    };
}
