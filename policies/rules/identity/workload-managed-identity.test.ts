import { check, Fixture, runResourcePolicy, UNKNOWN_STRING, withPath } from "../../testing";
import { workloadManagedIdentity } from "./workload-managed-identity";

const workloads = [
    "azure-native:compute:VirtualMachine",
    "azure-native:web:WebApp",
    "azure-native:containerinstance:ContainerGroup",
    "azure-native:logic:Workflow",
    "azure-native:containerservice:ManagedCluster",
];

function workload(type: string, identity: unknown): Fixture {
    return { type, name: "w", props: identity === undefined ? { resourceGroupName: "rg" } : { resourceGroupName: "rg", identity } };
}

describe("workload-managed-identity", () => {
    it.each(workloads)("passes %s with a system- or user-assigned identity", (type) => {
        expect(check(workloadManagedIdentity, workload(type, { type: "SystemAssigned" }))).toEqual([]);
        expect(check(workloadManagedIdentity, workload(type, { type: "UserAssigned", userAssignedIdentities: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"] }))).toEqual([]);
        expect(check(workloadManagedIdentity, workload(type, { type: "SystemAssigned, UserAssigned" }))).toEqual([]);
    });

    it.each(workloads)("fails %s with identity type None", (type) => {
        const short = type.split(":")[2];
        expect(check(workloadManagedIdentity, workload(type, { type: "None" }))).toEqual([
            `${short} "w" identity.type: is "None"; use "SystemAssigned" and/or "UserAssigned".`,
        ]);
    });

    it.each(workloads)("fails %s without an identity", (type) => {
        const short = type.split(":")[2];
        expect(check(workloadManagedIdentity, workload(type, undefined))).toEqual([
            `${short} "w" identity: is not set; the workload has no managed identity and would need a stored credential.`,
        ]);
    });

    it("skips an identity type unknown at preview", async () => {
        const fixture = workload("azure-native:web:WebApp", { type: "SystemAssigned" });
        expect(await runResourcePolicy(workloadManagedIdentity, { ...fixture, props: withPath(fixture.props, "identity.type", UNKNOWN_STRING) })).toEqual([]);
        expect(await runResourcePolicy(workloadManagedIdentity, { ...fixture, props: withPath(fixture.props, "identity", UNKNOWN_STRING) })).toEqual([]);
    });

    it("does not apply to non-workloads", async () => {
        expect(await runResourcePolicy(workloadManagedIdentity, workload("azure-native:storage:StorageAccount", undefined))).toEqual([]);
    });
});
