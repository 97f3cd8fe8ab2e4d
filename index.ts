// Keyless stack entry point: read and validate the stack config, then declare the environment.
import { skipUnreadPromiseTraces } from "./stacks/promiseTraces";
import { readStackConfig } from "./stacks/config";
import { deployEnvironment } from "./stacks/environment";

// Before any resource: the SDK's per-promise stack traces are never read (stacks/promiseTraces.ts).
skipUnreadPromiseTraces();

// Validated when the module loads: a config error stops the program before any resource is declared.
const config = readStackConfig();

// An exported async function is the documented asynchronous entry point: Pulumi calls it and the object it returns
// becomes the stack outputs (https://www.pulumi.com/docs/iac/languages-sdks/javascript/#enabling-async-support).
// The declaration is asynchronous so that it can give the event loop a turn between batches (stacks/turns.ts).
export = async () => {
    const environment = await deployEnvironment(config);
    return {
        resourceGroupName: environment.resourceGroupName,
        workspaceId: environment.workspaceId,
        workspaceCustomerId: environment.workspaceCustomerId,
        vaultUris: environment.vaultUris,
        identityClientIds: environment.identityClientIds,
        siteHostNames: environment.siteHostNames,
        databaseGrants: environment.databaseGrants,
        sqlGrantScripts: environment.sqlGrantScripts,
        serviceAccountManifests: environment.serviceAccountManifests,
        identityPrincipalIds: environment.identityPrincipalIds,
        roleAssignmentIds: environment.roleAssignmentIds,
    };
};
