import { check, Fixture, runResourcePolicy, UNKNOWN_BOOLEAN, UNKNOWN_STRING, withPath } from "../../testing";
import { keyVaultNetworkDenyByDefault } from "./keyvault-network-deny-by-default";
import { keyVaultRbacOnly } from "./keyvault-rbac-only";
import { keyVaultSoftDeletePurgeProtection } from "./keyvault-soft-delete-purge-protection";

const vault: Fixture = {
    type: "azure-native:keyvault:Vault",
    name: "kv",
    props: {
        resourceGroupName: "rg",
        properties: {
            tenantId: "00000000-0000-4000-8000-000000000002",
            sku: { family: "A", name: "standard" },
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            enablePurgeProtection: true,
            softDeleteRetentionInDays: 90,
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
        },
    },
};

function variant(path: string, value: unknown): Fixture {
    return { ...vault, props: withPath(vault.props, path, value) };
}

describe("key vault rules on a compliant vault", () => {
    it.each([keyVaultRbacOnly, keyVaultSoftDeletePurgeProtection, keyVaultNetworkDenyByDefault])("$name passes", (rule) => {
        expect(check(rule, vault)).toEqual([]);
    });
});

describe("keyvault-rbac-only", () => {
    it("fails when RBAC authorization is off or not set", () => {
        expect(check(keyVaultRbacOnly, variant("properties.enableRbacAuthorization", false))).toEqual(['Vault "kv" properties.enableRbacAuthorization: is false; set it to true.']);
        expect(check(keyVaultRbacOnly, variant("properties.enableRbacAuthorization", undefined))).toEqual(['Vault "kv" properties.enableRbacAuthorization: is not set; set it to true.']);
    });

    it("fails inline access policies", () => {
        const policy = { tenantId: "00000000-0000-4000-8000-000000000002", objectId: "00000000-0000-4000-8000-000000000005", permissions: { secrets: ["get"] } };
        expect(check(keyVaultRbacOnly, variant("properties.accessPolicies", [policy]))).toEqual(['Vault "kv" properties.accessPolicies: lists 1 access policy; remove them and use RBAC roles.']);
    });

    it("fails any standalone AccessPolicy resource", () => {
        expect(check(keyVaultRbacOnly, { type: "azure-native:keyvault:AccessPolicy", name: "kv-ap", props: { vaultName: "kv", policy: {} } })).toEqual([
            'AccessPolicy "kv-ap" policy: declares a vault access policy; grant a Key Vault RBAC role at vault scope instead.',
        ]);
    });

    it("skips unknown values", async () => {
        expect(await runResourcePolicy(keyVaultRbacOnly, variant("properties.enableRbacAuthorization", UNKNOWN_BOOLEAN))).toEqual([]);
    });
});

describe("keyvault-soft-delete-purge-protection", () => {
    it("fails when purge protection is off or not set", () => {
        expect(check(keyVaultSoftDeletePurgeProtection, variant("properties.enablePurgeProtection", false))).toEqual(['Vault "kv" properties.enablePurgeProtection: is false; set it to true.']);
        expect(check(keyVaultSoftDeletePurgeProtection, variant("properties.enablePurgeProtection", undefined))).toEqual(['Vault "kv" properties.enablePurgeProtection: is not set; set it to true.']);
    });

    it("fails when soft delete is turned off, accepts it unset", () => {
        expect(check(keyVaultSoftDeletePurgeProtection, variant("properties.enableSoftDelete", false))).toEqual(['Vault "kv" properties.enableSoftDelete: is false; leave it unset or set it to true.']);
        expect(check(keyVaultSoftDeletePurgeProtection, variant("properties.enableSoftDelete", undefined))).toEqual([]);
    });

    it("skips unknown values", async () => {
        expect(await runResourcePolicy(keyVaultSoftDeletePurgeProtection, variant("properties.enablePurgeProtection", UNKNOWN_BOOLEAN))).toEqual([]);
    });
});

describe("keyvault-network-deny-by-default", () => {
    it("fails Allow and unset default actions", () => {
        expect(check(keyVaultNetworkDenyByDefault, variant("properties.networkAcls.defaultAction", "Allow"))).toEqual([
            'Vault "kv" properties.networkAcls.defaultAction: is "Allow" (Azure\'s default is Allow); set it to "Deny" or set properties.publicNetworkAccess to "Disabled".',
        ]);
        expect(check(keyVaultNetworkDenyByDefault, variant("properties.networkAcls", undefined))).toEqual([
            'Vault "kv" properties.networkAcls.defaultAction: is not set (Azure\'s default is Allow); set it to "Deny" or set properties.publicNetworkAccess to "Disabled".',
        ]);
    });

    it("passes a vault with public network access disabled", () => {
        expect(check(keyVaultNetworkDenyByDefault, variant("properties", { ...(vault.props.properties as object), networkAcls: undefined, publicNetworkAccess: "Disabled" }))).toEqual([]);
    });

    it("is advisory by default", () => {
        expect(keyVaultNetworkDenyByDefault.defaultLevel).toBe("advisory");
    });

    it("skips unknown values", async () => {
        expect(await runResourcePolicy(keyVaultNetworkDenyByDefault, variant("properties.networkAcls.defaultAction", UNKNOWN_STRING))).toEqual([]);
    });
});
