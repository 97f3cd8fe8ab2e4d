import { checkKql, referencedTables } from "./kusto";
import { loadQueries, loadTableSchemas, tableQuery } from "./schema";

const tables = loadTableSchemas();
const queries = loadQueries();

describe("review queries, checked with Microsoft's Kusto language service", () => {
    it("ship one query per question of the review", () => {
        expect(queries.map((query) => query.name)).toEqual([
            "control-plane-writes",
            "data-plane-operations",
            "denied-requests",
            "deploy-sign-ins",
            "identity-sign-ins",
            "key-operations",
        ]);
        queries.forEach((query) => expect(query.question.length).toBeGreaterThan(20));
        // The question is the saved search's display name, which the Monitoring component cuts at 250 characters.
        queries.forEach((query) => expect({ query: query.name, fits: query.question.length <= 250 }).toEqual({ query: query.name, fits: true }));
    });

    it.each(queries.map((query) => [query.name, query.text]))("%s has no syntax error and resolves every table and column", (_name, text) => {
        expect(checkKql(text, tables)).toEqual([]);
    });

    it("every table of the schema cites its Azure Monitor table reference page and is read by a query", () => {
        for (const [name, table] of Object.entries(tables)) {
            expect(table.url).toBe(`https://learn.microsoft.com/azure/azure-monitor/reference/tables/${name.toLowerCase()}`);
            expect(queries.some((query) => referencedTables(query.text, tables).includes(name))).toBe(true);
        }
    });

    it("the per-table export query the review runs resolves for every table", () => {
        for (const name of Object.keys(tables)) {
            expect(checkKql(tableQuery(name, 30), tables)).toEqual([]);
        }
    });

    it("reports a misspelled column, an unknown table and a syntax error, with line and column", () => {
        const column = checkKql("AzureActivity\n| where Calller == 'x'", tables);
        expect(column).toEqual([expect.objectContaining({ severity: "Error", code: "KS142", line: 2, column: 9 })]);
        expect(checkKql("StorageFileLogs | take 1", tables)).toEqual([expect.objectContaining({ code: "KS204", line: 1, column: 1 })]);
        expect(checkKql("AzureActivity | where", tables)).toEqual([expect.objectContaining({ severity: "Error" })]);
    });

    it("types matter: a string column compared as a number is reported", () => {
        const found = checkKql("StorageBlobLogs | where StatusCode > 400", tables);
        expect(found.length).toBeGreaterThan(0);
    });
});
