import { isGuid } from "../shared/naming";
import { Problems } from "../shared/problems";

/**
 * Database-level grants for Entra identities. Azure Resource Manager cannot create a contained database user
 * (`CREATE USER ... FROM EXTERNAL PROVIDER`), so Keyless generates the T-SQL and an operator runs it once per
 * grant, connected to the database as the server's Entra administrator:
 *
 *     sqlcmd -S <server>.database.windows.net -d <database> -G -i grant.sql
 *
 * With sqlcmd (Go), `-G` and no user name signs in through DefaultAzureCredential (for example after `az login`);
 * add `-U <your UPN>` for interactive Entra sign-in. Azure SQL Database has no `USE`, so the script runs in the
 * database named by `-d`. It is idempotent: run it again after adding roles.
 */
export const databaseRoles = ["db_datareader", "db_datawriter", "db_ddladmin"] as const;
export type DatabaseRole = (typeof databaseRoles)[number];

export interface DatabaseGrantScriptArgs {
    /**
     * The identity's display name in Entra ID, which becomes the database user name: for a user-assigned
     * identity its resource name (`id-orders`), for a system-assigned one the resource's name.
     */
    identityName: string;
    database: string;
    roles: DatabaseRole[];
    /** The identity's object (principal) ID: pins the user to that principal when display names are not unique. Defaults to resolving by name. */
    objectId?: string;
    /** Server host name for the instructions, e.g. `sql-app.database.windows.net`. Defaults to a placeholder. */
    server?: string;
}

/** SQL identifier in brackets; `]` is the only character that needs escaping inside them. */
export function quoteIdentifier(name: string): string {
    return `[${name.replace(/]/g, "]]")}]`;
}

/** SQL Unicode string literal; `'` is doubled. */
export function quoteLiteral(value: string): string {
    return `N'${value.replace(/'/g, "''")}'`;
}

/** Azure SQL database names, kept to a portable subset (they also appear in comments and command lines). */
export const databaseNamePattern = /^[A-Za-z0-9_-]{1,128}$/;
const reservedDatabases = new Set(["master", "model", "msdb", "tempdb"]);

/** Why a database name is refused, or undefined. */
export function databaseNameProblem(key: string, database: string): string | undefined {
    if (typeof database !== "string" || !databaseNamePattern.test(database)) {
        return `${key} "${String(database)}" must be 1-128 letters, digits, '-' or '_'.`;
    }
    if (reservedDatabases.has(database.toLowerCase())) {
        return `${key} "${database}" is a system database; grants go to application databases.`;
    }
    return undefined;
}

/** Checks a grant; returns one message per problem, each naming `key`. */
export function databaseGrantProblems(key: string, args: DatabaseGrantScriptArgs): string[] {
    const problems: string[] = [];
    const name = args.identityName;
    // Entra display names allow almost anything; brackets are escaped, but control characters would break the
    // script's lines and have no place in a principal name.
    if (typeof name !== "string" || name.trim().length === 0 || name.length > 128 || /[\u0000-\u001f\u007f]/.test(name)) {
        problems.push(`${key}.identity must be the identity's Entra display name: 1-128 characters without control characters.`);
    }
    const databaseProblem = databaseNameProblem(`${key}.database`, args.database);
    if (databaseProblem) {
        problems.push(databaseProblem);
    }
    if (!Array.isArray(args.roles) || args.roles.length === 0) {
        problems.push(`${key}.roles must list at least one of ${databaseRoles.join(", ")}.`);
    } else {
        const seen = new Set<string>();
        args.roles.forEach((role, index) => {
            if (!(databaseRoles as readonly string[]).includes(role)) {
                problems.push(`${key}.roles[${index}] "${String(role)}" is not allowed: expected ${databaseRoles.join(", ")} (db_owner and server roles are never granted to workloads).`);
            } else if (seen.has(role)) {
                problems.push(`${key}.roles[${index}] "${role}" is listed twice.`);
            }
            seen.add(role);
        });
    }
    if (args.objectId !== undefined && !isGuid(args.objectId)) {
        problems.push(`${key}.objectId must be the identity's object (principal) ID, a GUID; got "${args.objectId}".`);
    }
    if (args.server !== undefined && !/^[A-Za-z0-9.-]{1,253}$/.test(args.server)) {
        problems.push(`${key}.server must be a host name such as sql-app.database.windows.net; got "${args.server}".`);
    }
    return problems;
}

/**
 * The T-SQL that creates the identity's contained user (if missing) and adds it to each role. Pure; throws on
 * bad input. Every name is quoted, so a hostile name such as `x]; DROP TABLE t;--` stays one identifier.
 */
export function databaseGrantScript(args: DatabaseGrantScriptArgs): string {
    const problems = new Problems("Database grant");
    problems.addAll(databaseGrantProblems("grant", args));
    problems.throwIfAny();
    const user = quoteIdentifier(args.identityName);
    const withObjectId = args.objectId ? ` WITH OBJECT_ID = '${args.objectId.toLowerCase()}'` : "";
    return [
        `-- Keyless database grant: ${args.roles.join(", ")} in database ${args.database}.`,
        `-- Run once as the server's Entra administrator, connected to that database:`,
        `--   sqlcmd -S ${args.server ?? "<server>.database.windows.net"} -d ${args.database} -G -i <this file>`,
        `IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = ${quoteLiteral(args.identityName)})`,
        `    CREATE USER ${user} FROM EXTERNAL PROVIDER${withObjectId};`,
        ...args.roles.flatMap((role) => [
            `IF NOT EXISTS (SELECT 1 FROM sys.database_role_members AS m`,
            `    JOIN sys.database_principals AS r ON r.principal_id = m.role_principal_id`,
            `    JOIN sys.database_principals AS u ON u.principal_id = m.member_principal_id`,
            `    WHERE r.name = ${quoteLiteral(role)} AND u.name = ${quoteLiteral(args.identityName)})`,
            `    ALTER ROLE ${quoteIdentifier(role)} ADD MEMBER ${user};`,
        ]),
        "",
    ].join("\n");
}
