import { connectionProblem } from "../workloads/connections";
import { CommonWorkload } from "../workloads/kind";
import { StackChecks } from "./context";
import { AccessEntry, DerivedAccess, resolveGrantRole, resolveTarget, ResolvedGrant, ResolvedSqlGrant } from "./grants";
import { notDeclared } from "./format";

/**
 * A workload's `access` list, resolved: each grant gets the identity it goes to (the only user-assigned one, the
 * system-assigned one, or the one named with `identity:`) and a checked target and role.
 */
export function resolveAccess(
    workload: CommonWorkload,
    path: string,
    stack: StackChecks,
    derived: readonly DerivedAccess[] = [],
): { grants: ResolvedGrant[]; sqlGrants: ResolvedSqlGrant[] } {
    const { problems } = stack;
    const grants: ResolvedGrant[] = [];
    const sqlGrants: ResolvedSqlGrant[] = [];
    const written = (workload as CommonWorkload & { access: AccessEntry[] }).access.map((entry, index) => ({ entry, path: `${path}.access[${index}]` }));
    const entries = [...written, ...derived.map((item) => ({ entry: item.entry, path: `${path}.${item.path}` }))];
    entries.forEach(({ entry, path: entryPath }) => {
        const identity = resolveIdentity(workload, `${entryPath}.identity`, entry.identity as string | undefined, problems);
        if ("sqlDatabase" in entry) {
            const [server, database] = String(entry.sqlDatabase).split("/");
            const servers = stack.sections("sqlServers");
            if (!servers) {
                return;
            }
            if (!Object.prototype.hasOwnProperty.call(servers, server)) {
                problems.add(notDeclared(`${entryPath}.sqlDatabase`, "SQL server", server, Object.keys(servers)));
            } else if (!servers[server].databases.includes(database)) {
                problems.add(notDeclared(`${entryPath}.sqlDatabase`, "database", database, servers[server].databases, `on SQL server "${server}"`));
            } else if (identity === "system") {
                problems.add(`${entryPath}.identity: a database grant needs a user-assigned identity, whose name the T-SQL CREATE USER can refer to; workload "${workload.name}" resolves to its system-assigned identity`);
            } else if (identity) {
                sqlGrants.push({ workload: workload.name, identity, server, database, roles: entry.roles as ResolvedSqlGrant["roles"], ...connectionOf(entry) });
            }
            return;
        }
        const target = resolveTarget(entryPath, entry, stack.sections, problems);
        const role = resolveGrantRole(`${entryPath}.role`, String(entry.role), target, problems);
        if (target && role && identity) {
            const grant = { workload: workload.name, identity, role, target, ...connectionOf(entry) };
            const problem = grant.connection === undefined ? undefined : connectionProblem(entryPath, grant);
            if (problem) {
                problems.add(problem);
            } else {
                grants.push(grant);
            }
        }
    });
    return { grants, sqlGrants };
}

function connectionOf(entry: AccessEntry): { connection?: string } {
    return entry.connection === undefined ? {} : { connection: String(entry.connection) };
}

function resolveIdentity(workload: CommonWorkload, path: string, requested: string | undefined, problems: StackChecks["problems"]): string | undefined {
    const { systemAssigned, userAssigned } = workload.identity;
    if (requested === "system") {
        if (!systemAssigned) {
            problems.add(`${path}: "system" needs identity.systemAssigned: true on workload "${workload.name}"`);
            return undefined;
        }
        return "system";
    }
    if (requested !== undefined) {
        if (!userAssigned.includes(requested)) {
            problems.add(`${path}: identity "${requested}" is not attached to workload "${workload.name}"; expected one of ${[...userAssigned, ...(systemAssigned ? ["system"] : [])].join(", ") || "(none attached)"}`);
            return undefined;
        }
        return requested;
    }
    if (userAssigned.length === 1) {
        return userAssigned[0];
    }
    if (userAssigned.length === 0 && systemAssigned) {
        return "system";
    }
    if (userAssigned.length > 1) {
        problems.add(`${path}: workload "${workload.name}" has several identities; name the one that gets this grant with identity:`);
    }
    return undefined;
}
