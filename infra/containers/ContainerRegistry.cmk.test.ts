import { runUnderMocks } from "../testing";
import { expectKeyAndGrant, keyFixture } from "../testing/customerManagedKey";
import { ofType } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { ContainerRegistry } from "./ContainerRegistry";

describe("ContainerRegistry customerManagedKey", () => {
    it("encrypts a Premium registry with a versionless key, naming the attached identity by client ID, after the grant on the key", async () => {
        const { resources } = await runUnderMocks(() => {
            new ContainerRegistry("images", { resourceGroupName: "rg", sku: "Premium", customerManagedKey: keyFixture() });
        });
        const { key, identity, service } = expectKeyAndGrant(resources, "azure-native:containerregistry:Registry");
        expect(service.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: { [identity.id!]: {} } });
        expect(service.inputs.encryption).toEqual({ status: "enabled", keyVaultProperties: { keyIdentifier: key.state.keyUri, identity: identity.state.clientId } });
        expect(String(key.state.keyUri)).toMatch(/\/keys\/cmk-images$/);
    });

    it("refuses a Standard registry, naming the sku it needs, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const customerManagedKey = keyFixture();
            expect(() => new ContainerRegistry("images", { resourceGroupName: "rg", sku: "Standard", customerManagedKey })).toThrow(
                new ProblemsError('ContainerRegistry "images"', [
                    'customerManagedKey needs sku "Premium": Azure Container Registry takes a customer-managed key on Premium only; got sku "Standard".',
                ]),
            );
        });
        expect(ofType(resources, "azure-native:containerregistry:Registry")).toHaveLength(0);
        expect(ofType(resources, "azure-native:authorization:RoleAssignment")).toHaveLength(0);
    });
});
