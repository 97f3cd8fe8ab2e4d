import { compareStrings } from "./resources";
import { PlanDatabaseGrant } from "./types";

/**
 * Database-level grants (SQL `CREATE USER ... FROM EXTERNAL PROVIDER` + role membership) are not ARM resources:
 * the program exports them as a stack output, and an operator applies the generated T-SQL. Accepted shapes of
 * `outputs.databaseGrants`: an array of `{ identity, database, roles, server?, workload? }`, or a map from server
 * name to such an array. Anything else is reported, not guessed at.
 */
export function normalizeDatabaseGrants(value: unknown): { grants: PlanDatabaseGrant[]; problem?: string } {
    if (value === undefined || value === null) {
        return { grants: [] };
    }
    const items: { server?: string; entry: unknown }[] = [];
    if (Array.isArray(value)) {
        items.push(...value.map((entry) => ({ entry })));
    } else if (typeof value === "object") {
        for (const [server, list] of Object.entries(value as Record<string, unknown>)) {
            if (!Array.isArray(list)) {
                return { grants: [], problem: `outputs.databaseGrants.${server} is not a list of grants` };
            }
            items.push(...list.map((entry) => ({ server, entry })));
        }
    } else {
        return { grants: [], problem: "outputs.databaseGrants is neither a list nor a map of lists" };
    }
    const grants: PlanDatabaseGrant[] = [];
    for (const [position, { server, entry }] of items.entries()) {
        const grant = entry as Record<string, unknown> | null;
        const roles = grant?.roles;
        if (
            !grant ||
            typeof grant.identity !== "string" ||
            typeof grant.database !== "string" ||
            !Array.isArray(roles) ||
            !roles.every((role) => typeof role === "string")
        ) {
            return { grants: [], problem: `outputs.databaseGrants entry ${position + 1} lacks identity, database or roles` };
        }
        const serverName = typeof grant.server === "string" ? grant.server : server;
        grants.push({
            identity: grant.identity,
            ...(typeof grant.workload === "string" ? { workload: grant.workload } : {}),
            ...(serverName ? { server: serverName } : {}),
            database: grant.database,
            roles: [...(roles as string[])].sort(compareStrings),
            appliedBy: "T-SQL script",
        });
    }
    grants.sort(
        (a, b) =>
            compareStrings(a.identity, b.identity) || compareStrings(a.server ?? "", b.server ?? "") || compareStrings(a.database, b.database),
    );
    return { grants };
}
