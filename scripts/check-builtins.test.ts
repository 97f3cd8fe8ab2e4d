import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { KeylessRule } from "../policies/lib/types";
import { allRules } from "../policies/rules";
import { checkBuiltins, loadReasons, Reason } from "./check-builtins";

// Made-up definitions in the Azure/azure-policy file shape; the real ones stay outside the repository.
const defs = {
    local: { id: "11111111-1111-4111-8111-111111111111", displayName: "Widgets should have local authentication methods disabled" },
    entra: { id: "22222222-2222-4222-8222-222222222222", displayName: "Widgets should enable Microsoft Entra ID integration" },
    logs: { id: "33333333-3333-4333-8333-333333333333", displayName: "Resource logs in Widgets should be enabled" },
    cmk: { id: "44444444-4444-4444-8444-444444444444", displayName: "Widgets should use customer-managed keys" },
};

function definitionsDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "builtins-"));
    for (const { id, displayName } of Object.values(defs)) {
        fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ name: id, properties: { displayName, policyType: "BuiltIn", policyRule: {} } }));
    }
    fs.writeFileSync(path.join(dir, "builtin-names.json"), JSON.stringify({ names: { "55555555-5555-4555-8555-555555555555": { displayName: "Gadgets should use private link" } } }));
    return dir;
}

function rule(name: string, builtins: KeylessRule["builtins"]): KeylessRule {
    return { ...(allRules[0] as KeylessRule), name, builtins };
}

const reason = (id: string, displayName: string): Reason => ({ id, displayName, kind: "out-of-scope", reason: "Key custody, not credentials." });

describe("check:builtins", () => {
    const dir = definitionsDir();

    it("passes when every citation matches and every definition has a rule or a reason, and counts parity", () => {
        const rules = [rule("a", [defs.local, { ...defs.entra, coverage: "partial" }]), rule("b", [defs.logs, { id: "55555555-5555-4555-8555-555555555555", displayName: "Gadgets should use private link" }])];
        const report = checkBuiltins(dir, rules, [reason(defs.cmk.id, defs.cmk.displayName)]);
        expect(report).toEqual({ errors: [], uncovered: [], counts: { definitions: 4, rule: 2, partial: 1, reason: 1 } });
    });

    it("catches a wrong citation: the right name under another built-in's GUID", () => {
        const swapped = rule("widget-local-auth", [{ id: defs.entra.id, displayName: defs.local.displayName }]);
        const report = checkBuiltins(dir, [swapped], []);
        expect(report.errors).toEqual([
            `rule widget-local-auth cites ${defs.entra.id} as "${defs.local.displayName}", but that built-in is "${defs.entra.displayName}".`,
        ]);
    });

    it("catches an unknown GUID, an empty reason and a definition with both", () => {
        const report = checkBuiltins(dir, [rule("a", [defs.local, { id: "66666666-6666-4666-8666-666666666666", displayName: "No such policy" }])], [
            { ...reason(defs.local.id, defs.local.displayName), reason: " " },
        ]);
        expect(report.errors).toEqual([
            `rule a cites 66666666-6666-4666-8666-666666666666, which is not an Azure Policy built-in in ${dir}.`,
            `builtin-reasons.json: ${defs.local.id} has an empty reason.`,
            `builtin-reasons.json: ${defs.local.id} has a rule and a reason; keep one.`,
        ]);
    });

    it("lists definitions with neither a rule nor a reason", () => {
        expect(checkBuiltins(dir, [rule("a", [defs.local])], []).uncovered.map((d) => d.id).sort()).toEqual([defs.entra.id, defs.logs.id, defs.cmk.id].sort());
    });

    it("the pack's own reasons file is well formed and never repeats a built-in a rule cites", () => {
        const reasons = loadReasons(path.join(__dirname, "..", "policies", "builtin-reasons.json"));
        const cited = new Set(allRules.flatMap((r) => r.builtins.map((b) => b.id)));
        expect(reasons.length).toBeGreaterThan(0);
        for (const entry of reasons) {
            expect(entry.reason.trim().length).toBeGreaterThan(20);
            expect(["runtime", "out-of-scope", "conflicts", "needs-parameters"]).toContain(entry.kind);
            expect(cited.has(entry.id)).toBe(false);
        }
        expect(new Set(reasons.map((entry) => entry.id)).size).toBe(reasons.length);
    });

    it("exits 0 with a note when the definitions folder is absent, 1 when a citation is wrong", () => {
        const script = path.join(__dirname, "check-builtins.ts");
        const tsNode = require.resolve("ts-node/dist/bin.js");
        const missing = execFileSync(process.execPath, [tsNode, "--swc", script, path.join(dir, "absent")], { encoding: "utf8" });
        expect(missing).toMatch(/does not exist; nothing to check/);
        let failed: { status?: number; stderr?: string } = {};
        try {
            execFileSync(process.execPath, [tsNode, "--swc", script, dir], { encoding: "utf8", stdio: "pipe" });
        } catch (error) {
            failed = error as typeof failed;
        }
        // The pack's real citations are not in the made-up folder, so each is reported.
        expect(failed.status).toBe(1);
        expect(failed.stderr).toMatch(/error: rule .* cites .*, which is not an Azure Policy built-in/);
    }, 60_000);
});
