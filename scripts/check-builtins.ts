/**
 * Checks the pack's Azure Policy citations against the built-in definitions (Azure/azure-policy JSON, one file per
 * definition, in `../shared/azure-policy/definitions/` next to the repository):
 * - every GUID a rule cites (`builtins`) or `policies/builtin-reasons.json` lists exists, with the cited display name;
 * - every definition in the folder has a rule or a documented reason;
 * - no definition has both.
 * Prints the parity counts. Exits 1 on any problem; exits 0 with a note when the folder is not there (a fresh clone),
 * so `.ci/run` runs it only when it exists.
 *
 * Usage: `npm run check:builtins [-- <definitions-dir>]`
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BuiltIn, KeylessRule } from "../policies/lib/types";

export interface Reason {
    id: string;
    displayName: string;
    kind: string;
    reason: string;
}

export interface BuiltinReport {
    errors: string[];
    /** Definitions with neither a rule nor a reason. */
    uncovered: { id: string; displayName: string }[];
    counts: { definitions: number; rule: number; partial: number; reason: number };
}

/** Display names by GUID: each definition file, plus `builtin-names.json` (every built-in) when present. */
function loadNames(dir: string): { definitions: Map<string, string>; all: Map<string, string> } {
    const definitions = new Map<string, string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "index.json" && f !== "builtin-names.json")) {
        const json = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { name?: string; properties?: { displayName?: string } };
        const id = (json.name ?? path.basename(file, ".json")).toLowerCase();
        definitions.set(id, json.properties?.displayName ?? "");
    }
    const all = new Map(definitions);
    const namesFile = path.join(dir, "builtin-names.json");
    if (fs.existsSync(namesFile)) {
        const names = (JSON.parse(fs.readFileSync(namesFile, "utf8")) as { names: Record<string, { displayName: string }> }).names;
        for (const [id, entry] of Object.entries(names)) {
            if (!all.has(id.toLowerCase())) {
                all.set(id.toLowerCase(), entry.displayName);
            }
        }
    }
    return { definitions, all };
}

export function checkBuiltins(dir: string, rules: readonly KeylessRule[], reasons: readonly Reason[]): BuiltinReport {
    const { definitions, all } = loadNames(dir);
    const errors: string[] = [];
    const verify = (who: string, cited: Pick<BuiltIn, "id" | "displayName">) => {
        const actual = all.get(cited.id.toLowerCase());
        if (actual === undefined) {
            errors.push(`${who} cites ${cited.id}, which is not an Azure Policy built-in in ${dir}.`);
        } else if (actual !== cited.displayName) {
            errors.push(`${who} cites ${cited.id} as "${cited.displayName}", but that built-in is "${actual}".`);
        }
    };
    const coverage = new Map<string, "rule" | "partial">();
    for (const rule of rules) {
        for (const builtin of rule.builtins) {
            verify(`rule ${rule.name}`, builtin);
            const id = builtin.id.toLowerCase();
            coverage.set(id, builtin.coverage === "partial" && coverage.get(id) !== "rule" ? "partial" : "rule");
        }
    }
    const reasoned = new Set<string>();
    for (const reason of reasons) {
        verify("builtin-reasons.json", reason);
        if (reason.reason.trim().length === 0) {
            errors.push(`builtin-reasons.json: ${reason.id} has an empty reason.`);
        }
        if (coverage.has(reason.id.toLowerCase())) {
            errors.push(`builtin-reasons.json: ${reason.id} has a rule and a reason; keep one.`);
        }
        reasoned.add(reason.id.toLowerCase());
    }
    const uncovered = [...definitions].filter(([id]) => !coverage.has(id) && !reasoned.has(id)).map(([id, displayName]) => ({ id, displayName }));
    const ids = [...definitions.keys()];
    return {
        errors,
        uncovered,
        counts: {
            definitions: ids.length,
            rule: ids.filter((id) => coverage.get(id) === "rule").length,
            partial: ids.filter((id) => coverage.get(id) === "partial").length,
            reason: ids.filter((id) => reasoned.has(id) && !coverage.has(id)).length,
        },
    };
}

export function loadReasons(file: string): Reason[] {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { builtins: Reason[] }).builtins;
}

async function main(): Promise<number> {
    const root = path.join(__dirname, "..");
    const dir = path.resolve(process.argv[2] ?? path.join(root, "..", "shared", "azure-policy", "definitions"));
    if (!fs.existsSync(dir)) {
        console.log(`check:builtins: ${dir} does not exist; nothing to check (CI runs this when the Azure Policy definitions are present).`);
        return 0;
    }
    const { allRules } = await import("../policies/rules");
    const report = checkBuiltins(dir, allRules, loadReasons(path.join(root, "policies", "builtin-reasons.json")));
    for (const error of report.errors) {
        console.error(`error: ${error}`);
    }
    for (const missing of report.uncovered) {
        console.error(`missing: ${missing.id} "${missing.displayName}" has neither a rule nor a reason in policies/builtin-reasons.json.`);
    }
    const { definitions, rule, partial, reason } = report.counts;
    console.log(`check:builtins: ${definitions} definitions: ${rule} with a rule, ${partial} partly, ${reason} with a reason, ${report.uncovered.length} with neither.`);
    return report.errors.length > 0 || report.uncovered.length > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(error);
            process.exit(1);
        },
    );
}
