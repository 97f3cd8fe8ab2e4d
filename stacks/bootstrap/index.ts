// The one-time bootstrap (docs/deploy.md, "One-time bootstrap"): read the config, declare, export what the
// workflows need. Run from this folder with `pulumi up`; modules resolve from the repository root's node_modules.
import * as pulumi from "@pulumi/pulumi";
import { deployBootstrap } from "./bootstrap";
import { readBootstrapConfig } from "./config";
import { escEnvironment as escEnvironmentYaml } from "./esc";

const bootstrap = deployBootstrap(readBootstrapConfig());

export const clientId = bootstrap.clientId;
export const principalId = bootstrap.principalId;
export const previewClientId = bootstrap.previewClientId;
export const previewPrincipalId = bootstrap.previewPrincipalId;
export const previewIdentityName = bootstrap.previewIdentityName;
export const tenantId = bootstrap.tenantId;
export const subscriptionId = bootstrap.subscriptionId;
export const identityName = bootstrap.identityName;
export const backendUrl = bootstrap.backendUrl;
export const secretsProviderUrl = bootstrap.secretsProviderUrl;
export const resourceGroups = bootstrap.resourceGroups;
export const bootstrapResourceGroup = bootstrap.bootstrapResourceGroup;
export const stateStorageAccount = bootstrap.stateStorageAccount;
export const vaultName = bootstrap.vaultName;
export const federatedSubjects = bootstrap.federatedSubjects;
export const previewFederatedSubjects = bootstrap.previewFederatedSubjects;
export const ghCommands = bootstrap.ghCommands;
export const auditWorkspaceId = bootstrap.auditWorkspaceId;
export const auditWorkspaceCustomerId = bootstrap.auditWorkspaceCustomerId;
export const federatedCredentialIds = bootstrap.federatedCredentialIds;
export const previewFederatedCredentialIds = bootstrap.previewFederatedCredentialIds;
// For Pulumi Cloud users: the same keyless sign-in as an ESC environment (docs/packages.md#pulumi-esc).
export const escEnvironment = pulumi
    .all([bootstrap.clientId, bootstrap.tenantId, bootstrap.subscriptionId])
    .apply(([clientId, tenantId, subscriptionId]) => escEnvironmentYaml({ clientId, tenantId, subscriptionId }));
