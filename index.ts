// Keyless stack entry point: read and validate the stack config, then declare the environment.
import { skipUnreadPromiseTraces } from "./stacks/promiseTraces";
import { readStackConfig } from "./stacks/config";
import { deployEnvironment } from "./stacks/environment";

// Before any resource: the SDK's per-promise stack traces are never read (stacks/promiseTraces.ts).
skipUnreadPromiseTraces();

const environment = deployEnvironment(readStackConfig());

export const resourceGroupName = environment.resourceGroupName;
export const workspaceId = environment.workspaceId;
export const workspaceCustomerId = environment.workspaceCustomerId;
export const vaultUris = environment.vaultUris;
export const identityClientIds = environment.identityClientIds;
export const siteHostNames = environment.siteHostNames;
export const databaseGrants = environment.databaseGrants;
export const sqlGrantScripts = environment.sqlGrantScripts;
export const serviceAccountManifests = environment.serviceAccountManifests;
export const identityPrincipalIds = environment.identityPrincipalIds;
export const roleAssignmentIds = environment.roleAssignmentIds;
