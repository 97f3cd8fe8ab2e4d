/** What every data service's customer-managed key tests share: a vault and identity to encrypt with, and the checks. */
import type { RecordedResource } from "../../offline/mocks";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { CustomerManagedKeyArgs } from "../keyvault/customerManagedKey";
import { Vault } from "../keyvault/Vault";
import { ofType, one } from "./fixtures";

export const encryptionUserRoleId = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

/** A vault and a user-assigned identity, declared inside a mock run, as `customerManagedKey` args. */
export function keyFixture(overrides: Partial<CustomerManagedKeyArgs> = {}): CustomerManagedKeyArgs {
    const vault = new Vault("keys", { resourceGroupName: "rg", tenantId: "00000000-0000-4000-8000-000000000002" });
    const identity = new ManagedIdentity("encrypt", { resourceGroupName: "rg" });
    return { vault, identity, ...overrides };
}

export interface KeyChecks {
    key: RecordedResource;
    grant: RecordedResource;
    identity: RecordedResource;
    service: RecordedResource;
    /** `https://<vault>.vault.azure.net/` */
    vaultUri: string;
}

/**
 * Checks what every service has in common: one RSA key with a rotation policy, Crypto Service Encryption User for
 * the identity on that key only, the identity attached to the service, and the service depending on the grant.
 */
export function expectKeyAndGrant(resources: RecordedResource[], serviceType: string): KeyChecks {
    const key = one(resources, "azure-native:keyvault:Key");
    const vault = one(resources, "azure-native:keyvault:Vault");
    const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
    const service = one(resources, serviceType);
    expect(key.inputs).toMatchObject({ vaultName: vault.inputs.vaultName, properties: { kty: "RSA", keySize: 3072, keyOps: ["wrapKey", "unwrapKey"] } });
    expect(key.inputs.properties).toMatchObject({
        rotationPolicy: {
            attributes: { expiryTime: "P2Y" },
            lifetimeActions: [
                { trigger: { timeAfterCreate: "P1Y" }, action: { type: "rotate" } },
                { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
            ],
        },
    });
    const grants = ofType(resources, "azure-native:authorization:RoleAssignment").filter((grant) => String(grant.inputs.roleDefinitionId).endsWith(encryptionUserRoleId));
    expect(grants).toHaveLength(1);
    const [grant] = grants;
    expect(grant.inputs).toMatchObject({ scope: key.id, principalId: identity.state.principalId, principalType: "ServicePrincipal" });
    expect(String(grant.inputs.scope)).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/keys\/[^/]+$/);
    // Ordering: the service is created only after the grant on the key exists.
    expect(service.dependencies).toContain(grant.urn);
    return { key, grant, identity, service, vaultUri: `https://${String(vault.inputs.vaultName)}.vault.azure.net/` };
}
