import { accessEdges } from "@keyless/reachability";
import { policyView, runStackPolicy, urnOf } from "../../testing";
import { materializeProps } from "../../lib/unknown";
import { grantsReachable } from "./grants-reachable";
import { previewStack, previewUrns } from "../../testing/previewStack";

describe("grants-reachable at preview, with every ID unknown", () => {
    it("passes grants reached through a private endpoint with linked DNS, from a VM and from AKS nodes in the stack subnet", async () => {
        const stack = previewStack({ dns: "linked", aksInStackSubnet: true });
        expect(await runStackPolicy(grantsReachable, stack)).toEqual([]);
        // Not passed for lack of information: each edge is found and decided, as the pack sees the props.
        const edges = accessEdges(stack.map((fixture) => ({ ...fixture, urn: urnOf(fixture.type, fixture.name), props: materializeProps(policyView(fixture.props)) })));
        expect(edges.map((edge) => `${edge.source?.name} ${edge.target?.name} ${edge.verdict.status === "reachable" ? edge.verdict.via : edge.verdict.status}`).sort()).toEqual([
            "aks kv private-endpoint",
            "vm kv private-endpoint",
        ]);
    });

    it("fails the AKS pods' grant when the nodes run in the AKS-managed VNet, on the role assignment, with the fix", async () => {
        const found = await runStackPolicy(grantsReachable, previewStack({ dns: "linked", aksInStackSubnet: false }));
        expect(found.map((f) => f.urn)).toEqual([previewUrns.podGrant]);
        expect(found[0].message).toMatch(/^RoleAssignment "api-kv" \(network\): aks as api-id cannot reach Vault "kv" \(vault\): .*AKS-managed VNet.* Fix: put every node pool in a stack subnet/);
    });

    it("fails both grants when the private endpoint's zone is not linked to the VNet", async () => {
        const found = await runStackPolicy(grantsReachable, previewStack({ dns: "unlinked", aksInStackSubnet: true }));
        expect(found.map((f) => f.urn).sort()).toEqual([previewUrns.podGrant, previewUrns.vmGrant].sort());
        expect(found.every((f) => f.message.includes("no DNS zone group with privatelink.vaultcore.azure.net linked"))).toBe(true);
    });

    it("fails both grants without a private endpoint, naming the endpoint to add", async () => {
        const found = await runStackPolicy(grantsReachable, previewStack({ dns: "none", aksInStackSubnet: true }));
        expect(found).toHaveLength(2);
        expect(found[0].message).toContain("add a private endpoint (group vault)");
    });

    it("blocks by default: the reference stacks have a network path for every edge", () => {
        expect(grantsReachable.defaultLevel).toBe("mandatory");
    });
});
