import * as fs from "fs";
import * as path from "path";
import { detectSecrets } from "@keyless/detect";
import { repoRoot } from "./process";
import { formatPercent, renderTable } from "./stats";

/**
 * `npm run measure:secrets`: the detector on the shared corpus of other scanners' published fixtures
 * (`../shared/corpora/secret-fixtures.json`, outside the repository). Each value is presented under its real name
 * (`context`), under a neutral name (`SETTING_1`), and as its original line where the case has one. Reports
 * recall (expected secrets flagged) and false-positive rate (expected clean values flagged), `debatable` cases
 * apart, and per kind where a figure is not perfect. Prints case ids and kinds only, never a value.
 *
 * Exits 0 with a note when the corpus is not there (a fresh clone has no `../shared`).
 */

export interface CorpusCase {
    id: string;
    kind: string;
    value: string;
    context?: string;
    line?: string;
    expect: "secret" | "clean";
    debatable?: string;
}

export type Presentation = "real name" | "neutral name" | "line";

export interface Tally {
    flagged: number;
    total: number;
}

export interface Measurement {
    cases: number;
    /** presentation → undisputed/debatable → expect → tally */
    overall: Record<Presentation, Record<"undisputed" | "debatable", Record<"secret" | "clean", Tally>>>;
    /** Kinds whose undisputed figure is not perfect under some presentation: kind → presentation → tally. */
    imperfectKinds: { kind: string; expect: "secret" | "clean"; byPresentation: Record<Presentation, Tally | undefined>; missedOrFlagged: string[] }[];
}

const presentations: readonly Presentation[] = ["real name", "neutral name", "line"];

export const DEFAULT_CORPUS = path.resolve(repoRoot, "..", "shared", "corpora", "secret-fixtures.json");

export function readCorpus(file: string): CorpusCase[] {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { cases?: unknown };
    if (!Array.isArray(parsed.cases)) throw new Error(`${file}: expected an object with a "cases" array`);
    return parsed.cases.map((c: Partial<CorpusCase>, i: number) => {
        if (typeof c.id !== "string" || typeof c.value !== "string" || (c.expect !== "secret" && c.expect !== "clean")) {
            throw new Error(`${file}: case ${i} needs a string "id", a string "value" and "expect" of "secret" or "clean"`);
        }
        return c as CorpusCase;
    });
}

/** The text and name the detector sees for a case under one presentation; undefined when the case has no such form. */
function present(c: CorpusCase, p: Presentation, index: number): { text: string; key?: string } | undefined {
    if (p === "real name") return { text: c.value, key: c.context };
    if (p === "neutral name") return { text: c.value, key: `SETTING_${index + 1}` };
    return c.line === undefined ? undefined : { text: c.line };
}

export function measure(cases: readonly CorpusCase[], detect: (text: string, key?: string) => unknown[] = (t, k) => detectSecrets(t, { key: k })): Measurement {
    const tally = (): Tally => ({ flagged: 0, total: 0 });
    const overall = Object.fromEntries(
        presentations.map((p) => [p, { undisputed: { secret: tally(), clean: tally() }, debatable: { secret: tally(), clean: tally() } }]),
    ) as Measurement["overall"];
    const byKind = new Map<string, { expect: "secret" | "clean"; byPresentation: Record<Presentation, Tally | undefined>; wrong: Set<string> }>();
    cases.forEach((c, i) => {
        for (const p of presentations) {
            const shown = present(c, p, i);
            if (!shown) continue;
            const flagged = detect(shown.text, shown.key).length > 0;
            const t = overall[p][c.debatable ? "debatable" : "undisputed"][c.expect];
            t.total++;
            if (flagged) t.flagged++;
            if (c.debatable) continue;
            const k = `${c.expect}\u0000${c.kind}`;
            let entry = byKind.get(k);
            if (!entry) byKind.set(k, (entry = { expect: c.expect, byPresentation: { "real name": undefined, "neutral name": undefined, line: undefined }, wrong: new Set() }));
            const kt = (entry.byPresentation[p] ??= tally());
            kt.total++;
            if (flagged) kt.flagged++;
            if (flagged !== (c.expect === "secret")) entry.wrong.add(c.id);
        }
    });
    const imperfectKinds = [...byKind.entries()]
        .filter(([, e]) => e.wrong.size > 0)
        .map(([k, e]) => ({ kind: k.split("\u0000")[1], expect: e.expect, byPresentation: e.byPresentation, missedOrFlagged: [...e.wrong].sort() }))
        .sort((a, b) => a.expect.localeCompare(b.expect) || a.kind.localeCompare(b.kind));
    return { cases: cases.length, overall, imperfectKinds };
}

const share = (t: Tally | undefined) => (t && t.total > 0 ? `${formatPercent(t.flagged / t.total)} (${t.flagged}/${t.total})` : "-");

export function report(m: Measurement): string {
    const rows = presentations.flatMap((p) =>
        (["undisputed", "debatable"] as const).map((d) => [p, d, share(m.overall[p][d].secret), share(m.overall[p][d].clean)]),
    );
    const kinds = m.imperfectKinds.map((k) => [
        k.kind,
        k.expect === "secret" ? "recall" : "false positives",
        ...presentations.map((p) => share(k.byPresentation[p])),
        k.missedOrFlagged.join(" "),
    ]);
    return [
        `Shared corpus: ${m.cases} cases (values never printed).`,
        renderTable(["presentation", "cases", "recall (secrets flagged)", "false-positive rate (clean flagged)"], rows),
        kinds.length === 0
            ? "Every undisputed kind at 100% recall and 0% false positives."
            : `Kinds below 100% recall or above 0% false positives (undisputed cases):\n\n${renderTable(["kind", "figure", ...presentations, "case ids"], kinds)}`,
    ].join("\n\n");
}

function main(argv: string[]): number {
    const file = argv.find((a) => !a.startsWith("--")) ?? DEFAULT_CORPUS;
    if (!fs.existsSync(file)) {
        process.stdout.write(`measure:secrets: ${file} not found; nothing measured (the shared corpus lives outside the repository).\n`);
        return 0;
    }
    const m = measure(readCorpus(file));
    process.stdout.write(`${report(m)}\n`);
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
