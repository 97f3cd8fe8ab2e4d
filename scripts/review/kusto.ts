import { TableSchema } from "./schema";

/**
 * Checks KQL with Microsoft's Kusto language service (@kusto/language-service-next, the parser and binder behind
 * the Log Analytics editor), offline, against the tables in review/schema/tables.json. A table or column the
 * schema does not hold is an error, exactly as it would be in the workspace.
 */
export interface KqlDiagnostic {
    severity: string;
    code: string;
    message: string;
    /** 1-based line and column of the problem in the query text. */
    line: number;
    column: number;
}

// The service is a Bridge.NET build: two scripts that define the global `Kusto` namespace.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KustoNamespace = any;
let kusto: KustoNamespace | undefined;

function language(): KustoNamespace {
    if (!kusto) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- scripts that only define globals
        require("@kusto/language-service-next/bridge.js");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("@kusto/language-service-next/Kusto.Language.Bridge.js");
        kusto = (globalThis as unknown as { Kusto: KustoNamespace }).Kusto.Language;
    }
    return kusto;
}

function position(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function checkKql(text: string, tables: Record<string, TableSchema>): KqlDiagnostic[] {
    const K = language();
    const symbols = Object.entries(tables).map(
        ([name, table]) =>
            new K.Symbols.TableSymbol.$ctor7(
                name,
                `(${Object.entries(table.columns)
                    .map(([column, type]) => `['${column}']:${type}`)
                    .join(", ")})`,
                table.url,
            ),
    );
    const database = new K.Symbols.DatabaseSymbol.$ctor1("workspace", symbols, false);
    const code = K.KustoCode.ParseAndAnalyze(text, K.GlobalState.Default.WithDatabase(database));
    const diagnostics = code.GetDiagnostics();
    const found: KqlDiagnostic[] = [];
    for (let i = 0; i < diagnostics.Count; i++) {
        const item = diagnostics.getItem(i);
        found.push({ severity: String(item.Severity), code: String(item.Code), message: String(item.Message), ...position(text, item.Start) });
    }
    return found;
}

/** Every table the query names, as the binder resolved them. */
export function referencedTables(text: string, tables: Record<string, TableSchema>): string[] {
    return Object.keys(tables).filter((name) => new RegExp(`\\b${name}\\b`).test(text.replace(/\/\/.*$/gm, "")));
}
