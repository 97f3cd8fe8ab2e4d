import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { GrantTarget, RoleGrant } from "../infra/access/grants";
import { LinuxVm, WindowsVm } from "../infra/compute";
import { ManagedIdentity } from "../infra/identity/ManagedIdentity";
import { WorkloadIdentityArgs } from "../infra/identity/identityShape";
import { KeylessStorage } from "../infra/storage/KeylessStorage";
import { Monitoring } from "../infra/monitoring/Monitoring";
import { Network } from "../infra/network/Network";
import { LockArgs } from "../infra/shared/locks";
import { physicalName } from "../infra/shared/naming";
import { standardTags } from "../infra/shared/tags";
import { Vault } from "../infra/keyvault/Vault";
import { VaultSecretSource } from "../infra/keyvault/secretSource";
import { AppSettingValue } from "../infra/web/appSettings";
import { FunctionApp } from "../infra/web/FunctionApp";
import { FunctionsWorkerRuntime } from "../infra/web/FunctionApp";
import { WebApp } from "../infra/web/WebApp";
import { AksCluster, ContainerGroup, ContainerRegistry, linkServiceAccount } from "../infra/containers";
import { SqlServer } from "../infra/data";
import { blobReaderWorkflow, LogicApp } from "../infra/logic";
import { EventHubsNamespace, ServiceBusNamespace } from "../infra/messaging";
import { AppSettingConfig, configNamespace, GrantTargetRef, StackConfig, WorkloadConfig } from "./config";

/**
 * The composition every Keyless stack runs: one resource group, monitoring, a network, the data services,
 * the identities with their grants, then the workloads. Everything comes from the typed stack config.
 */
export interface EnvironmentOutputs {
    resourceGroupName: pulumi.Output<string>;
    workspaceId: pulumi.Output<string>;
    vaultUris: Record<string, pulumi.Output<string>>;
    identityClientIds: Record<string, pulumi.Output<string>>;
    siteHostNames: Record<string, pulumi.Output<string>>;
    /** Database-level grants ARM cannot make, with the T-SQL that makes each; see docs/sql-grants.md. */
    databaseGrants: { server: string; database: string; identity: string; workload: string; roles: string[] }[];
    sqlGrantScripts: Record<string, pulumi.Output<Record<string, string>>>;
    /** Kubernetes service account manifests carrying the workload identity annotation, per cluster. */
    serviceAccountManifests: Record<string, pulumi.Output<string>>;
}

const runtimeVersions: Record<FunctionsWorkerRuntime, string> = {
    node: "20",
    python: "3.11",
    "dotnet-isolated": "8.0",
    java: "17",
    powershell: "7.4",
};

/** Service endpoints on every subnet, so that the vault and storage firewalls can admit the VNet. */
const dataServiceEndpoints = ["Microsoft.KeyVault", "Microsoft.Storage"];

export function deployEnvironment(config: StackConfig): EnvironmentOutputs {
    const stack = pulumi.getStack();
    const tags = standardTags(config.project, stack, { environment: config.environment });
    const lock: LockArgs | undefined = config.hardening.locks
        ? { kind: "CanNotDelete", notes: `Keyless ${config.environment}: remove through the stack config (hardening.locks), not the portal.` }
        : undefined;
    const location = config.location;

    const resourceGroupName: pulumi.Output<string> = config.resourceGroup?.existing
        ? pulumi.output(config.resourceGroup.name)
        : new resources.ResourceGroup("resource-group", {
              resourceGroupName: config.resourceGroup?.name ?? physicalName("resourceGroup", `${config.project}-${config.environment}`),
              location,
              tags,
          }).name;
    // One lookup for every role definition ID the stack writes.
    const subscriptionId = authorization.getClientConfigOutput().subscriptionId;
    const placement = { resourceGroupName, location, tags };

    const monitoring = new Monitoring("monitoring", {
        ...placement,
        retentionInDays: config.monitoring.retentionDays,
        lock,
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
    const subnetId = (name: string) => network.subnetIds[name];
    // Vault and storage firewalls: the VNet always, the operators' public ranges only outside private mode.
    const dataNetwork = {
        allowedIps: config.hardening.privateNetwork ? [] : config.network.allowedIps,
        allowedSubnetIds: Object.values(network.subnetIds),
    };

    const vaults = Object.fromEntries(
        Object.entries(config.vaults).map(([name, spec]) => [
            name,
            new Vault(name, {
                ...placement,
                sku: spec.sku,
                network: dataNetwork,
                secrets: Object.fromEntries(
                    Object.entries(spec.secrets).map(([secretName, source]): [string, VaultSecretSource] => [
                        secretName,
                        "generate" in source
                            ? { generate: { length: source.generate.length, special: source.generate.special } }
                            : { value: new pulumi.Config(configNamespace).requireSecret(source.config) },
                    ]),
                ),
                lock,
                protect: config.hardening.protect,
                diagnostics,
            }),
        ]),
    );
    const accounts = Object.fromEntries(
        Object.entries(config.storage).map(([name, spec]) => [
            name,
            new KeylessStorage(name, {
                ...placement,
                sku: spec.sku,
                containers: spec.containers,
                queues: spec.queues,
                tables: spec.tables,
                network: dataNetwork,
                lock,
                diagnostics,
            }),
        ]),
    );

    const byName = <Spec, Made>(entries: Record<string, Spec>, make: (name: string, spec: Spec) => Made): Record<string, Made> =>
        Object.fromEntries(Object.entries(entries).map(([name, spec]) => [name, make(name, spec)]));
    // Registries authenticate every pull with Entra ID (admin user and anonymous pull off); their network stays
    // open because the container groups and clusters here reach them over the public endpoint.
    const registries = byName(config.registries, (name, spec) => new ContainerRegistry(name, { ...placement, sku: spec.sku, lock, diagnostics }));
    const serviceBus = byName(
        config.serviceBus,
        (name, spec) =>
            new ServiceBusNamespace(name, {
                ...placement,
                sku: spec.sku,
                queues: Object.fromEntries(spec.queues.map((queue) => [queue, {}])),
                topics: Object.fromEntries(spec.topics.map((topic) => [topic, {}])),
                lock,
                diagnostics,
            }),
    );
    const eventHubs = byName(
        config.eventHubs,
        (name, spec) =>
            new EventHubsNamespace(name, {
                ...placement,
                sku: spec.sku,
                eventHubs: Object.fromEntries(spec.hubs.map((hub) => [hub, {}])),
                lock,
                diagnostics,
            }),
    );

    const targetOf = (ref: GrantTargetRef): GrantTarget => {
        switch (ref.kind) {
            case "vault":
                return vaults[ref.vault].asTarget();
            case "storageAccount":
                return accounts[ref.storage].asTarget();
            case "container":
                return accounts[ref.storage].containerTarget(ref.child);
            case "queue":
                return accounts[ref.storage].queueTarget(ref.child);
            case "table":
                return accounts[ref.storage].tableTarget(ref.child);
            case "registry":
                return registries[ref.registry].asTarget();
            case "serviceBus":
                return serviceBus[ref.namespace].asTarget();
            case "eventHub":
                return eventHubs[ref.namespace].asTarget();
            case "serviceBusQueue":
                return serviceBus[ref.namespace].queueTarget(ref.child);
            case "serviceBusTopic":
                return serviceBus[ref.namespace].topicTarget(ref.child);
            case "eventHubInstance":
                return eventHubs[ref.namespace].eventHubTarget(ref.child);
        }
    };
    // Grants grouped once, by identity and (system-assigned ones) by workload: filtering every grant for every
    // identity and every workload grows with the square of a fleet.
    const grantsByIdentity = new Map<string, StackConfig["grants"]>();
    const systemGrants = new Map<string, StackConfig["grants"]>();
    const group = (groups: Map<string, StackConfig["grants"]>, key: string, grant: StackConfig["grants"][number]) => {
        const list = groups.get(key);
        if (list) {
            list.push(grant);
        } else {
            groups.set(key, [grant]);
        }
    };
    for (const grant of config.grants) {
        group(grantsByIdentity, grant.identity, grant);
        if (grant.identity === "system") {
            group(systemGrants, grant.workload, grant);
        }
    }
    const roleGrants = (grants: StackConfig["grants"] = []): RoleGrant[] => grants.map((grant) => ({ role: grant.role, target: targetOf(grant.target) }));

    const identities = Object.fromEntries(
        Object.entries(config.identities).map(([name, spec]) => [
            name,
            new ManagedIdentity(name, {
                ...placement,
                federatedCredentials: spec.federatedCredentials,
                grants: roleGrants(grantsByIdentity.get(name)),
                subscriptionId,
                lock,
            }),
        ]),
    );

    const sqlServers = byName(
        config.sqlServers,
        (name, spec) =>
            new SqlServer(name, {
                ...placement,
                administrator: { login: spec.admin.login, objectId: spec.admin.objectId, principalType: spec.admin.type },
                databases: Object.fromEntries(spec.databases.map((database) => [database, {}])),
                // CREATE USER ... FROM EXTERNAL PROVIDER takes the identity's Entra display name: its resource name.
                grants: config.sqlGrants
                    .filter((grant) => grant.server === name)
                    .map((grant) => ({
                        identity: physicalName("identity", grant.identity),
                        database: grant.database,
                        roles: grant.roles,
                        objectId: identities[grant.identity].principalId,
                    })),
                lock,
                diagnostics,
            }),
    );

    const identityOf = (workload: WorkloadConfig): WorkloadIdentityArgs => ({
        systemAssigned: workload.identity.systemAssigned,
        userAssigned: workload.identity.userAssigned.map((name) => identities[name]),
    });
    const systemGrantsOf = (workload: WorkloadConfig) => roleGrants(systemGrants.get(workload.name));

    const settingsOf = (settings: Record<string, AppSettingConfig>): Record<string, AppSettingValue> =>
        Object.fromEntries(
            Object.entries(settings).map(([key, setting]): [string, AppSettingValue] => {
                if (typeof setting === "string") {
                    return [key, { value: setting }];
                }
                if ("secret" in setting) {
                    const [vault, secret] = setting.secret.split("/");
                    return [key, { keyVaultSecret: { secretUri: vaults[vault].secretUri(secret) } }];
                }
                const account = accounts[setting.storage];
                const endpoint = { blob: account.blobEndpoint, queue: account.queueEndpoint, table: account.tableEndpoint }[setting.service];
                return [key, { identityConnection: { [`${setting.service}ServiceUri`]: endpoint } }];
            }),
        );

    const siteHostNames: Record<string, pulumi.Output<string>> = {};
    const serviceAccountManifests: Record<string, pulumi.Output<string>> = {};
    for (const workload of config.workloads) {
        const common = {
            ...placement,
            identity: identityOf(workload),
            grants: systemGrantsOf(workload),
            subscriptionId,
            lock,
        };
        switch (workload.kind) {
            case "linuxVm": {
                const app = workload.app
                    ? (() => {
                          const [vault, secretName] = workload.app.secret.split("/");
                          const appIdentity = identities[workload.identity.userAssigned[0]];
                          return { vaultName: vaults[vault].vaultName, secretName, clientId: appIdentity?.clientId };
                      })()
                    : undefined;
                new LinuxVm(workload.name, {
                    ...common,
                    subnetId: subnetId(workload.subnet),
                    sshPublicKey: workload.sshPublicKey,
                    adminUsername: workload.adminUsername,
                    size: workload.size,
                    publicIp: workload.publicIp,
                    app,
                });
                break;
            }
            case "windowsVm":
                new WindowsVm(workload.name, {
                    ...common,
                    subnetId: subnetId(workload.subnet),
                    size: workload.size,
                    passwordVault: { vaultName: vaults[workload.passwordVault].vaultName, resourceGroupName },
                });
                break;
            case "webApp": {
                const site = new WebApp(workload.name, {
                    ...common,
                    plan: { sku: workload.sku },
                    subnetId: workload.subnet ? subnetId(workload.subnet) : undefined,
                    settings: settingsOf(workload.settings),
                    diagnostics: monitoring.diagnostics(["AppServiceHTTPLogs", "AppServiceConsoleLogs", "AppServiceAppLogs", "AppServiceAuditLogs"]),
                });
                siteHostNames[workload.name] = site.defaultHostName;
                break;
            }
            case "functionApp": {
                const site = new FunctionApp(workload.name, {
                    ...common,
                    plan: { sku: workload.sku },
                    runtime: { name: workload.runtime, version: runtimeVersions[workload.runtime] },
                    hostStorage: accounts[workload.hostStorage],
                    subnetId: workload.subnet ? subnetId(workload.subnet) : undefined,
                    settings: settingsOf(workload.settings),
                    diagnostics: monitoring.diagnostics(["FunctionAppLogs"]),
                });
                siteHostNames[workload.name] = site.defaultHostName;
                break;
            }
            case "containerGroup":
                new ContainerGroup(workload.name, {
                    ...placement,
                    identity: identities[workload.identity.userAssigned[0]],
                    image: workload.image,
                    registry: registries[workload.registry],
                    cpu: workload.cpu,
                    memoryGb: workload.memoryGb,
                    subnetIds: workload.subnet ? [subnetId(workload.subnet)] : undefined,
                    env: workload.env,
                    secureEnv: Object.fromEntries(
                        Object.entries(workload.secureEnv).map(([key, configKey]) => [key, new pulumi.Config(configNamespace).requireSecret(configKey)]),
                    ),
                    lock,
                });
                break;
            case "logicApp": {
                const source = workload.readsBlob;
                const userIdentity = workload.identity.userAssigned[0];
                new LogicApp(workload.name, {
                    ...common,
                    definition: blobReaderWorkflow({
                        blobUrl: source
                            ? pulumi.interpolate`${accounts[source.storage].blobEndpoint}${source.container}/${source.path}`
                            : pulumi.output("https://example.blob.core.windows.net/none/none"),
                        identityId: userIdentity ? identities[userIdentity].id : undefined,
                    }),
                    diagnostics: monitoring.diagnostics(["WorkflowRuntime"]),
                });
                break;
            }
            case "aksCluster": {
                const cluster = new AksCluster(workload.name, {
                    ...placement,
                    registries: [registries[workload.registry].asTarget()],
                    adminGroupObjectIds: workload.adminGroupObjectIds,
                    systemPool: { vmSize: workload.nodeSize, count: workload.nodeCount },
                    lock,
                    diagnostics,
                });
                const manifests = workload.serviceAccounts.map(
                    (account) =>
                        linkServiceAccount(cluster, { namespace: account.namespace, serviceAccount: account.name, identity: identities[account.identity] })
                            .serviceAccountYaml,
                );
                serviceAccountManifests[workload.name] = pulumi.all(manifests).apply((documents) => documents.join("---\n"));
                break;
            }
        }
    }

    return {
        resourceGroupName,
        workspaceId: monitoring.workspaceId,
        vaultUris: Object.fromEntries(Object.entries(vaults).map(([name, vault]) => [name, vault.vaultUri])),
        identityClientIds: Object.fromEntries(Object.entries(identities).map(([name, identity]) => [name, identity.clientId])),
        siteHostNames,
        databaseGrants: config.sqlGrants.map((grant) => ({
            server: grant.server,
            database: grant.database,
            identity: grant.identity,
            workload: grant.workload,
            roles: grant.roles,
        })),
        sqlGrantScripts: Object.fromEntries(Object.entries(sqlServers).map(([name, server]) => [name, server.grantScripts])),
        serviceAccountManifests,
    };
}
