import { PackConfig } from "./lib/config";
import { evaluateResources, EvaluatedResource } from "./lib/evaluate";
import { UNKNOWN_STRING, urnOf } from "./testing";

/**
 * The resources the customer-managed-key contract describes (one key with a rotation policy, the key-scope grant to
 * a user-assigned identity, and each data service using the key by its versionless URI), built by hand in
 * azure-native's input names, once with the values Azure gives and once as a first preview sees them.
 */
const rules = ["storage-customer-managed-key", "acr-customer-managed-key", "sql-customer-managed-key", "servicebus-customer-managed-key", "eventhubs-customer-managed-key", "encryption-grant-at-key-scope"];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prod = require("./config.prod.json") as PackConfig;

const rg = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-keyless-prod";
const known = {
    identity: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-encryption`,
    principalId: "00000000-0000-4000-8000-0000000000e1",
    clientId: "00000000-0000-4000-8000-0000000000e2",
    key: `${rg}/providers/Microsoft.KeyVault/vaults/kv-keys/keys/appdata`,
    vaultUri: "https://kv-keys.vault.azure.net",
    keyUri: "https://kv-keys.vault.azure.net/keys/appdata",
};

function resource(type: string, name: string, props: Record<string, unknown>, propertyDependencies?: Record<string, string[]>): EvaluatedResource {
    return { type, name, urn: urnOf(type, name), props, ...(propertyDependencies ? { propertyDependencies, dependencies: [...new Set(Object.values(propertyDependencies).flat())] } : {}) };
}

function contract(values: typeof known, options: { protector: boolean } = { protector: false }): EvaluatedResource[] {
    const identityUrn = urnOf("azure-native:managedidentity:UserAssignedIdentity", "encryption-id");
    const keyUrn = urnOf("azure-native:keyvault:Key", "appdata-key");
    const serverUrn = urnOf("azure-native:sql:Server", "inventory-sql");
    const identity = { type: "UserAssigned", userAssignedIdentities: [values.identity] };
    const messaging = { keySource: "Microsoft.KeyVault", keyVaultProperties: [{ keyName: "appdata", keyVaultUri: values.vaultUri, identity: { userAssignedIdentity: values.identity } }] };
    return [
        resource("azure-native:managedidentity:UserAssignedIdentity", "encryption-id", { resourceGroupName: "rg-keyless-prod", resourceName: "id-encryption" }),
        resource("azure-native:keyvault:Key", "appdata-key", {
            resourceGroupName: "rg-keyless-prod",
            vaultName: "kv-keys",
            keyName: "appdata",
            properties: { kty: "RSA", keySize: 3072, rotationPolicy: { attributes: { expiryTime: "P1Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P11M" } }] } },
        }),
        resource(
            "azure-native:authorization:RoleAssignment",
            "encryption-id-appdata-key",
            {
                principalId: values.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: "/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6",
                scope: values.key,
            },
            { principalId: [identityUrn], scope: [keyUrn] },
        ),
        resource("azure-native:storage:StorageAccount", "appdata", {
            resourceGroupName: "rg-keyless-prod",
            identity,
            encryption: { keySource: "Microsoft.Keyvault", keyVaultProperties: { keyVaultUri: values.vaultUri, keyName: "appdata" }, encryptionIdentity: { encryptionUserAssignedIdentity: values.identity } },
        }),
        // Not the prod stack's registry name: config.prod.json exempts that one until it is switched to its key.
        resource("azure-native:containerregistry:Registry", "cmk-registry", {
            resourceGroupName: "rg-keyless-prod",
            sku: { name: "Premium" },
            identity,
            encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: values.keyUri, identity: values.clientId } },
        }),
        resource(
            "azure-native:sql:Server",
            "inventory-sql",
            { resourceGroupName: "rg-keyless-prod", identity, primaryUserAssignedIdentityId: values.identity, ...(options.protector ? {} : { keyId: values.keyUri }) },
            { identity: [identityUrn] },
        ),
        ...(options.protector
            ? [resource("azure-native:sql:EncryptionProtector", "inventory-sql-tde", { resourceGroupName: "rg-keyless-prod", serverName: UNKNOWN_STRING, encryptionProtectorName: "current", serverKeyType: "AzureKeyVault", serverKeyName: "kv-keys_appdata", autoRotationEnabled: true }, { serverName: [serverUrn] })]
            : []),
        resource("azure-native:servicebus:Namespace", "orders-bus", { resourceGroupName: "rg-keyless-prod", sku: { name: "Premium", tier: "Premium" }, identity, encryption: messaging }),
        resource("azure-native:eventhub:Namespace", "events", { resourceGroupName: "rg-keyless-prod", sku: { name: "Premium", tier: "Premium" }, identity, encryption: messaging }),
    ];
}

const preview: typeof known = { identity: UNKNOWN_STRING, principalId: UNKNOWN_STRING, clientId: UNKNOWN_STRING, key: UNKNOWN_STRING, vaultUri: UNKNOWN_STRING, keyUri: UNKNOWN_STRING };

function findings(resources: EvaluatedResource[], config: PackConfig) {
    return evaluateResources(resources, config).filter((finding) => rules.includes(finding.rule));
}

describe("the customer-managed-key contract", () => {
    it.each([
        ["as deployed", known, false],
        ["as deployed, TDE through an EncryptionProtector", known, true],
        ["at a first preview", preview, false],
        ["at a first preview, TDE through an EncryptionProtector", preview, true],
    ] as const)("passes the prod config %s", (_when, values, protector) => {
        expect(findings(contract(values, { protector }), prod)).toEqual([]);
    });

    it("blocks each service under the prod config once it falls back to Microsoft-managed keys, and only warns by default", () => {
        const platform = contract(known).map((r) => {
            if (r.type === "azure-native:sql:Server") {
                return { ...r, props: { ...r.props, keyId: undefined } };
            }
            return r.props.encryption ? { ...r, props: { ...r.props, encryption: undefined } } : r;
        });
        const blocked = findings(platform, prod).map((finding) => [finding.rule, finding.resource, finding.level]);
        expect(blocked).toEqual([
            ["storage-customer-managed-key", "appdata", "mandatory"],
            ["servicebus-customer-managed-key", "orders-bus", "mandatory"],
            ["eventhubs-customer-managed-key", "events", "mandatory"],
            ["sql-customer-managed-key", "inventory-sql", "mandatory"],
            ["acr-customer-managed-key", "cmk-registry", "mandatory"],
        ]);
        expect(findings(platform, {}).map((finding) => finding.level)).toEqual(["advisory", "advisory", "advisory", "advisory", "advisory"]);
    });

    it("blocks the grant at vault scope by default", () => {
        const vaultScope = contract(known).map((r) => (r.type === "azure-native:authorization:RoleAssignment" ? { ...r, props: { ...r.props, scope: known.key.replace(/\/keys\/appdata$/, "") } } : r));
        expect(findings(vaultScope, {}).map((finding) => [finding.rule, finding.resource, finding.level])).toEqual([["encryption-grant-at-key-scope", "encryption-id-appdata-key", "mandatory"]]);
    });
});
