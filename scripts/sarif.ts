/**
 * A small SARIF 2.1.0 writer (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the format GitHub
 * code scanning uploads. Generic: a tool, its rules, and results located in files; the repository scanner uses it,
 * and anything else that reports findings in files (the policy pack's checks) can.
 */

export type SarifLevel = "error" | "warning" | "note";

export interface SarifRule {
    /** Stable identifier, e.g. `storage-account-key`. */
    id: string;
    /** One line: what the rule finds. */
    description: string;
    helpUri?: string;
    /** Plain text shown with an alert: how to fix it. */
    help?: string;
    level?: SarifLevel;
    /** The rule's property bag: `tags`, and `security-severity` (0-10), which GitHub uses to rank security alerts. */
    properties?: Record<string, unknown>;
}

export interface SarifResult {
    ruleId: string;
    message: string;
    /** Relative to the scan root, with `/` separators. */
    file: string;
    /** 1-based. */
    line: number;
    /** 1-based. */
    column?: number;
    level?: SarifLevel;
    /** Identity that survives edits elsewhere in the file (GitHub matches alerts across runs with it). */
    fingerprint?: { name: string; value: string };
    /** Extra facts (a commit, say), copied into the result's property bag. */
    properties?: Record<string, string | number | boolean>;
}

export interface SarifTool {
    name: string;
    version: string;
    informationUri?: string;
    rules: readonly SarifRule[];
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** One run of one tool. Results whose rule is not listed get the rule added with its id as description. */
export function sarifLog(tool: SarifTool, results: readonly SarifResult[]): object {
    const rules = [...tool.rules];
    const index = new Map(rules.map((r, i) => [r.id, i]));
    for (const r of results) {
        if (!index.has(r.ruleId)) {
            index.set(r.ruleId, rules.length);
            rules.push({ id: r.ruleId, description: r.ruleId });
        }
    }
    return {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: tool.name,
                        version: tool.version,
                        ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
                        rules: rules.map((r) => ({
                            id: r.id,
                            shortDescription: { text: r.description },
                            ...(r.helpUri ? { helpUri: r.helpUri } : {}),
                            ...(r.help ? { help: { text: r.help } } : {}),
                            defaultConfiguration: { level: r.level ?? "error" },
                            ...(r.properties ? { properties: r.properties } : {}),
                        })),
                    },
                },
                results: results.map((r) => ({
                    ruleId: r.ruleId,
                    ruleIndex: index.get(r.ruleId),
                    level: r.level ?? rules[index.get(r.ruleId)!].level ?? "error",
                    message: { text: r.message },
                    locations: [
                        {
                            physicalLocation: {
                                // Relative to the checkout; GitHub resolves it against the repository root.
                                artifactLocation: { uri: encodeUri(r.file) },
                                region: { startLine: Math.max(1, r.line), ...(r.column ? { startColumn: Math.max(1, r.column) } : {}) },
                            },
                        },
                    ],
                    ...(r.fingerprint ? { partialFingerprints: { [r.fingerprint.name]: r.fingerprint.value } } : {}),
                    ...(r.properties ? { properties: r.properties } : {}),
                })),
            },
        ],
    };
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodeUri(file: string): string {
    return file
        .split(/[\\/]/)
        .map((segment) => encodeURIComponent(segment))
        .join("/");
}
