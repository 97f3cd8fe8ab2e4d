import { detectSecrets, secretKinds } from "@keyless/detect";
import { buildCorpus, KindScore, LabelledSample, precisionRecall, PrecisionRecall } from "@keyless/detect/corpus";
import { progress } from "./process";
import { formatMs, formatPercent, renderTable, sum } from "./stats";

/**
 * Section 4: precision and recall of the detector per secret kind on the project's labelled corpus, with
 * secretlint's recommended preset on the same samples, in the same run, as a reference.
 */

/** secretlint rule (and message) → the detector's kind, where the two mean the same credential. */
export const secretlintKinds: Record<string, string> = {
    "@secretlint/secretlint-rule-aws/AWSAccessKeyID": "aws-access-key",
    "@secretlint/secretlint-rule-aws/AWSSecretAccessKey": "aws-secret-key",
    "@secretlint/secretlint-rule-github": "github-token",
    "@secretlint/secretlint-rule-npm": "npm-token",
    "@secretlint/secretlint-rule-slack": "slack-token",
    "@secretlint/secretlint-rule-privatekey": "private-key",
    "@secretlint/secretlint-rule-basicauth": "url-credentials",
    "@secretlint/secretlint-rule-database-connection-string": "database-connection-string",
};

/** The detector kind a secretlint message stands for; an unmapped rule keeps its own name. */
export function secretlintKind(ruleId: string, messageId: string): string {
    return secretlintKinds[`${ruleId}/${messageId}`] ?? secretlintKinds[ruleId] ?? `secretlint:${ruleId.replace(/^@secretlint\/secretlint-rule-/, "")}`;
}

/** The kinds secretlint's recommended preset has a rule for (so a per-kind comparison means something). */
export const secretlintCovers: ReadonlySet<string> = new Set(Object.values(secretlintKinds));

interface SecretlintMessage {
    ruleId: string;
    messageId: string;
}
interface SecretlintModules {
    lintSource(options: unknown): Promise<{ messages: SecretlintMessage[] }>;
    creator: { meta: { id: string } };
    version: string;
}

// secretlint ships as ES modules only; a real dynamic import (TypeScript would turn `import()` into `require`).
const dynamicImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, unknown>>;

async function loadSecretlint(): Promise<SecretlintModules> {
    const core = await dynamicImport("@secretlint/core");
    const preset = await dynamicImport("@secretlint/secretlint-rule-preset-recommend");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version = (require("@secretlint/core/package.json") as { version: string }).version;
    return { lintSource: core.lintSource as SecretlintModules["lintSource"], creator: preset.creator as SecretlintModules["creator"], version };
}

export interface QualityResult {
    seeds: number[];
    samples: number;
    positives: number;
    detector: { byKind: Record<string, KindScore>; anySecret: PrecisionRecall["anySecret"]; ms: number; mistakes: PrecisionRecall["mistakes"] };
    secretlint?: { version: string; byKind: Record<string, KindScore>; anySecret: PrecisionRecall["anySecret"]; ms: number };
    secretlintError?: string;
    tables: string[];
}

function cell(score: KindScore | undefined): string {
    if (!score || score.tp + score.fn + score.fp === 0) {
        return "-";
    }
    // Precision of a scanner that reported nothing of this kind is undefined, not 100%.
    return `${score.tp + score.fp === 0 ? "n/a" : formatPercent(score.precision)} / ${formatPercent(score.recall)}`;
}

export async function quality(options: { seeds: number[] }): Promise<QualityResult> {
    const corpus: LabelledSample[] = options.seeds.flatMap((seed) => buildCorpus(seed));
    const key = (text: string, field?: string) => `${field ?? ""}\u0000${text}`;
    progress(`quality: ${corpus.length} labelled samples (seeds ${options.seeds.join(", ")}) through the detector...`);
    const detectorStarted = process.hrtime.bigint();
    const detector = precisionRecall(corpus, (text, field) => detectSecrets(text, { key: field }));
    const detectorMs = Number(process.hrtime.bigint() - detectorStarted) / 1e6;

    const result: QualityResult = {
        seeds: options.seeds,
        samples: corpus.length,
        positives: corpus.filter((sample) => sample.kind !== null).length,
        detector: { byKind: detector.byKind, anySecret: detector.anySecret, ms: detectorMs, mistakes: detector.mistakes },
        tables: [],
    };

    let reference: PrecisionRecall | undefined;
    try {
        progress("quality: the same samples through secretlint's recommended preset...");
        const secretlint = await loadSecretlint();
        const config = { rules: [{ id: secretlint.creator.meta.id, rule: secretlint.creator }] };
        const found = new Map<string, { kind: string }[]>();
        const started = process.hrtime.bigint();
        for (const sample of corpus) {
            // secretlint scans file contents and has no notion of a field name: it gets the text alone.
            const linted = await secretlint.lintSource({ source: { filePath: "/sample.txt", content: sample.text, contentType: "text" }, options: { config } });
            found.set(
                key(sample.text, sample.key),
                linted.messages.map((message) => ({ kind: secretlintKind(message.ruleId, message.messageId) })),
            );
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        reference = precisionRecall(corpus, (text, field) => found.get(key(text, field)) ?? []);
        result.secretlint = { version: secretlint.version, byKind: reference.byKind, anySecret: reference.anySecret, ms };
    } catch (error) {
        result.secretlintError = (error as Error).message;
        progress(`quality: secretlint not run: ${result.secretlintError}`);
    }

    const rows = secretKinds.map((kind) => {
        const positives = corpus.filter((sample) => sample.kind === kind).length;
        return [
            kind,
            String(positives),
            cell(detector.byKind[kind]),
            reference ? (secretlintCovers.has(kind) ? cell(reference.byKind[kind]) : "no rule") : "-",
        ];
    });
    result.tables.push(renderTable(["kind", "positives", "detector precision / recall", `secretlint ${result.secretlint?.version ?? ""} precision / recall`], rows));
    const any = (score: PrecisionRecall["anySecret"]) => [formatPercent(score.precision), formatPercent(score.recall), String(score.tp), String(score.fp), String(score.fn), String(score.tn)];
    const overall = [["detector", ...any(detector.anySecret), formatMs(detectorMs)]];
    if (reference && result.secretlint) {
        overall.push([`secretlint preset-recommend ${result.secretlint.version}`, ...any(reference.anySecret), formatMs(result.secretlint.ms)]);
        const otherKinds = Object.keys(reference.byKind).filter((kind) => kind.startsWith("secretlint:"));
        if (otherKinds.length > 0) {
            const fp = sum(otherKinds.map((kind) => reference!.byKind[kind].fp));
            result.tables.push(`secretlint findings under rules with no detector kind: ${otherKinds.join(", ")} (${fp} on samples of another kind or none)`);
        }
    }
    result.tables.push(renderTable(["any secret, whatever the kind", "precision", "recall", "TP", "FP", "FN", "TN", "time"], overall));
    return result;
}
