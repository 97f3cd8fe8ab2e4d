import * as path from "path";
import { render } from "../plan";
import { runPlan } from "./run";
import { PlanDocument } from "./types";

// The plan of the prod stack, where every storage account, SQL server and Service Bus namespace has its own key.
const repoRoot = path.join(__dirname, "..", "..");
let prod: PlanDocument;
let dev: PlanDocument;

beforeAll(async () => {
    prod = await runPlan({ root: repoRoot, repoRoot, stack: "prod" });
    dev = await runPlan({ root: repoRoot, repoRoot, stack: "dev" });
});

describe("the plan's encryption grants", () => {
    it("labels each service's grant on its own key as encryption, with the key-access verdict", () => {
        const rows = prod.grants.filter((grant) => grant.purpose === "encryption").map((grant) => [grant.identity, grant.workloads.join(","), grant.role, `${grant.scope.kind} ${grant.scope.name}`, grant.network.verdict]);
        expect(rows).toEqual([
            ["cmk-appdata", "appdata", "Key Vault Crypto Service Encryption User", "key keys/cmk-appdata", "trusted-service"],
            ["cmk-fnhost", "fnhost", "Key Vault Crypto Service Encryption User", "key keys/cmk-fnhost", "trusted-service"],
            ["cmk-inventory-sql", "inventory-sql", "Key Vault Crypto Service Encryption User", "key keys/cmk-inventory-sql", "trusted-service"],
            ["cmk-orders-bus", "orders-bus", "Key Vault Crypto Service Encryption User", "key keys/cmk-orders-bus", "trusted-service"],
        ]);
        expect(prod.grants.filter((grant) => grant.purpose === undefined).every((grant) => grant.role !== "Key Vault Crypto Service Encryption User")).toBe(true);
        expect(render(prod, "text")).toMatch(/cmk-appdata \(user-assigned\) +appdata +Key Vault Crypto Service Encryption User +key keys\/cmk-appdata +trusted-service +encryption: customer-managed key of appdata/);
        expect(render(prod, "markdown")).toContain("🔑 **encryption**: customer-managed key of `appdata`");
    });

    it("counts each service's call for its key among the reachability edges", () => {
        const keyEdges = prod.network.edges.filter((edge) => edge.kind === "key-access");
        expect(keyEdges.map((edge) => `${edge.source} -> ${edge.target} (${edge.service}): ${edge.verdict}`).sort()).toEqual([
            "appdata -> keys (vault): trusted-service",
            "fnhost -> keys (vault): trusted-service",
            "inventory-sql -> keys (vault): trusted-service",
            "orders-bus -> keys (vault): trusted-service",
        ]);
        expect(prod.network.counts).toEqual({ "control-plane": 4, "private-endpoint": 23, "trusted-service": 5 });
        expect(Object.values(prod.network.counts).reduce((sum, count) => sum + count, 0)).toBe(prod.network.edges.length);
    });

    it("shows no encryption grant and no key-access edge in dev", () => {
        expect(dev.grants.filter((grant) => grant.purpose === "encryption")).toEqual([]);
        expect(dev.network.edges.filter((edge) => edge.kind === "key-access")).toEqual([]);
    });
});
