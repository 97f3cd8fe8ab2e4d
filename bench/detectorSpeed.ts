import { detectSecrets, scanValue } from "@keyless/detect";
import { adversarialInputs, Document, realisticCorpus } from "./inputs";
import { progress } from "./process";
import { formatMs, formatRate, formatRatio, median, ratio, renderTable, sum } from "./stats";

/**
 * The secret detector's throughput on realistic documents (against one fixed regex over the same bytes, in the
 * same run) and its worst case on adversarial ones. Part of the policy section; `npm run bench:detect` runs it alone.
 */

const MB = 1024 * 1024;

export interface DetectorSpeedResult {
    corpus: { seed: number; documents: number; bytes: number; byKind: Record<string, number>; planted: number; plantedFound: number; extraFindings: number };
    throughput: { name: string; ms: number; mbPerSecond: number; vsRegex: number }[];
    /** Per document kind: detector on the text and the pack's value walk, MB/s. */
    byDocumentKind: { kind: string; mb: number; detectMbPerSecond: number; scanValueMbPerSecond: number }[];
    adversarial: { name: string; ms: Record<string, number>; growth05: number; growth1: number; mbPerSecondAt1: number; scanValueMsAt1: number; linear: boolean }[];
    worstCase: { name: string; mbPerSecond: number };
    tables: string[];
}

/** Runs `f` `runs` times; returns each duration in ms. */
export function times(runs: number, f: () => void): number[] {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        f();
        out.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return out;
}

/** What the pack's value walk sees for a document: parsed JSON, or cloud-init as base64 `customData`. */
function asValue(doc: Document): unknown {
    return doc.value ?? { osProfile: { computerName: "vm", customData: Buffer.from(doc.text).toString("base64") } };
}

export function detectorSpeed(options: { seed: number; corpusBytes: number; passes: number }): DetectorSpeedResult {
    const tables: string[] = [];

    // ---- Throughput on realistic documents.
    progress(`detector: generating ${(options.corpusBytes / MB).toFixed(0)} MB of documents...`);
    const docs = realisticCorpus(options.seed, options.corpusBytes);
    const texts = docs.map((doc) => doc.text);
    const values = docs.map(asValue);
    const bytes = sum(texts.map((text) => text.length));
    const byKind: Record<string, number> = {};
    for (const doc of docs) {
        byKind[doc.kind] = (byKind[doc.kind] ?? 0) + doc.text.length;
    }
    // Warm up every path once (regex compilation, JIT), then time full passes.
    texts.slice(0, 100).forEach((text) => detectSecrets(text));
    values.slice(0, 100).forEach((value) => scanValue(value));
    const jsonTexts = docs.filter((doc) => doc.value !== undefined).map((doc) => doc.text);
    const jsonBytes = sum(jsonTexts.map((text) => text.length));
    // The baseline: one regular expression for the commonest Azure leak (a storage connection string's key), run
    // over the same bytes. It is the floor for "look at every character once" in V8.
    const single = /AccountKey=[A-Za-z0-9+/=]{20,}/g;
    progress("detector: detector throughput...");
    const regexMs = median(times(options.passes, () => texts.forEach((text) => text.match(single))));
    const detectMs = median(times(options.passes, () => texts.forEach((text) => detectSecrets(text))));
    const scanMs = median(times(options.passes, () => values.forEach((value) => scanValue(value))));
    const parseMs = median(times(options.passes, () => jsonTexts.forEach((text) => JSON.parse(text))));
    let planted = 0;
    let plantedFound = 0;
    let extraFindings = 0;
    docs.forEach((doc, i) => {
        const findings = detectSecrets(texts[i]);
        planted += doc.planted.length;
        for (const secret of doc.planted) {
            const at = texts[i].indexOf(secret.secret);
            if (findings.some((f) => f.kind === secret.kind && f.start <= at && f.end >= at + Math.min(secret.secret.length, 16))) {
                plantedFound++;
            }
        }
        extraFindings += Math.max(0, findings.length - doc.planted.length);
    });
    const mbps = (b: number, ms: number) => b / MB / (ms / 1000);
    const throughput = [
        { name: "baseline: one regex (AccountKey=…) over the text", ms: regexMs, mbPerSecond: mbps(bytes, regexMs), vsRegex: 1 },
        { name: "detectSecrets over the text", ms: detectMs, mbPerSecond: mbps(bytes, detectMs), vsRegex: ratio(detectMs, regexMs) },
        { name: "scanValue over the values (JSON parsed, cloud-init as customData)", ms: scanMs, mbPerSecond: mbps(bytes, scanMs), vsRegex: ratio(scanMs, regexMs) },
        { name: "reference: JSON.parse of the JSON documents", ms: parseMs, mbPerSecond: mbps(jsonBytes, parseMs), vsRegex: ratio(mbps(bytes, regexMs), mbps(jsonBytes, parseMs)) },
    ];
    tables.push(
        renderTable(
            ["pass over the documents", "time", "MB/s", "time vs regex"],
            throughput.map((row) => [row.name, formatMs(row.ms), formatRate(row.mbPerSecond, "MB/s"), formatRatio(row.vsRegex)]),
        ),
    );
    const byDocumentKind = Object.keys(byKind).map((kind) => {
        const picked = docs.map((doc, i) => ({ doc, i })).filter(({ doc }) => doc.kind === kind);
        const kindBytes = byKind[kind];
        const detect = median(times(options.passes, () => picked.forEach(({ i }) => detectSecrets(texts[i]))));
        const walk = median(times(options.passes, () => picked.forEach(({ i }) => scanValue(values[i]))));
        return { kind, mb: kindBytes / MB, detectMbPerSecond: mbps(kindBytes, detect), scanValueMbPerSecond: mbps(kindBytes, walk) };
    });
    tables.push(
        renderTable(
            ["document kind", "MB", "detectSecrets (text)", "scanValue (as the pack sees it)"],
            byDocumentKind.map((row) => [row.kind, row.mb.toFixed(1), formatRate(row.detectMbPerSecond, "MB/s"), formatRate(row.scanValueMbPerSecond, "MB/s")]),
        ),
    );
    tables.push(
        renderTable(
            ["documents", "MB", "cloud-init MB", "app settings MB", "ARM MB", "planted credentials", "found", "other findings"],
            [
                [
                    String(docs.length),
                    (bytes / MB).toFixed(1),
                    ((byKind["cloud-init"] ?? 0) / MB).toFixed(1),
                    ((byKind["app-settings"] ?? 0) / MB).toFixed(1),
                    ((byKind["arm-template"] ?? 0) / MB).toFixed(1),
                    String(planted),
                    String(plantedFound),
                    String(extraFindings),
                ],
            ],
        ),
    );

    // ---- Adversarial inputs: must grow linearly.
    progress("detector: adversarial inputs at 0.25, 0.5 and 1 MB...");
    const sizes = [0.25, 0.5, 1];
    const adversarial: DetectorSpeedResult["adversarial"] = [];
    for (const [name, make] of Object.entries(adversarialInputs(options.seed))) {
        const inputs = sizes.map((size) => make(Math.round(size * MB)));
        detectSecrets(inputs[0]);
        // Rounds over the three sizes, best of seven per size: on a shared machine the minimum is the figure least
        // disturbed by other work, and interleaving spreads a burst of it over all sizes.
        const best = sizes.map(() => Number.POSITIVE_INFINITY);
        for (let round = 0; round < 7; round++) {
            inputs.forEach((input, i) => {
                best[i] = Math.min(best[i], times(1, () => detectSecrets(input))[0]);
            });
        }
        const ms: Record<string, number> = Object.fromEntries(sizes.map((size, i) => [String(size), best[i]]));
        const scanValueMs = Math.min(...times(3, () => scanValue({ properties: { value: inputs[inputs.length - 1] } })));
        const growth05 = ratio(ms["0.5"], ms["0.25"]);
        const growth1 = ratio(ms["1"], ms["0.5"]);
        adversarial.push({ name, ms, growth05, growth1, mbPerSecondAt1: mbps(MB, ms["1"]), scanValueMsAt1: scanValueMs, linear: growth05 < 3 && growth1 < 3 });
    }
    const worst = [...adversarial].sort((a, b) => a.mbPerSecondAt1 - b.mbPerSecondAt1)[0];
    tables.push(
        renderTable(
            ["adversarial input", "0.25 MB", "0.5 MB", "1 MB", "×0.25→0.5", "×0.5→1", "MB/s at 1 MB", "scanValue 1 MB", "linear"],
            adversarial.map((row) => [
                row.name,
                formatMs(row.ms["0.25"]),
                formatMs(row.ms["0.5"]),
                formatMs(row.ms["1"]),
                formatRatio(row.growth05),
                formatRatio(row.growth1),
                formatRate(row.mbPerSecondAt1, "MB/s"),
                formatMs(row.scanValueMsAt1),
                row.linear ? "yes" : "NO",
            ]),
        ),
    );

    return {
        corpus: { seed: options.seed, documents: docs.length, bytes, byKind, planted, plantedFound, extraFindings },
        throughput,
        byDocumentKind,
        adversarial,
        worstCase: { name: worst.name, mbPerSecond: worst.mbPerSecondAt1 },
        tables,
    };
}
