import * as fs from "fs";
import * as path from "path";
import { builtInRoles } from "../../infra/access/roles";
import { roleAssignmentName } from "../../infra/shared/naming";
import { evaluatedResources, mockSubscriptionId, mockTenantId, RecordedResource, runUnderMocks, valueOf } from "../../infra/testing";
import { PackConfig } from "../../policies/lib/config";
import { evaluateResources } from "../../policies/lib/evaluate";
import { loadStackFile } from "../../offline/stackFile";
import { BootstrapOutputs, deployBootstrap, lockOperatorActions, previewGrantReasons, stackGrants, stateKeyName } from "./bootstrap";
import { aksOperatorRoleIds } from "../../infra/containers/operators";
import { catalogDelegableRoleIds, delegationCondition } from "./condition";
import { readBootstrapConfig } from "./config";
import { logAnalyticsReaderRoleId } from "./evidence";

const project = "keyless-bootstrap";
const example = loadStackFile(__dirname, "bootstrap");
const policyConfig = JSON.parse(fs.readFileSync(path.join(__dirname, "policy-config.json"), "utf8")) as PackConfig;

const t = {
    group: "azure-native:resources:ResourceGroup",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    credential: "azure-native:managedidentity:FederatedIdentityCredential",
    assignment: "azure-native:authorization:RoleAssignment",
    definition: "azure-native:authorization:RoleDefinition",
    account: "azure-native:storage:StorageAccount",
    container: "azure-native:storage:BlobContainer",
    blobService: "azure-native:storage:BlobServiceProperties",
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    lock: "azure-native:authorization:ManagementLockByScope",
};

interface Resolved {
    clientId: string;
    previewClientId: string;
    tenantId: string;
    subscriptionId: string;
    backendUrl: string;
    secretsProviderUrl: string;
    resourceGroups: Record<string, string>;
    federatedSubjects: string[];
    previewFederatedSubjects: string[];
    ghCommands: string;
}

async function run(overrides: Record<string, unknown> = {}) {
    const config = { ...example.config };
    for (const [key, value] of Object.entries(overrides)) {
        config[`${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const { resources, outputs } = await runUnderMocks(
        async () => {
            const out: BootstrapOutputs = deployBootstrap(readBootstrapConfig());
            return {
                clientId: await valueOf(out.clientId),
                previewClientId: await valueOf(out.previewClientId),
                tenantId: await valueOf(out.tenantId),
                subscriptionId: await valueOf(out.subscriptionId),
                backendUrl: await valueOf(out.backendUrl),
                secretsProviderUrl: await valueOf(out.secretsProviderUrl),
                resourceGroups: await valueOf(out.resourceGroups),
                federatedSubjects: out.federatedSubjects,
                previewFederatedSubjects: out.previewFederatedSubjects,
                ghCommands: await valueOf(out.ghCommands),
            } satisfies Resolved;
        },
        { project, stack: "bootstrap", config },
    );
    const ofType = (type: string) => resources.filter((resource) => resource.type === type);
    const one = (type: string) => {
        const found = ofType(type);
        expect(found).toHaveLength(1);
        return found[0];
    };
    /** The identity with this physical name, and its federated credentials in declaration order. */
    const identity = (resourceName: string) => {
        const [found] = ofType(t.identity).filter((candidate) => candidate.inputs.resourceName === resourceName);
        expect(found).toBeDefined();
        const credentials = ofType(t.credential).filter((credential) => credential.inputs.resourceName === resourceName);
        const assignments = ofType(t.assignment).filter((assignment) => assignment.inputs.principalId === found.state.principalId);
        return { resource: found, credentials, assignments };
    };
    const named = (type: string, name: string) => {
        const found = ofType(type).filter((resource) => resource.name === name);
        expect(found).toHaveLength(1);
        return found[0];
    };
    return { resources, outputs, ofType, one, named, identity };
}

const rgId = (name: string) => `/subscriptions/${mockSubscriptionId}/resourceGroups/${name}`;
const definitionId = (guid: string) => `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

describe("deployBootstrap (example stack file, under mocks)", () => {
    let result: Awaited<ReturnType<typeof run>>;
    beforeAll(async () => {
        result = await run();
    });

    it("creates the main stacks' groups and its own, all protected", () => {
        const groups = result.ofType(t.group);
        expect(groups.map((group) => [group.inputs.resourceGroupName, group.inputs.location, group.protect])).toEqual([
            ["rg-keyless-bootstrap", "westeurope", true],
            ["rg-keyless-dev", "westeurope", true],
            ["rg-keyless-prod", "westeurope", true],
        ]);
        expect(result.outputs.resourceGroups).toEqual({ dev: "rg-keyless-dev", prod: "rg-keyless-prod" });
    });

    it("creates id-keyless-deploy in its own group, trusting only the deployment environments, one credential at a time", () => {
        expect(result.ofType(t.identity).map((identity) => identity.inputs.resourceName)).toEqual(["id-keyless-deploy", "id-keyless-preview"]);
        const { resource, credentials } = result.identity("id-keyless-deploy");
        expect(resource.inputs.resourceGroupName).toBe("rg-keyless-bootstrap");

        expect(credentials.map((credential) => credential.inputs.subject)).toEqual([
            "repo:contoso/keyless:environment:dev",
            "repo:contoso/keyless:environment:prod",
        ]);
        expect(result.outputs.federatedSubjects).toEqual(credentials.map((credential) => credential.inputs.subject));
        for (const credential of credentials) {
            expect(credential.inputs.issuer).toBe("https://token.actions.githubusercontent.com");
            expect(credential.inputs.audiences).toEqual(["api://AzureADTokenExchange"]);
            expect(credential.inputs.resourceGroupName).toBe("rg-keyless-bootstrap");
        }
        // Azure refuses concurrent credential writes on one identity.
        credentials.slice(1).forEach((credential, index) => expect(credential.dependencies).toContain(credentials[index].urn));
    });

    it("creates id-keyless-preview for pull request previews and the drift environments, and nothing else trusts those subjects", () => {
        const { resource, credentials } = result.identity("id-keyless-preview");
        expect(resource.inputs.resourceGroupName).toBe("rg-keyless-bootstrap");
        expect(credentials.map((credential) => credential.inputs.subject)).toEqual([
            "repo:contoso/keyless:environment:dev-drift",
            "repo:contoso/keyless:environment:prod-drift",
            "repo:contoso/keyless:pull_request",
        ]);
        expect(result.outputs.previewFederatedSubjects).toEqual(credentials.map((credential) => credential.inputs.subject));
        for (const credential of credentials) {
            expect(credential.inputs).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", audiences: ["api://AzureADTokenExchange"] });
        }
        credentials.slice(1).forEach((credential, index) => expect(credential.dependencies).toContain(credentials[index].urn));
        // Every credential belongs to exactly one of the two identities.
        const subjects = result.ofType(t.credential).map((credential) => credential.inputs.subject);
        expect(new Set(subjects).size).toBe(subjects.length);
        expect(subjects).toHaveLength(5);
    });

    it("lets the preview identity read and nothing more: Reader on each stack group, read on the state, the key to decrypt, the audit logs", () => {
        const { assignments } = result.identity("id-keyless-preview");
        const container = result.one(t.container);
        const key = result.one(t.key);
        // Assignments of one component register in no fixed order.
        const granted = assignments.map((assignment) => [assignment.inputs.roleDefinitionId, assignment.inputs.scope, assignment.inputs.description]);
        expect(granted).toHaveLength(7);
        expect(granted).toEqual(
            expect.arrayContaining([
                [definitionId(builtInRoles.Reader.id), rgId("rg-keyless-dev"), `Keyless preview: ${previewGrantReasons.reader}.`],
                [definitionId(builtInRoles.Reader.id), rgId("rg-keyless-prod"), `Keyless preview: ${previewGrantReasons.reader}.`],
                [definitionId(builtInRoles["Storage Blob Data Reader"].id), container.id, `Keyless preview: ${previewGrantReasons.state}.`],
                [definitionId(builtInRoles["Key Vault Crypto User"].id), key.id, `Keyless preview: ${previewGrantReasons.key}.`],
                [definitionId(logAnalyticsReaderRoleId), result.one("azure-native:operationalinsights:Workspace").id, expect.stringMatching(/^Keyless preview: queries the audit workspace/)],
            ]),
        );
        for (const assignment of assignments) {
            expect(assignment.inputs.principalType).toBe("ServicePrincipal");
            expect(assignment.inputs.condition).toBeUndefined();
            expect(assignment.inputs.roleAssignmentName).toBe(
                roleAssignmentName(String(assignment.inputs.scope), String(assignment.inputs.principalId), String(assignment.inputs.roleDefinitionId)),
            );
        }
    });

    it("grants the deploy identity its five roles (AcrPush among them) on each main stack's group, and nothing on the bootstrap group", () => {
        const identity = result.identity("id-keyless-deploy").resource;
        const principalId = identity.state.principalId as string;
        const lockRole = result.named(t.definition, "keyless-lock-operator");
        const expectedRole: Record<string, string> = {
            contributor: definitionId(builtInRoles.Contributor.id),
            "rbac-admin": definitionId(builtInRoles["Role Based Access Control Administrator"].id),
            "secrets-officer": definitionId(builtInRoles["Key Vault Secrets Officer"].id),
            "lock-operator": lockRole.id as string,
            "acr-push": definitionId(builtInRoles.AcrPush.id),
        };
        const assignments = result.identity("id-keyless-deploy").assignments;
        for (const stack of ["dev", "prod"]) {
            for (const grant of stackGrants) {
                const [assignment] = assignments.filter((a) => a.name === `keyless-deploy-${grant.key}-${stack}`);
                expect(assignment).toBeDefined();
                const scope = rgId(`rg-keyless-${stack}`);
                expect(assignment.inputs).toMatchObject({
                    scope,
                    principalId,
                    principalType: "ServicePrincipal",
                    roleDefinitionId: expectedRole[grant.key],
                    roleAssignmentName: roleAssignmentName(scope, principalId, expectedRole[grant.key]),
                });
                expect(assignment.inputs.description).toBe(`Keyless deploy: ${grant.reason}.`);
            }
        }
        const groupScoped = assignments.filter((a) => String(a.inputs.scope).match(/\/resourceGroups\/[^/]+$/));
        expect(groupScoped).toHaveLength(10);
        expect(assignments.some((a) => String(a.inputs.scope).startsWith(rgId("rg-keyless-bootstrap")) && !/\/(containers|keys)\//.test(String(a.inputs.scope)))).toBe(false);
    });

    it("limits RBAC Administrator with a condition: the catalog's non-privileged roles to service principals, AKS roles alone to groups", () => {
        const expected = delegationCondition([
            { roleIds: catalogDelegableRoleIds(), principalTypes: ["ServicePrincipal"] },
            { roleIds: aksOperatorRoleIds(), principalTypes: ["Group"] },
        ]);
        // The group clause names exactly the five AKS roles: no data role, no Reader, nothing privileged reaches a person.
        const groupClause = /GuidEquals \{([^}]*)\} AND @Request\[Microsoft\.Authorization\/roleAssignments:PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'Group'\}/.exec(expected);
        expect(groupClause?.[1].split(", ").sort()).toEqual(
            ["Azure Kubernetes Service RBAC Reader", "Azure Kubernetes Service RBAC Writer", "Azure Kubernetes Service RBAC Admin", "Azure Kubernetes Service RBAC Cluster Admin", "Azure Kubernetes Service Cluster User Role"]
                .map((role) => builtInRoles[role as keyof typeof builtInRoles].id)
                .sort(),
        );
        expect(expected).not.toMatch(/\{'ServicePrincipal', 'Group'\}|\{'Group', 'ServicePrincipal'\}/);
        const assignments = result.ofType(t.assignment);
        for (const assignment of assignments) {
            if (/-rbac-admin-/.test(assignment.name)) {
                expect(assignment.inputs.condition).toBe(expected);
                expect(assignment.inputs.conditionVersion).toBe("2.0");
            } else {
                expect(assignment.inputs.condition).toBeUndefined();
            }
        }
        for (const role of [builtInRoles.Owner, builtInRoles.Contributor, builtInRoles["User Access Administrator"], builtInRoles["Role Based Access Control Administrator"]]) {
            expect(expected).not.toContain(role.id);
        }
        expect(expected).toContain(builtInRoles["Key Vault Secrets User"].id);
    });

    it("lets the preview identity list app settings on the stacks' groups and nothing else beyond Reader, for the drift check", () => {
        const role = result.named(t.definition, "keyless-app-settings-reader");
        expect(role.inputs.permissions).toEqual([{ actions: ["Microsoft.Web/sites/config/list/action"], notActions: [], dataActions: [], notDataActions: [] }]);
        expect(role.inputs.assignableScopes).toEqual([rgId("rg-keyless-dev"), rgId("rg-keyless-prod")]);
        const listing = result.identity("id-keyless-preview").assignments.filter((assignment) => assignment.inputs.roleDefinitionId === role.id);
        expect(listing.map((assignment) => assignment.inputs.scope)).toEqual([rgId("rg-keyless-dev"), rgId("rg-keyless-prod")]);
    });

    it("defines the lock operator role with the three lock operations only, assignable on the stacks' groups", () => {
        const role = result.named(t.definition, "keyless-lock-operator");
        expect(role.inputs).toMatchObject({
            scope: `/subscriptions/${mockSubscriptionId}`,
            roleName: "Keyless Lock Operator",
            roleType: "CustomRole",
            permissions: [{ actions: lockOperatorActions, notActions: [], dataActions: [], notDataActions: [] }],
            assignableScopes: [rgId("rg-keyless-dev"), rgId("rg-keyless-prod")],
        });
        expect(lockOperatorActions).toEqual(["Microsoft.Authorization/locks/read", "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"]);
        expect(role.inputs.roleDefinitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("keeps state in a protected, locked account with shared keys off, versioning and soft delete", () => {
        const account = result.one(t.account);
        expect(account.protect).toBe(true);
        expect(account.inputs).toMatchObject({
            resourceGroupName: "rg-keyless-bootstrap",
            allowSharedKeyAccess: false,
            allowBlobPublicAccess: false,
            minimumTlsVersion: "TLS1_2",
            // GitHub-hosted runners have no fixed addresses; every call still needs an Entra ID token.
            publicNetworkAccess: "Enabled",
            networkRuleSet: expect.objectContaining({ defaultAction: "Allow" }),
        });
        expect(result.ofType(t.lock).map((lock) => lock.inputs.scope)).toContain(account.id);
        const [container] = result.ofType(t.container);
        expect(container.inputs).toMatchObject({ containerName: "state", publicAccess: "None" });
        expect(result.one(t.blobService).inputs).toMatchObject({
            accountName: account.state.name,
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: 30 },
            containerDeleteRetentionPolicy: { enabled: true, days: 30 },
        });
    });

    it("gives the deploy identity Storage Blob Data Contributor on the state container only", () => {
        const container = result.one(t.container);
        const identity = result.identity("id-keyless-deploy").resource;
        const [grant, ...others] = result.identity("id-keyless-deploy").assignments.filter((a) => a.inputs.scope === container.id);
        expect(others).toEqual([]);
        expect(grant.inputs).toMatchObject({
            principalId: identity.state.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: definitionId(builtInRoles["Storage Blob Data Contributor"].id),
        });
        expect(String(container.id)).toMatch(/\/storageAccounts\/st[a-z0-9]+\/blobServices\/default\/containers\/state$/);
    });

    it("keeps the secrets key in an RBAC-only, purge-protected, protected vault, with Key Vault Crypto User on the key alone", () => {
        const vault = result.one(t.vault);
        expect(vault.protect).toBe(true);
        expect(vault.inputs.properties).toMatchObject({
            tenantId: mockTenantId,
            enableRbacAuthorization: true,
            enablePurgeProtection: true,
            enableSoftDelete: true,
            accessPolicies: [],
            publicNetworkAccess: "Enabled",
            networkAcls: expect.objectContaining({ defaultAction: "Allow", bypass: "None" }),
        });
        expect(result.ofType(t.lock).map((lock) => lock.inputs.scope)).toContain(vault.id);

        const key = result.one(t.key);
        expect(key.protect).toBe(true);
        expect(key.inputs).toMatchObject({
            vaultName: vault.state.name,
            keyName: stateKeyName,
            properties: { kty: "RSA", keySize: 3072, keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"], attributes: { enabled: true, exportable: false } },
        });
        const [grant] = result.identity("id-keyless-deploy").assignments.filter((a) => a.inputs.scope === key.id);
        expect(String(key.id)).toMatch(/\/vaults\/kv-keyless-secrets-[a-z0-9]{5}\/keys\/pulumi-stack-secrets$/);
        expect(grant.inputs).toMatchObject({
            principalId: result.identity("id-keyless-deploy").resource.state.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: definitionId(builtInRoles["Key Vault Crypto User"].id),
        });
    });

    it("outputs the workflows' variables and the gh commands that set them", () => {
        const identity = result.identity("id-keyless-deploy").resource;
        const preview = result.identity("id-keyless-preview").resource;
        const account = result.one(t.account).state.name as string;
        const vault = result.one(t.vault).state.name as string;
        const { outputs } = result;
        expect(outputs.clientId).toBe(identity.state.clientId);
        expect(outputs.previewClientId).toBe(preview.state.clientId);
        expect(outputs.previewClientId).not.toBe(outputs.clientId);
        expect(outputs.tenantId).toBe(mockTenantId);
        expect(outputs.subscriptionId).toBe(mockSubscriptionId);
        expect(outputs.backendUrl).toBe(`azblob://state?storage_account=${account}`);
        expect(outputs.secretsProviderUrl).toBe(`azurekeyvault://${vault}.vault.azure.net/keys/pulumi-stack-secrets`);
        const commands = outputs.ghCommands.split("\n");
        expect(commands.slice(0, 6).join("\n")).toBe(
            [
                `gh variable set AZURE_CLIENT_ID --repo contoso/keyless --body ${outputs.clientId}`,
                `gh variable set AZURE_PREVIEW_CLIENT_ID --repo contoso/keyless --body ${outputs.previewClientId}`,
                `gh variable set AZURE_TENANT_ID --repo contoso/keyless --body ${mockTenantId}`,
                `gh variable set AZURE_SUBSCRIPTION_ID --repo contoso/keyless --body ${mockSubscriptionId}`,
                `gh variable set PULUMI_BACKEND_URL --repo contoso/keyless --body 'azblob://state?storage_account=${account}'`,
                `gh variable set PULUMI_SECRETS_PROVIDER --repo contoso/keyless --body azurekeyvault://${vault}.vault.azure.net/keys/pulumi-stack-secrets`,
            ].join("\n"),
        );
        // The access review's two (evidence.test.ts checks their values).
        expect(commands.slice(6)).toEqual([
            expect.stringMatching(/^gh variable set KEYLESS_AUDIT_WORKSPACE_ID --repo contoso\/keyless --body [0-9a-f-]{36}$/),
            expect.stringMatching(/^gh variable set KEYLESS_BOOTSTRAP_OUTPUTS --repo contoso\/keyless --body '\{"principalId":/),
        ]);
    });

    it("names exactly the variables the workflows read", () => {
        const workflows = path.join(__dirname, "..", "..", ".github", "workflows");
        const used = new Set<string>();
        for (const file of fs.readdirSync(workflows).filter((name) => name.endsWith(".yml"))) {
            for (const match of fs.readFileSync(path.join(workflows, file), "utf8").matchAll(/vars\.([A-Z0-9_]+)/g)) {
                used.add(match[1]);
            }
        }
        const set = result.outputs.ghCommands.split("\n").map((line) => line.split(" ")[3]);
        expect([...used].sort()).toEqual([...set].sort());
    });

    it("passes the policy pack with policy-config.json, whose exemptions all name declared resources", () => {
        const evaluated = evaluatedResources(result.resources);
        expect(evaluateResources(evaluated, policyConfig)).toEqual([]);

        const names = new Set(result.resources.map((resource) => resource.name));
        for (const [rule, entry] of Object.entries(policyConfig)) {
            for (const exemption of (entry as { exemptions?: { resource: string }[] }).exemptions ?? []) {
                expect({ rule, resource: exemption.resource, declared: names.has(exemption.resource) }).toEqual({ rule, resource: exemption.resource, declared: true });
            }
        }
        // Without the exemptions the pack blocks the privileged grants: they are exceptions, not invisible.
        const blocked = evaluateResources(evaluated, {}).filter((finding) => finding.rule === "no-privileged-role-for-service-principals");
        expect(blocked.map((finding) => finding.resource).sort()).toEqual([
            "keyless-deploy-contributor-dev",
            "keyless-deploy-contributor-prod",
            "keyless-deploy-rbac-admin-dev",
            "keyless-deploy-rbac-admin-prod",
        ]);
    });
});

describe("deployBootstrap options", () => {
    it("uses the immutable subject form when the repository IDs are set, on both identities", async () => {
        const { identity } = await run({ githubOwnerId: "12345678", githubRepoId: "987654321" });
        expect(identity("id-keyless-deploy").credentials.map((credential) => credential.inputs.subject)).toEqual([
            "repo:contoso@12345678/keyless@987654321:environment:dev",
            "repo:contoso@12345678/keyless@987654321:environment:prod",
        ]);
        expect(identity("id-keyless-preview").credentials.map((credential) => credential.inputs.subject)).toEqual([
            "repo:contoso@12345678/keyless@987654321:environment:dev-drift",
            "repo:contoso@12345678/keyless@987654321:environment:prod-drift",
            "repo:contoso@12345678/keyless@987654321:pull_request",
        ]);
    });

    it("registers the subscription feature Microsoft.Compute/EncryptionAtHost, unless told the subscription has it", async () => {
        const registered = await run();
        expect(registered.one("azure-native:features:SubscriptionFeatureRegistration").inputs).toMatchObject({ providerNamespace: "Microsoft.Compute", featureName: "EncryptionAtHost" });
        const left = await run({ registerEncryptionAtHost: false });
        expect(left.ofType("azure-native:features:SubscriptionFeatureRegistration")).toHaveLength(0);
    });

    it("leaves pull requests off the preview identity when pullRequests is false", async () => {
        const { identity } = await run({ pullRequests: false });
        expect(identity("id-keyless-preview").credentials.map((credential) => credential.inputs.subject)).toEqual([
            "repo:contoso/keyless:environment:dev-drift",
            "repo:contoso/keyless:environment:prod-drift",
        ]);
        expect(identity("id-keyless-deploy").credentials.map((credential) => credential.inputs.subject)).not.toContain("repo:contoso/keyless:pull_request");
    });

    it("closes the vault and the account to all but the listed addresses when asked", async () => {
        const { one } = await run({ network: { allowAllNetworks: false, allowedIps: ["203.0.113.0/24"] }, keySize: 4096 });
        expect(one(t.vault).inputs.properties).toMatchObject({
            publicNetworkAccess: "Enabled",
            networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [{ value: "203.0.113.0/24" }] },
        });
        expect(one(t.account).inputs).toMatchObject({
            publicNetworkAccess: "Enabled",
            networkRuleSet: expect.objectContaining({ defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "203.0.113.0/24", action: "Allow" }] }),
        });
        expect((one(t.key).inputs.properties as { keySize: number }).keySize).toBe(4096);
    });

    it("adds a group, five deploy grants and a preview Reader grant per stack, and the custom role becomes assignable there", async () => {
        const { ofType, identity } = await run({
            stacks: ["dev", "staging", "prod"],
            environments: ["dev", "staging", "prod"],
            driftEnvironments: ["dev-drift", "staging-drift", "prod-drift"],
        });
        expect(ofType(t.group).map((group) => group.inputs.resourceGroupName)).toEqual(["rg-keyless-bootstrap", "rg-keyless-dev", "rg-keyless-staging", "rg-keyless-prod"]);
        const onStaging = (assignments: RecordedResource[]) => assignments.filter((a) => a.inputs.scope === rgId("rg-keyless-staging"));
        expect(onStaging(identity("id-keyless-deploy").assignments)).toHaveLength(5);
        expect(onStaging(identity("id-keyless-preview").assignments).map((a) => a.inputs.roleDefinitionId)).toEqual([
            definitionId(builtInRoles.Reader.id),
            ofType(t.definition).find((definition) => definition.name === "keyless-app-settings-reader")!.id,
        ]);
        for (const definition of ofType(t.definition)) {
            expect(definition.inputs.assignableScopes).toContain(rgId("rg-keyless-staging"));
        }
    });

    it("stops on bad config with a message naming the key", async () => {
        await expect(run({ stacks: ["Dev"] })).rejects.toThrow(/keyless-bootstrap:stacks\[0\]\.name: expected 2-10 lowercase letters/);
    });
});
