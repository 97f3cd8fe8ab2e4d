import { checkFlowchart } from "./flowchartCheck";
import { mermaidAccessGraph, mermaidLabel, NodeIds } from "./mermaid";
import { PlanGrant, PlanWorkload } from "./types";

function grant(identity: string, role: string, scopeName: string, fields: Partial<PlanGrant> = {}): PlanGrant {
    return {
        urn: `urn:pulumi:test::keyless::azure-native:authorization:RoleAssignment::${identity}-${role}`,
        identity,
        identityKind: "userAssigned",
        workloads: [identity],
        role,
        roleId: role.toLowerCase().replace(/\W+/g, "-"),
        privileged: false,
        writes: false,
        scope: { id: `/subscriptions/s/resourceGroups/g/providers/X/${scopeName}`, kind: "container", name: scopeName, declared: true },
        broad: false,
        origin: "config",
        network: { verdict: "service-endpoint", reason: "subnet rule" },
        ...fields,
    };
}

function workload(name: string, type = "WebApp"): PlanWorkload {
    return { name, type, identityKinds: ["userAssigned"], identities: [name] };
}

describe("Mermaid access graph", () => {
    it("draws each grant as workload → identity → role → target, with the checker finding nothing wrong", () => {
        const grants = [
            grant("storefront", "Key Vault Secrets User", "app-secrets", { scope: { id: "/v", kind: "vault", name: "app-secrets", declared: true } }),
            grant("storefront", "Storage Blob Data Reader", "appdata/stock"),
            grant("stock-tracker", "Storage Blob Data Reader", "appdata/stock"),
        ];
        const graph = mermaidAccessGraph({ grants, workloads: [workload("storefront"), workload("stock-tracker", "LinuxVm")] });
        const chart = checkFlowchart(graph.source!);
        expect(chart.problems).toEqual([]);
        const label = (id: string) => chart.nodes.get(id);
        // Every grant is one path, so two identities with the same role on the same container never merge.
        const paths = new Set<string>();
        for (const toRole of chart.edges.filter((edge) => label(edge.from)?.includes("user-assigned"))) {
            for (const toTarget of chart.edges.filter((edge) => edge.from === toRole.to)) {
                paths.add(`${label(toRole.from)} > ${label(toRole.to)} > ${label(toTarget.to)}`);
            }
        }
        expect([...paths].sort()).toEqual([
            "stock-tracker · user-assigned > Storage Blob Data Reader > container appdata/stock",
            "storefront · user-assigned > Key Vault Secrets User > vault app-secrets",
            "storefront · user-assigned > Storage Blob Data Reader > container appdata/stock",
        ]);
        expect(chart.edges.filter((edge) => label(edge.from) === "storefront (WebApp)").map((edge) => label(edge.to))).toEqual(["storefront · user-assigned"]);
    });

    it("sanitizes IDs, keeps them unique and escapes labels, whatever the names", () => {
        const nasty = ['end', 'a-b', 'a_b', 'x<y>"z"', '#1 `tick`', "ünïcode"];
        const grants = nasty.map((name) => grant(name, "Reader", `${name}/c`, { broad: true, broadReason: "test" }));
        const graph = mermaidAccessGraph({ grants, workloads: nasty.map((name) => workload(name)) });
        const chart = checkFlowchart(graph.source!);
        expect(chart.problems).toEqual([]);
        // One identity node per name: `a-b` and `a_b` sanitize alike but stay apart.
        expect([...chart.nodes.values()].filter((text) => text.endsWith("· user-assigned"))).toHaveLength(nasty.length);
        expect([...chart.nodes.keys()].every((id) => /^[witr]_[A-Za-z0-9_]+$/.test(id))).toBe(true);
        expect(chart.edges.filter((edge) => edge.label === "broad scope")).toHaveLength(nasty.length);
        expect(graph.source).toContain("class ");
    });

    it("the checker rejects what Mermaid would choke on", () => {
        expect(checkFlowchart('flowchart LR\n  a["x"]\n  a --> b').problems).toEqual(["line 3: edge uses undeclared node b"]);
        expect(checkFlowchart('flowchart LR\n  end["x"]').problems[0]).toMatch(/keyword/);
        expect(checkFlowchart('flowchart LR\n  a["say "hi""]').problems[0]).toMatch(/not a node/);
        expect(checkFlowchart('flowchart LR\n  a["<b>"]').problems[0]).toMatch(/raw </);
        expect(checkFlowchart("graph TD").problems[0]).toMatch(/flowchart LR/);
    });

    it("writes quotes, #, angle brackets and backticks as entities", () => {
        expect(mermaidLabel('a"b#c<d>`e')).toBe('"a#quot;b#35;c#lt;d#gt;#96;e"');
        const ids = new NodeIds();
        expect(ids.id("i", "a-b")).toBe("i_a_b");
        expect(ids.id("i", "a_b")).toBe("i_a_b_2");
        expect(ids.id("i", "a-b")).toBe("i_a_b");
    });

    it("leaves out a graph too large for GitHub to render", () => {
        const grants = Array.from({ length: 300 }, (_, i) => grant(`id-${i}`, "Reader", `t-${i}`));
        expect(mermaidAccessGraph({ grants, workloads: [] }).source).toBeUndefined();
    });

    it("draws an unreachable grant's edge into its target dashed red and labelled, and the checker accepts the style line", () => {
        const blocked = grant("fn", "Storage Queue Data Message Processor", "appdata/orders", { network: { verdict: "unreachable", reason: "no VNet integration", fix: "integrate" } });
        const fine = grant("web", "Storage Blob Data Reader", "appdata/stock");
        const graph = mermaidAccessGraph({ grants: [fine, blocked], workloads: [workload("fn"), workload("web")] });
        const chart = checkFlowchart(graph.source!);
        expect(chart.problems).toEqual([]);
        const marked = chart.edges.findIndex((edge) => edge.label === "UNREACHABLE");
        expect(chart.nodes.get(chart.edges[marked].to)).toContain("appdata/orders");
        expect(graph.source).toContain(`linkStyle ${marked} stroke:#cf222e`);
        expect(chart.edges.filter((edge) => edge.label === "UNREACHABLE")).toHaveLength(1);
        expect(checkFlowchart('flowchart LR\n  a["x"]\n  linkStyle 0 stroke:#cf222e').problems[0]).toMatch(/only 0 edges/);
    });
});
