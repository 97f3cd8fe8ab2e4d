import { runUnderMocks } from "../testing";
import { ofType } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { AksCluster } from "./AksCluster";
import { grantOperators } from "./operators";

const group = "2f6a1c3e-5b7d-4e9f-8a1b-3c5d7e9f1a2b";

describe("grantOperators", () => {
    it("assigns each group its AKS role with principalType Group, and the Cluster User Role once per group", async () => {
        const { resources } = await runUnderMocks(() => {
            const cluster = new AksCluster("aks", { resourceGroupName: "rg", systemPool: { vmSize: "Standard_D4s_v5", count: 1 } });
            grantOperators("aks", cluster, [
                { objectId: group, name: "ops", role: "Azure Kubernetes Service RBAC Reader" },
                { objectId: group, name: "ops", role: "Azure Kubernetes Service RBAC Writer", namespace: "orders" },
            ], "00000000-0000-4000-8000-000000000001", cluster);
        });
        const groupAssignments = ofType(resources, "azure-native:authorization:RoleAssignment").filter((assignment) => assignment.inputs.principalType === "Group");
        expect(groupAssignments.map((assignment) => assignment.name).sort()).toEqual(["aks-ops-cluster-user", "aks-ops-reader", "aks-ops-writer-orders"]);
        expect(groupAssignments.every((assignment) => assignment.inputs.principalId === group)).toBe(true);
        const writer = groupAssignments.find((assignment) => assignment.name === "aks-ops-writer-orders")!;
        expect(String(writer.inputs.scope)).toMatch(/\/managedClusters\/[^/]+\/namespaces\/orders$/);
    });

    it("refuses Cluster Admin limited to a namespace, and a group that is not an object ID", async () => {
        await runUnderMocks(() => {
            const cluster = new AksCluster("aks", { resourceGroupName: "rg", systemPool: { vmSize: "Standard_D4s_v5", count: 1 } });
            expect(() =>
                grantOperators("aks", cluster, [
                    { objectId: "platform-team", name: "ops", role: "Azure Kubernetes Service RBAC Cluster Admin", namespace: "orders" },
                ], "s", cluster),
            ).toThrow(
                new ProblemsError('AKS operators of "aks"', [
                    'operators[0].objectId must be the Entra group\'s object ID (a GUID); got "platform-team".',
                    'operators[0]: Cluster Admin is cluster-wide and cannot be limited to namespace "orders"; use RBAC Admin for a namespace.',
                ]),
            );
        });
    });
});
