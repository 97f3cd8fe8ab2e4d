// What `pulumi new` makes from this template: a resource group, a Log Analytics workspace, a network whose app subnet
// the vault admits, a Key Vault open only to that subnet and the operators' range with a generated secret, an identity
// allowed to read that one secret, and a VNet-integrated web app reading it through a Key Vault reference. Every value
// comes from the three prompts.
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { ManagedIdentity } from "@keyless/components/identity";
import { Vault } from "@keyless/components/keyvault";
import { Monitoring } from "@keyless/components/monitoring";
import { Network } from "@keyless/components/network";
import { Problems } from "@keyless/components/shared";
import { WebApp } from "@keyless/components/web";

const environments = ["dev", "test", "prod"];

const config = new pulumi.Config();
const environment = config.require("environment");
const operatorIpRange = config.require("operatorIpRange");
const problems = new Problems(`${pulumi.getProject()} config`);
if (!environments.includes(environment)) {
    problems.add(`environment is "${environment}"; expected one of ${environments.join(", ")}.`);
}
problems.throwIfAny();
const production = environment === "prod";

const group = new resources.ResourceGroup("rg", { resourceGroupName: `rg-${pulumi.getProject()}-${environment}` });
const resourceGroupName = group.name;
const tags = { environment };

const monitoring = new Monitoring("logs", { resourceGroupName, retentionInDays: production ? 90 : 30, tags });
const diagnostics = { workspaceId: monitoring.workspaceId };

// The app reaches the vault from its own subnet (VNet integration), through the subnet's Key Vault service endpoint:
// a firewalled vault refuses App Service's shared outbound addresses.
const network = new Network("network", {
    resourceGroupName,
    addressSpace: "10.40.0.0/16",
    subnets: { apps: { addressPrefix: "10.40.1.0/24", delegation: "Microsoft.Web/serverFarms", serviceEndpoints: ["Microsoft.KeyVault"] } },
    tags,
});

const vault = new Vault("app", {
    resourceGroupName,
    network: { allowedIps: [operatorIpRange], allowedSubnetIds: [network.subnetIds.apps] },
    secrets: { "api-key": { generate: { length: 40 } } },
    lock: production ? { kind: "CanNotDelete" } : undefined,
    diagnostics,
    tags,
});

const identity = new ManagedIdentity("web", {
    resourceGroupName,
    grants: [{ role: "Key Vault Secrets User", target: vault.secretTarget("api-key") }],
    tags,
});

const app = new WebApp("web", {
    resourceGroupName,
    identity: { userAssigned: [identity] },
    linuxFxVersion: "NODE|20-lts",
    subnetId: network.subnetIds.apps,
    settings: { API_KEY: { keyVaultSecret: { secretUri: vault.secretUri("api-key") } } },
    diagnostics,
    tags,
});

export const url = pulumi.interpolate`https://${app.defaultHostName}`;
export const vaultUri = vault.vaultUri;
