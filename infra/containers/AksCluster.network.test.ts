import { builtInRoles } from "../access/roles";
import { runUnderMocks } from "../testing";
import { ofType } from "../testing/fixtures";
import { AksCluster } from "./AksCluster";

const subnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/aks";
const networkContributor = (assignment: { inputs: Record<string, unknown> }) => String(assignment.inputs.roleDefinitionId).endsWith(builtInRoles["Network Contributor"].id);

describe("AksCluster on a stack subnet", () => {
    it("puts the nodes in the subnet and grants the control plane Network Contributor on that subnet only", async () => {
        const { resources } = await runUnderMocks(() => {
            new AksCluster("apps", { resourceGroupName: "rg", systemPool: { vnetSubnetId: subnet } });
        });
        const [cluster] = ofType(resources, "azure-native:containerservice:ManagedCluster");
        expect((cluster.inputs.agentPoolProfiles as { vnetSubnetID?: string }[])[0].vnetSubnetID).toBe(subnet);
        const controlPlane = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity").find((identity) => identity.name === "apps-control-plane")!;
        const grants = ofType(resources, "azure-native:authorization:RoleAssignment").filter(networkContributor);
        expect(grants.map((grant) => ({ scope: grant.inputs.scope, principalId: grant.inputs.principalId }))).toEqual([
            { scope: subnet, principalId: (controlPlane.state as { principalId: string }).principalId },
        ]);
    });

    it("grants no network role when AKS manages the network", async () => {
        const { resources } = await runUnderMocks(() => {
            new AksCluster("apps", { resourceGroupName: "rg" });
        });
        expect(ofType(resources, "azure-native:authorization:RoleAssignment").filter(networkContributor)).toEqual([]);
    });
});
