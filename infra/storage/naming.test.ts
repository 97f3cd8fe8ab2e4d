import { storageChildNameProblem, storageChildNamesProblems } from "./naming";

describe("storageChildNameProblem", () => {
    it.each(["abc", "stock-2024", "a1b", "x".repeat(63)])("accepts container and queue name %s", (name) => {
        expect(storageChildNameProblem("container", name)).toBeUndefined();
        expect(storageChildNameProblem("queue", name)).toBeUndefined();
    });

    it.each(["ab", "x".repeat(64), "Stock", "stock_2024", "-stock", "stock-", "st--ock", "$web", "stock.items"])(
        "refuses container and queue name %j",
        (name) => {
            expect(storageChildNameProblem("container", name)).toBe(
                `container name "${name}" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.`,
            );
            expect(storageChildNameProblem("queue", name)).toMatch(/^queue name/);
        },
    );

    it.each(["abc", "Orders2024", "x".repeat(63)])("accepts table name %s", (name) => expect(storageChildNameProblem("table", name)).toBeUndefined());

    it.each(["ab", "1orders", "order-lines", "order_lines", "x".repeat(64)])("refuses table name %j", (name) =>
        expect(storageChildNameProblem("table", name)).toBe(`table name "${name}" must be 3-63 letters and digits, starting with a letter.`),
    );

    it("refuses the reserved table name", () => {
        expect(storageChildNameProblem("table", "Tables")).toBe('table name "Tables" is reserved by Azure.');
    });
});

describe("storageChildNamesProblems", () => {
    it("names the list, the index and the value", () => {
        expect(storageChildNamesProblems("containers", "container", ["ok-one", "Bad"])).toEqual([
            'containers[1]: container name "Bad" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.',
        ]);
    });

    it("refuses duplicates, comparing table names without case as Azure does", () => {
        expect(storageChildNamesProblems("queues", "queue", ["jobs", "jobs"])).toEqual(['queues[1]: queue "jobs" is listed twice.']);
        expect(storageChildNamesProblems("tables", "table", ["Orders", "orders"])).toEqual(['tables[1]: table "orders" is listed twice.']);
    });

    it("accepts an absent list and refuses a non-list", () => {
        expect(storageChildNamesProblems("containers", "container", undefined)).toEqual([]);
        expect(storageChildNamesProblems("containers", "container", "stock")).toEqual(['containers must be a list of container names; got "stock".']);
    });
});
