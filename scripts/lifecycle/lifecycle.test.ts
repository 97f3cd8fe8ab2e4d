import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../plan-diff";
import { runPlan } from "../plan/run";
import type { PlanDocument } from "../plan/types";
import { identityLifecycle } from "./lifecycle";

const repoRoot = path.join(__dirname, "..", "..");
let dev: PlanDocument;
const copy = (): PlanDocument => JSON.parse(JSON.stringify(dev)) as PlanDocument;

beforeAll(async () => {
    dev = await runPlan({ root: repoRoot, repoRoot, stack: "dev" });
});

describe("identity lifecycle in plan:diff", () => {
    it("finds nothing between a plan and itself", () => {
        expect(identityLifecycle(dev, copy())).toEqual({ principalChanges: [], referencedDeletions: [] });
    });

    it("a system-assigned identity turned on for an existing workload: its grants are re-created and its reads fail until then", () => {
        const base = copy();
        base.identities = base.identities.filter((identity) => identity.name !== "orders-logic");
        base.grants = base.grants.filter((grant) => grant.identity !== "orders-logic");
        const { principalChanges } = identityLifecycle(base, dev);
        expect(principalChanges).toEqual([
            expect.objectContaining({
                identity: "orders-logic",
                kind: "systemAssigned",
                grantsRecreated: ["Storage Blob Data Reader on container appdata/reports"],
                failsUntilGranted: ["identity-based access to container appdata/reports (Storage Blob Data Reader)"],
            }),
        ]);
    });

    it("a replaced user-assigned identity: every grant re-created, Key Vault references fail until then, and the order to avoid it", () => {
        const base = copy();
        const storefront = base.identities.find((identity) => identity.name === "storefront")!;
        storefront.urn = `${storefront.urn}-old`;
        const [change] = identityLifecycle(base, dev).principalChanges;
        expect(change).toEqual(
            expect.objectContaining({
                identity: "storefront",
                grantsRecreated: ["Key Vault Secrets User on secret app-secrets/stock-api-key", "Storage Blob Data Reader on container appdata/stock"],
                failsUntilGranted: expect.arrayContaining(["Key Vault references to app-secrets/stock-api-key (Key Vault Secrets User)"]),
            }),
        );
        expect(change.safeOrder[0]).toMatch(/^Declare the new identity next to the old one/);
    });

    it("flags deleting a user-assigned identity that a remaining workload used, in text, Markdown and JSON", () => {
        const head = copy();
        head.identities = head.identities.filter((identity) => identity.name !== "ingest");
        head.grants = head.grants.filter((grant) => grant.identity !== "ingest");
        expect(identityLifecycle(dev, head).referencedDeletions).toEqual([expect.objectContaining({ identity: "ingest", stillUsedBy: ["ingest"] })]);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-lifecycle-"));
        fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(dev));
        fs.writeFileSync(path.join(dir, "head.json"), JSON.stringify(head));
        for (const format of ["text", "markdown", "json"]) {
            const output = path.join(dir, `diff.${format}`);
            expect(main([path.join(dir, "base.json"), path.join(dir, "head.json"), "--format", format, "--output", output])).toBe(0);
            const document = fs.readFileSync(output, "utf8");
            if (format === "json") {
                expect(JSON.parse(document).lifecycle.referencedDeletions[0].identity).toBe("ingest");
            } else {
                expect(document).toMatch(/ingest \(user-assigned\) is deleted but ingest used it and remain\./);
            }
        }
    });
});
