import * as fs from "fs";
import * as path from "path";
import { loadSavedSearches, reviewQueriesDir, SavedSearchSpec } from "../../infra/monitoring/savedSearches";

/** The review's view of Log Analytics: the tables it reads and their documented columns (review/schema/tables.json). */
export type ColumnType = "string" | "datetime" | "int" | "long" | "real" | "bool" | "dynamic";

export interface TableSchema {
    /** The table's page in the Azure Monitor table reference. */
    url: string;
    /** Which diagnostic setting fills the table. */
    source: string;
    columns: Record<string, ColumnType>;
}

export const reviewRoot = path.resolve(__dirname, "..", "..", "review");

export function loadTableSchemas(file = path.join(reviewRoot, "schema", "tables.json")): Record<string, TableSchema> {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { tables: Record<string, TableSchema> }).tables;
}

export type ReviewQuery = SavedSearchSpec;

/** The shipped review queries, one per question, sorted by name. */
export function loadQueries(dir = reviewQueriesDir): ReviewQuery[] {
    return loadSavedSearches(dir);
}

/** The query that fetches one table's rows for the window, as `az monitor log-analytics query` runs it for an export. */
export function tableQuery(table: string, days: number): string {
    return `${table} | where TimeGenerated > ago(${days}d)`;
}
