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
            default:
                throw new Error(`Grant targets of kind ${ref.kind} are not supported by this stack yet.`);
        }
    };
    const grantsFor = (predicate: (grant: StackConfig["grants"][number]) => boolean): RoleGrant[] =>
        config.grants.filter(predicate).map((grant) => ({ role: grant.role, target: targetOf(grant.target) }));

    const identities = Object.fromEntries(
        Object.entries(config.identities).map(([name, spec]) => [
            name,
            new ManagedIdentity(name, {
                ...placement,
                federatedCredentials: spec.federatedCredentials,
                grants: grantsFor((grant) => grant.identity === name),
                subscriptionId,
                lock,
            }),
        ]),
    );

    const identityOf = (workload: WorkloadConfig): WorkloadIdentityArgs => ({
        systemAssigned: workload.identity.systemAssigned,
        userAssigned: workload.identity.userAssigned.map((name) => identities[name]),
    });
    const systemGrantsOf = (workload: WorkloadConfig) =>
        grantsFor((grant) => grant.workload === workload.name && grant.identity === "system");

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
            default:
                throw new Error(`Workload kind ${workload.kind} is not supported by this stack yet.`);
        }
    }

    return {
        resourceGroupName,
        workspaceId: monitoring.workspaceId,
        vaultUris: Object.fromEntries(Object.entries(vaults).map(([name, vault]) => [name, vault.vaultUri])),
        identityClientIds: Object.fromEntries(Object.entries(identities).map(([name, identity]) => [name, identity.clientId])),
        siteHostNames,
    };
}
