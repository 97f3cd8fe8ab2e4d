import * as fs from "fs";
import * as path from "path";

/** A KQL query kept in the workspace as a saved search, so that a reviewer finds it under one category. */
export interface SavedSearchSpec {
    /** File name without `.kql`: the saved search's ID. */
    name: string;
    /** The first comment lines: the question the query answers, shown as its display name. */
    question: string;
    text: string;
}

/** The `.kql` files of `dir`, sorted by name. */
export function loadSavedSearches(dir: string): SavedSearchSpec[] {
    return fs
        .readdirSync(dir)
        .filter((file) => file.endsWith(".kql"))
        .sort()
        .map((file) => {
            const text = fs.readFileSync(path.join(dir, file), "utf8");
            const question = text
                .split("\n")
                .filter((line) => line.startsWith("//"))
                .map((line) => line.replace(/^\/\/\s?/, ""))
                .join(" ");
            return { name: file.replace(/\.kql$/, ""), question, text };
        });
}

/** Where the access review's queries live, one per question (docs/review.md). */
export const reviewQueriesDir = path.resolve(__dirname, "..", "..", "review", "queries");
