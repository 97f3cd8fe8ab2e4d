import Ajv from "ajv-draft-04";

/**
 * Validation against the SARIF 2.1.0 JSON schema, for tests: the schema file that @microsoft/jest-sarif ships (the
 * OASIS schema, draft-04, as published on schemastore.org), compiled with Ajv's draft-04 build.
 */

export interface SarifLogShape {
    version: string;
    runs: {
        tool: { driver: { name: string; version?: string; rules: { id: string }[] } };
        results: {
            ruleId: string;
            level?: string;
            message: { text: string };
            partialFingerprints?: Record<string, string>;
            properties?: Record<string, unknown>;
            locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
        }[];
    }[];
}

let validate: ReturnType<Ajv["compile"]> | undefined;

/** The schema's complaints about `log` (empty when it is valid SARIF 2.1.0). */
export function validateSarif(log: unknown): string[] {
    if (!validate) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as Record<string, unknown>;
        // The schema's language-tag pattern is not valid with the `u` flag; its formats are checked as URLs and dates.
        const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
        ajv.addFormat("uri", (s: string) => URL.canParse(s));
        ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///") && !/\s/.test(s));
        ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
        validate = ajv.compile(schema);
    }
    if (validate(log)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}
