import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as features from "@pulumi/azure-native/features";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { builtInRoles, roleDefinitionId } from "../../infra/access/roles";
import { aksOperatorRoleIds } from "../../infra/containers/operators";
import { ManagedIdentity } from "../../infra/identity/ManagedIdentity";
import { Vault } from "../../infra/keyvault/Vault";
import { roleAssignmentName, uuidV5 } from "../../infra/shared/naming";
import { standardTags } from "../../infra/shared/tags";
import { KeylessStorage } from "../../infra/storage/KeylessStorage";
import { BootstrapConfig } from "./config";
import { declareAuditWorkspace, declareEvidence } from "./evidence";
import { catalogDelegableRoleIds, delegationCondition, delegationConditionVersion } from "./condition";
import { backendUrl, ghVariableCommands, githubCredentials, secretsProviderUrl, WorkflowVariable, workflowVariables } from "./github";

/**
 * The one-time bootstrap: everything the GitHub workflows need before the first deploy, created by an admin who
 * holds Owner (or User Access Administrator plus Contributor) on the subscription. It creates two identities:
 * - the deploy identity, for `pulumi up` in the deployment environments, with management rights only on the main
 *   stacks' resource groups;
 * - the preview identity, for pull request previews and drift checks, which run without a reviewer's approval
 *   (the program of any pushed branch, or a daily job): it can only read.
 * In the bootstrap's own group, which holds the identities, their federated credentials, the state and the key,
 * each holds just two data roles (on the state container and on the key): so no workflow can widen its own trust,
 * delete the state account or take the key.
 */

/** The blob container that holds Pulumi state. */
export const stateContainer = "state";
/** The Key Vault key that encrypts the main stacks' secrets. */
export const stateKeyName = "pulumi-stack-secrets";
/** The subscription feature that VMs and AKS nodes with encryption at host need. */
export const encryptionAtHostFeature = { provider: "Microsoft.Compute", name: "EncryptionAtHost" } as const;

/** Days a deleted or overwritten state blob stays recoverable. */
export const stateRetentionDays = 30;

/** Exactly the operations a CanNotDelete lock needs: Contributor excludes every Microsoft.Authorization write. */
export const lockOperatorActions = ["Microsoft.Authorization/locks/read", "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"];

/** One role the deploy identity holds on each main stack's resource group, and why. */
export interface StackGrant {
    /** Short key; names the role assignment `<identity>-<key>-<stack>`, which policy-config.json exempts by name. */
    key: "contributor" | "rbac-admin" | "secrets-officer" | "lock-operator" | "acr-push";
    role: string;
    reason: string;
}

/** The deploy identity's rights on a main stack's group. docs/deploy.md carries the same table. */
export const stackGrants: readonly StackGrant[] = [
    {
        key: "contributor",
        role: "Contributor",
        reason: "creates, updates and deletes the stack's resources in this group; it cannot assign roles or write locks",
    },
    {
        key: "rbac-admin",
        role: "Role Based Access Control Administrator",
        reason: "assigns the stack's role grants; a condition limits it to the catalog's non-privileged roles and to service principals",
    },
    {
        key: "secrets-officer",
        role: "Key Vault Secrets Officer",
        reason: "azure-native deletes (and reads back) Key Vault secrets through the data plane on destroy and replace",
    },
    {
        key: "acr-push",
        role: "AcrPush",
        reason: "pushes the images the stack's container groups pull, before `pulumi up` creates them (the stack's registries are empty on a first deploy)",
    },
    {
        key: "lock-operator",
        role: "Keyless Lock Operator",
        reason: "prod sets CanNotDelete locks and Contributor cannot write locks; this custom role can only read, write and delete locks",
    },
];

/** What the preview identity holds, and why. docs/deploy.md carries the same table. */
export const previewGrantReasons = {
    reader: "reads the stack's resources: a preview reads what its program looks up, a drift check's refresh reads every resource (ARM GETs)",
    state: "reads Pulumi state (azblob:// backend); a preview takes no lock and saves nothing, so it writes no blob",
    key: "decrypts the stack's secrets (azurekeyvault:// secrets provider) to run the program",
    appSettings:
        "lists the sites' app settings for the drift check (refresh cannot see them); they hold plain values checked for credentials and Key Vault references, never a secret",
} as const;

/** The one operation the app-setting drift check needs beyond Reader: POST .../config/appsettings/list. */
export const appSettingsReaderActions = ["Microsoft.Web/sites/config/list/action"];

export interface BootstrapOutputs {
    /** The deploy identity's client ID: `AZURE_CLIENT_ID`. */
    clientId: pulumi.Output<string>;
    principalId: pulumi.Output<string>;
    /** The preview identity's client ID: `AZURE_PREVIEW_CLIENT_ID`. */
    previewClientId: pulumi.Output<string>;
    previewPrincipalId: pulumi.Output<string>;
    previewIdentityName: pulumi.Output<string>;
    tenantId: pulumi.Output<string>;
    subscriptionId: pulumi.Output<string>;
    identityName: pulumi.Output<string>;
    /** `azblob://<container>?storage_account=<account>`: `PULUMI_BACKEND_URL`. */
    backendUrl: pulumi.Output<string>;
    /** `azurekeyvault://<vault>.vault.azure.net/keys/<key>`: `PULUMI_SECRETS_PROVIDER`. */
    secretsProviderUrl: pulumi.Output<string>;
    /** Main stack name → its resource group, for `keyless:resourceGroup: { name, existing: true }`. */
    resourceGroups: pulumi.Output<Record<string, string>>;
    bootstrapResourceGroup: pulumi.Output<string>;
    stateStorageAccount: pulumi.Output<string>;
    vaultName: pulumi.Output<string>;
    /** The OIDC subjects the deploy identity trusts, one per credential. */
    federatedSubjects: string[];
    /** The OIDC subjects the preview identity trusts, one per credential. */
    previewFederatedSubjects: string[];
    /** `gh variable set` lines for the repository variables the workflows read. */
    ghCommands: pulumi.Output<string>;
    /** The audit workspace (Activity Log, sign-ins): its resource ID and the workspace ID `npm run review` queries. */
    auditWorkspaceId: pulumi.Output<string>;
    auditWorkspaceCustomerId: pulumi.Output<string>;
    /** Resource IDs of the deploy and preview identities' federated credentials, which the review expects deploy sign-ins through. */
    federatedCredentialIds: pulumi.Output<string[]>;
    previewFederatedCredentialIds: pulumi.Output<string[]>;
}

export function deployBootstrap(config: BootstrapConfig): BootstrapOutputs {
    // Everything that can be checked without Azure is checked before the first resource is declared.
    const credentials = githubCredentials("deploy", config.repository, config.environments, false);
    const previewCredentials = githubCredentials("preview", config.repository, config.driftEnvironments, config.pullRequests);
    // Workload identities get the catalog's roles; people get AKS roles only, and only through their Entra groups.
    const condition = delegationCondition([
        { roleIds: catalogDelegableRoleIds(), principalTypes: ["ServicePrincipal"] },
        { roleIds: aksOperatorRoleIds(), principalTypes: ["Group"] },
    ]);

    const project = config.project;
    const tags = standardTags(project, pulumi.getStack(), { "keyless:role": "bootstrap" });
    const client = authorization.getClientConfigOutput();
    const subscriptionId = client.subscriptionId;

    // Resource groups are protected: deleting one deletes everything in it, whoever created it.
    const home = new resources.ResourceGroup(
        `${project}-bootstrap`,
        { resourceGroupName: config.resourceGroupName, location: config.location, tags },
        { protect: true },
    );
    // The main stacks' groups: the deploy identity is scoped to them and cannot create groups itself.
    const stackGroups = config.stacks.map((stack) => ({
        stack,
        group: new resources.ResourceGroup(
            `${project}-${stack.name}`,
            { resourceGroupName: stack.resourceGroupName, location: stack.location, tags: { ...tags, "keyless:deploys": stack.name } },
            { protect: true },
        ),
    }));

    // GitHub-hosted runners have no fixed addresses, and every Pulumi run reads the state and asks the vault to decrypt
    // the stack's data key; so by default both admit every network, and each call still needs an Entra token and a role.
    const network = config.network.allowAllNetworks ? { allowAllNetworks: true } : { allowedIps: config.network.allowedIps };

    // Pulumi state. Shared keys are off (KeylessStorage always), so the azblob:// backend signs in with Entra ID.
    const state = new KeylessStorage(`${project}-state`, {
        resourceGroupName: home.name,
        location: config.location,
        containers: [stateContainer],
        network,
        protect: true,
        lock: { kind: "CanNotDelete", notes: "Holds the Pulumi state of every Keyless stack. Managed by the bootstrap stack." },
        tags,
    });
    // Versioning keeps every earlier state file; soft delete keeps deleted blobs and containers. KeylessStorage has
    // no setting for these, so they are declared here on the account's blob service.
    new storage.BlobServiceProperties(`${project}-state-blob-service`, {
        resourceGroupName: home.name,
        accountName: state.accountName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: stateRetentionDays },
        containerDeleteRetentionPolicy: { enabled: true, days: stateRetentionDays },
    });

    const audit = declareAuditWorkspace({ project, resourceGroupName: home.name, location: config.location, tags, retentionDays: config.evidence.retentionDays });
    // The key that encrypts the main stacks' secrets (azurekeyvault:// secrets provider). RBAC only, purge protection.
    // Its AuditEvent logs (every decrypt of a stack's secrets) go to the audit workspace.
    const vault = new Vault(`${project}-secrets`, {
        diagnostics: audit.diagnostics(),
        resourceGroupName: home.name,
        location: config.location,
        network,
        protect: true,
        lock: { kind: "CanNotDelete", notes: "Holds the key that encrypts every Keyless stack's secrets. Managed by the bootstrap stack." },
        tags,
    });
    // Not rotated automatically: stacks' data keys are wrapped with the version that was current then.
    const key = new keyvault.Key(
        `${project}-${stateKeyName}`,
        {
            resourceGroupName: home.name,
            vaultName: vault.vaultName,
            keyName: stateKeyName,
            properties: {
                kty: "RSA",
                keySize: config.keySize,
                keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                attributes: { enabled: true, exportable: false },
            },
            tags,
        },
        { protect: true },
    );

    const stateTarget = state.containerTarget(stateContainer);
    const keyTarget = { kind: "key" as const, name: `${vault.name}/${stateKeyName}`, id: key.id };

    // The identity deploys sign in as. Its credentials and data-plane grants live in the bootstrap group.
    const identity = new ManagedIdentity(`${project}-deploy`, {
        resourceGroupName: home.name,
        location: config.location,
        federatedCredentials: credentials,
        subscriptionId,
        grants: [
            {
                role: "Storage Blob Data Contributor",
                target: stateTarget,
                // The azblob:// backend uses DefaultAzureCredential and reads, writes and deletes state blobs.
                description: "Keyless deploy: reads and writes Pulumi state in this container (azblob:// backend).",
            },
            {
                role: "Key Vault Crypto User",
                target: keyTarget,
                // The azurekeyvault:// secrets provider calls Encrypt and Decrypt with this one key.
                description: "Keyless deploy: encrypts and decrypts stack secrets with this key (azurekeyvault:// secrets provider).",
            },
        ],
        tags,
    });

    // The identity pull request previews and drift checks sign in as. A preview runs the program of any branch pushed
    // to the repository, so this identity can read and nothing more: Reader on the stacks' groups, read on the state,
    // and the key (without it no program that holds a secret config value can run).
    const preview = new ManagedIdentity(`${project}-preview`, {
        resourceGroupName: home.name,
        location: config.location,
        federatedCredentials: previewCredentials,
        subscriptionId,
        grants: [
            ...stackGroups.map(({ stack, group }) => ({
                role: "Reader",
                target: { kind: "resourceGroup" as const, name: stack.resourceGroupName, id: group.id },
                description: `Keyless preview: ${previewGrantReasons.reader}.`,
            })),
            {
                // Not Contributor: the azblob:// backend takes a lock and writes blobs only for operations that change a
                // stack (up, refresh, destroy, import, stack commands); a preview, with or without --refresh, only reads.
                role: "Storage Blob Data Reader",
                target: stateTarget,
                description: `Keyless preview: ${previewGrantReasons.state}.`,
            },
            {
                // Crypto User is the narrowest built-in role with Decrypt; the provider calls Encrypt and Decrypt.
                role: "Key Vault Crypto User",
                target: keyTarget,
                description: `Keyless preview: ${previewGrantReasons.key}.`,
            },
        ],
        tags,
    });

    // Encryption at host (on by default for VMs) needs this subscription feature, which the resource-group-scoped
    // deploy identity cannot register; until it is, every VM create fails. Azure then wants Microsoft.Compute
    // registered again, see docs/deploy.md (https://learn.microsoft.com/azure/virtual-machines/linux/disks-enable-host-based-encryption-cli#prerequisites).
    if (config.registerEncryptionAtHost) {
        new features.SubscriptionFeatureRegistration(`${project}-encryption-at-host`, {
            providerNamespace: encryptionAtHostFeature.provider,
            featureName: encryptionAtHostFeature.name,
            properties: {},
        });
    }

    // Contributor cannot write locks; this role adds exactly that, and can be assigned only on the stacks' groups.
    const lockOperator = new authorization.RoleDefinition(`${project}-lock-operator`, {
        scope: pulumi.interpolate`/subscriptions/${subscriptionId}`,
        // Stable per subscription, so a lost state can be re-imported instead of colliding with the existing role.
        roleDefinitionId: subscriptionId.apply((subscription) => uuidV5(`role-definition|${subscription}|${project}|lock-operator`)),
        roleName: config.lockOperatorRoleName,
        roleType: "CustomRole",
        description: "Read, create and delete management locks. Assigned by the Keyless bootstrap to the deploy identity.",
        permissions: [{ actions: lockOperatorActions, notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: stackGroups.map(({ group }) => group.id),
    });

    // Reader cannot list app settings; the drift check (stacks/drift/appSettings.ts) must, so the preview identity gets
    // exactly that operation on the stacks' groups.
    const appSettingsReader = new authorization.RoleDefinition(`${project}-app-settings-reader`, {
        scope: pulumi.interpolate`/subscriptions/${subscriptionId}`,
        roleDefinitionId: subscriptionId.apply((subscription) => uuidV5(`role-definition|${subscription}|${project}|app-settings-reader`)),
        roleName: config.appSettingsReaderRoleName,
        roleType: "CustomRole",
        description: "List the app settings of web and function apps. Assigned by the Keyless bootstrap to the preview identity for drift checks.",
        permissions: [{ actions: appSettingsReaderActions, notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: stackGroups.map(({ group }) => group.id),
    });
    for (const { stack, group } of stackGroups) {
        new authorization.RoleAssignment(`${project}-preview-app-settings-${stack.name}`, {
            scope: group.id,
            principalId: preview.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: appSettingsReader.id,
            roleAssignmentName: pulumi
                .all([group.id, preview.principalId, appSettingsReader.id])
                .apply(([scope, principal, role]) => roleAssignmentName(scope, principal, role)),
            description: `Keyless preview: ${previewGrantReasons.appSettings}.`,
        });
    }

    const definitionFor = (grant: StackGrant): pulumi.Input<string> =>
        grant.key === "lock-operator"
            ? lockOperator.id
            : subscriptionId.apply((subscription) => roleDefinitionId(subscription, builtInRoles[grant.role as keyof typeof builtInRoles].id));

    for (const { stack, group } of stackGroups) {
        for (const grant of stackGrants) {
            const definition = definitionFor(grant);
            // Declared directly rather than through RoleAssignments, which refuses privileged roles by design and has
            // no condition: this identity is the one documented exception (policy-config.json says why).
            new authorization.RoleAssignment(
                `${project}-deploy-${grant.key}-${stack.name}`,
                {
                    scope: group.id,
                    principalId: identity.principalId,
                    // Skips the directory lookup that fails while a new identity replicates, and is what the
                    // condition on RBAC Administrator matches on.
                    principalType: "ServicePrincipal",
                    roleDefinitionId: definition,
                    roleAssignmentName: pulumi
                        .all([group.id, identity.principalId, definition])
                        .apply(([scope, principal, role]) => roleAssignmentName(scope, principal, role)),
                    description: `Keyless deploy: ${grant.reason}.`,
                    ...(grant.key === "rbac-admin" ? { condition, conditionVersion: delegationConditionVersion } : {}),
                },
                { deleteBeforeReplace: false },
            );
        }
    }

    const evidence = declareEvidence({
        audit,
        project,
        resourceGroupName: home.name,
        location: config.location,
        tags,
        subscriptionId,
        previewPrincipalId: preview.principalId,
        retentionDays: config.evidence.retentionDays,
        entraSignInLogs: config.evidence.entraSignInLogs,
    });

    // Through the container's ID, so the URL is only reported once the container exists.
    const backend = pulumi.all([state.containers[stateContainer].id, state.accountName]).apply(([, account]) => backendUrl(stateContainer, account));
    const secretsProvider = key.keyUri.apply(secretsProviderUrl);
    const credentialIds = pulumi.all(identity.federatedCredentials.map((credential) => credential.id));
    const previewCredentialIds = pulumi.all(preview.federatedCredentials.map((credential) => credential.id));
    // IDs only: what the access review needs to tell the deploy identities and their federated credentials.
    const reviewInputs = pulumi
        .all([identity.principalId, preview.principalId, credentialIds, previewCredentialIds])
        .apply(([principalId, previewPrincipalId, federatedCredentialIds, previewFederatedCredentialIds]) =>
            JSON.stringify({ principalId, previewPrincipalId, federatedCredentialIds, previewFederatedCredentialIds }),
        );
    const repositoryVariables = pulumi
        .all([identity.clientId, preview.clientId, identity.tenantId, subscriptionId, backend, secretsProvider, evidence.customerId, reviewInputs])
        .apply(([clientId, previewClientId, tenantId, subscription, backendValue, providerValue, auditWorkspace, bootstrapOutputs]) => {
            const values: Record<WorkflowVariable, string> = {
                AZURE_CLIENT_ID: clientId,
                AZURE_PREVIEW_CLIENT_ID: previewClientId,
                AZURE_TENANT_ID: tenantId,
                AZURE_SUBSCRIPTION_ID: subscription,
                PULUMI_BACKEND_URL: backendValue,
                PULUMI_SECRETS_PROVIDER: providerValue,
                KEYLESS_AUDIT_WORKSPACE_ID: auditWorkspace,
                KEYLESS_BOOTSTRAP_OUTPUTS: bootstrapOutputs,
            };
            return ghVariableCommands(
                config.repository,
                workflowVariables.map((name) => ({ name, value: values[name] })),
            );
        });

    return {
        clientId: identity.clientId,
        principalId: identity.principalId,
        previewClientId: preview.clientId,
        previewPrincipalId: preview.principalId,
        previewIdentityName: preview.identityName,
        tenantId: identity.tenantId,
        subscriptionId,
        identityName: identity.identityName,
        backendUrl: backend,
        secretsProviderUrl: secretsProvider,
        resourceGroups: pulumi
            .all(stackGroups.map(({ stack, group }) => group.name.apply((name) => [stack.name, name] as const)))
            .apply((entries) => Object.fromEntries(entries)),
        bootstrapResourceGroup: home.name,
        stateStorageAccount: state.accountName,
        vaultName: vault.vaultName,
        federatedSubjects: credentials.map((credential) => credential.subject),
        previewFederatedSubjects: previewCredentials.map((credential) => credential.subject),
        ghCommands: repositoryVariables,
        auditWorkspaceId: evidence.workspaceId,
        auditWorkspaceCustomerId: evidence.customerId,
        federatedCredentialIds: credentialIds,
        previewFederatedCredentialIds: previewCredentialIds,
    };
}
