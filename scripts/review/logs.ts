import * as fs from "fs";
import * as path from "path";
import { ColumnType, TableSchema } from "./schema";
import { ReviewInputError, ReviewTable } from "./types";

/** One table's rows, checked against its documented columns; dynamic columns parsed, numbers as numbers. */
export type LogRow = Record<string, unknown>;

export interface TableRows {
    table: ReviewTable;
    rows: LogRow[];
}

/** Columns without which a row cannot be matched to an identity; the rest may be empty. */
export const requiredColumns: Record<string, readonly string[]> = {
    AADManagedIdentitySignInLogs: ["TimeGenerated", "ServicePrincipalId"],
    AADServicePrincipalSignInLogs: ["TimeGenerated", "ServicePrincipalId"],
    AzureActivity: ["TimeGenerated", "Caller", "OperationNameValue"],
    AZKVAuditLogs: ["TimeGenerated", "OperationName", "_ResourceId"],
    StorageBlobLogs: ["TimeGenerated", "OperationName", "_ResourceId"],
    StorageQueueLogs: ["TimeGenerated", "OperationName", "_ResourceId"],
    StorageTableLogs: ["TimeGenerated", "OperationName", "_ResourceId"],
};

function describe(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A value of `type`, or an error message saying what was expected. */
function convert(value: unknown, type: ColumnType): { value: unknown } | { expected: string } {
    if (value === null || value === undefined || value === "") {
        return { value: null };
    }
    switch (type) {
        case "datetime":
            return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? { value: new Date(value).toISOString() } : { expected: "an ISO 8601 date and time" };
        case "string":
            return typeof value === "string" ? { value } : { expected: "a string" };
        case "int":
        case "long":
        case "real": {
            const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
            return Number.isFinite(number) && (type === "real" || Number.isInteger(number)) ? { value: number } : { expected: type === "real" ? "a number" : "an integer" };
        }
        case "bool":
            return typeof value === "boolean" ? { value } : value === "true" || value === "false" ? { value: value === "true" } : { expected: "true or false" };
        case "dynamic":
            // The query API returns dynamic columns as JSON text; an export may hold either form.
            if (typeof value === "string") {
                try {
                    return { value: JSON.parse(value) };
                } catch {
                    return { expected: "JSON (an object, an array, or their JSON text)" };
                }
            }
            return { value };
    }
}

/** Checks rows of `table` from `source` (a file name, or the live query): the error names the source, row and column. */
export function checkRows(source: string, table: string, schema: TableSchema, raw: unknown): LogRow[] {
    if (!Array.isArray(raw)) {
        throw new ReviewInputError(`${source}: expected a JSON array of rows (as \`az monitor log-analytics query -o json\` writes), got ${describe(raw)}.`);
    }
    return raw.map((entry, index) => {
        const where = `${source}: row ${index + 1}`;
        if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
            throw new ReviewInputError(`${where}: expected an object of column values, got ${describe(entry)}.`);
        }
        const row: LogRow = {};
        for (const [column, value] of Object.entries(entry as Record<string, unknown>)) {
            const type = schema.columns[column];
            if (!type) {
                row[column] = value;
                continue;
            }
            const converted = convert(value, type);
            if ("expected" in converted) {
                throw new ReviewInputError(`${where}, column ${column}: expected ${converted.expected} (${type}, as ${schema.url} documents), got ${describe(value)}.`);
            }
            row[column] = converted.value;
        }
        for (const column of requiredColumns[table] ?? ["TimeGenerated"]) {
            if (row[column] === null || row[column] === undefined) {
                throw new ReviewInputError(`${where}, column ${column}: missing or empty; the review needs it to match the row (see ${schema.url}).`);
            }
        }
        return row;
    });
}

/** Reads `<Table>.json` for each table of the schema from `dir`. A table without a file is reported missing, not an error. */
export function readLogDirectory(dir: string, schemas: Record<string, TableSchema>): TableRows[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new ReviewInputError(`--logs ${dir} is not a directory; expected one <Table>.json file per table, such as AZKVAuditLogs.json.`);
    }
    return Object.entries(schemas).map(([name, schema]) => {
        const file = path.join(dir, `${name}.json`);
        if (!fs.existsSync(file)) {
            return { table: { name, status: "missing", rows: 0, note: `no ${name}.json in ${dir}` }, rows: [] };
        }
        const text = fs.readFileSync(file, "utf8");
        let raw: unknown;
        try {
            raw = JSON.parse(text);
        } catch (error) {
            throw new ReviewInputError(`${name}.json: not valid JSON (${(error as Error).message}).`);
        }
        const rows = checkRows(`${name}.json`, name, schema, raw);
        return { table: { name, status: "read", rows: rows.length }, rows };
    });
}
