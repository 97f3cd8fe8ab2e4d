import { databaseGrantScript, quoteIdentifier, quoteLiteral } from "./grantScript";
import { ProblemsError } from "../shared/problems";

const objectId = "5d1c9f3a-2b4e-4c6d-8e7f-9a0b1c2d3e4f";

/** The SQL lines of a script, comments dropped. */
function statements(script: string): string[] {
    return script.split("\n").filter((line) => line.trim().length > 0 && !line.startsWith("--"));
}

describe("databaseGrantScript", () => {
    it("creates the contained user if missing and adds it to each role", () => {
        const script = databaseGrantScript({
            identityName: "id-orders",
            database: "orders",
            roles: ["db_datareader", "db_datawriter"],
            server: "sql-shop-ab12cd.database.windows.net",
        });
        expect(statements(script)).toEqual([
            "IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'id-orders')",
            "    CREATE USER [id-orders] FROM EXTERNAL PROVIDER;",
            ...["db_datareader", "db_datawriter"].flatMap((role) => [
                "IF NOT EXISTS (SELECT 1 FROM sys.database_role_members AS m",
                "    JOIN sys.database_principals AS r ON r.principal_id = m.role_principal_id",
                "    JOIN sys.database_principals AS u ON u.principal_id = m.member_principal_id",
                `    WHERE r.name = N'${role}' AND u.name = N'id-orders')`,
                `    ALTER ROLE [${role}] ADD MEMBER [id-orders];`,
            ]),
        ]);
        expect(script).toContain("--   sqlcmd -S sql-shop-ab12cd.database.windows.net -d orders -G -i <this file>");
    });

    it("pins the user to the principal when the object ID is known", () => {
        const script = databaseGrantScript({ identityName: "id-orders", database: "orders", roles: ["db_datareader"], objectId: objectId.toUpperCase() });
        expect(script).toContain(`CREATE USER [id-orders] FROM EXTERNAL PROVIDER WITH OBJECT_ID = '${objectId}';`);
        expect(script).toContain("-S <server>.database.windows.net");
    });

    it("keeps a hostile name inside one identifier and one string literal", () => {
        const hostile = "foo]; DROP TABLE x;--";
        const script = databaseGrantScript({ identityName: hostile, database: "orders", roles: ["db_ddladmin"] });
        const lines = statements(script);
        expect(lines.filter((line) => line.includes("foo"))).toEqual([
            "IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'foo]; DROP TABLE x;--')",
            "    CREATE USER [foo]]; DROP TABLE x;--] FROM EXTERNAL PROVIDER;",
            "    WHERE r.name = N'db_ddladmin' AND u.name = N'foo]; DROP TABLE x;--')",
            "    ALTER ROLE [db_ddladmin] ADD MEMBER [foo]]; DROP TABLE x;--];",
        ]);
        // Reading the bracketed identifier back yields the original name: nothing escapes into the statement.
        const identifier = /CREATE USER \[((?:[^\]]|\]\])*)\] FROM EXTERNAL PROVIDER;$/.exec(lines[1]);
        expect(identifier?.[1].replace(/\]\]/g, "]")).toBe(hostile);
        expect(lines.some((line) => /^\s*DROP\b/i.test(line))).toBe(false);
    });

    it("doubles quotes in the string literal", () => {
        const script = databaseGrantScript({ identityName: "O'Brien's app", database: "orders", roles: ["db_datareader"] });
        expect(script).toContain("WHERE name = N'O''Brien''s app')");
        expect(script).toContain("CREATE USER [O'Brien's app] FROM EXTERNAL PROVIDER;");
        expect(quoteLiteral("a'); DROP TABLE x;--")).toBe("N'a''); DROP TABLE x;--'");
        expect(quoteIdentifier("a]b")).toBe("[a]]b]");
    });

    const invalid: [string, Record<string, unknown>, string][] = [
        ["db_owner", { roles: ["db_owner"] }, 'grant.roles[0] "db_owner" is not allowed: expected db_datareader, db_datawriter, db_ddladmin (db_owner and server roles are never granted to workloads).'],
        ["a role injected through its name", { roles: ["db_datareader]; DROP TABLE x;--"] }, 'grant.roles[0] "db_datareader]; DROP TABLE x;--" is not allowed: expected db_datareader, db_datawriter, db_ddladmin (db_owner and server roles are never granted to workloads).'],
        ["no roles", { roles: [] }, "grant.roles must list at least one of db_datareader, db_datawriter, db_ddladmin."],
        ["a repeated role", { roles: ["db_datareader", "db_datareader"] }, 'grant.roles[1] "db_datareader" is listed twice.'],
        ["a database name that would break the instructions", { database: "orders\nGO\nDROP DATABASE orders" }, "grant.database \"orders\nGO\nDROP DATABASE orders\" must be 1-128 letters, digits, '-' or '_'."],
        ["a system database", { database: "master" }, 'grant.database "master" is a system database; grants go to application databases.'],
        ["a name with a line break", { identityName: "id-orders\nDROP TABLE x" }, "grant.identity must be the identity's Entra display name: 1-128 characters without control characters."],
        ["an empty name", { identityName: " " }, "grant.identity must be the identity's Entra display name: 1-128 characters without control characters."],
        ["an object ID that is not a GUID", { objectId: "'; DROP TABLE x;--" }, "grant.objectId must be the identity's object (principal) ID, a GUID; got \"'; DROP TABLE x;--\"."],
        ["a server that is not a host name", { server: "sql; rm -rf /" }, 'grant.server must be a host name such as sql-app.database.windows.net; got "sql; rm -rf /".'],
    ];
    it.each(invalid)("refuses %s", (_case, extra, message) => {
        expect(() => databaseGrantScript({ identityName: "id-orders", database: "orders", roles: ["db_datareader"], ...extra } as never)).toThrow(new ProblemsError("Database grant", [message]));
    });
});
