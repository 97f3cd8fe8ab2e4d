import { z } from "zod";
import { checkGrant } from "../../infra/access/grants";
import { builtInRoles, resolveRole } from "../../infra/access/roles";
import { configChildKinds, configServiceKinds, TargetKind, targetKinds } from "../../infra/access/targets";
import { Problems } from "../../infra/shared/problems";
import { appSettingName } from "./fields";
import { Sections } from "./sections";
import { notDeclared } from "./format";

/**
 * Grants as stack config writes them, and their resolution against the declared resources through the one
 * catalog of target kinds (`infra/access/targets.ts`): `{ role: Key Vault Secrets User, vault: app-secrets,
 * secret: stock-api-key }` becomes a grant on `secret app-secrets/stock-api-key`.
 */

const targetKeys = [...new Set(Object.values(targetKinds).flatMap((info) => (info.configKey ? [info.configKey] : [])))];

/** An RBAC grant, written flat. Every key a target kind can be named by is accepted; resolution checks which fit. */
/**
 * `connection: NAME` on a grant the workload's code uses: the identity-based connection settings its SDK reads are
 * derived from the grant (stacks/workloads/connections.ts), so a grant never arrives without them.
 */
const connection = appSettingName.optional();

export const rbacAccess = z.strictObject({
    role: z.string().min(1),
    identity: z.string().optional(),
    connection,
    ...Object.fromEntries(targetKeys.map((key) => [key, z.string().optional()])),
} as { role: z.ZodString; identity: z.ZodOptional<z.ZodString>; connection: typeof connection } & Record<string, z.ZodOptional<z.ZodString>>);

export const sqlRoles = ["db_datareader", "db_datawriter", "db_ddladmin"] as const;

/** A database-level grant, which ARM cannot make: it becomes a T-SQL script output. */
export const sqlAccess = z.strictObject({
    sqlDatabase: z.string().regex(/^[a-z][a-z0-9-]+\/[a-z0-9-]+$/, "expected SERVER/DATABASE"),
    roles: z.array(z.enum(sqlRoles)).min(1),
    identity: z.string().optional(),
    connection,
});

export const accessEntry = z.union([sqlAccess, rbacAccess]);
export type AccessEntry = z.infer<typeof accessEntry>;
export type RbacAccess = z.infer<typeof rbacAccess>;

/** A grant a workload kind derives from its config (a trigger's roles), resolved like a written one; `path` is under the workload. */
export interface DerivedAccess {
    path: string;
    entry: AccessEntry;
}

/** Where a grant points: a declared service (`service`), or one of its children. */
export interface GrantTargetRef {
    kind: TargetKind;
    /** The service's name in stack config: the vault, storage account, registry or namespace. */
    service: string;
    child?: string;
}

export interface ResolvedGrant {
    workload: string;
    /** A user-assigned identity's name, or "system" for the workload's system-assigned identity. */
    identity: string;
    role: string;
    target: GrantTargetRef;
    /** The setting prefix the workload's code reads this connection from, when it uses the grant. */
    connection?: string;
}

export interface ResolvedSqlGrant {
    workload: string;
    identity: string;
    server: string;
    database: string;
    roles: (typeof sqlRoles)[number][];
    /** The setting the workload's code reads the connection string from. */
    connection?: string;
}

/** The human label of a target, as the access review shows it. */
export function targetLabel(target: GrantTargetRef): string {
    return target.child === undefined ? target.service : `${target.service}/${target.child}`;
}

/** The names a service declares for a child kind: a vault's secrets, a storage account's containers, ... */
export function declaredChildren(spec: unknown, kind: TargetKind): string[] {
    const field = targetKinds[kind].configField;
    const value = field ? (spec as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(value)) {
        return value as string[];
    }
    return value && typeof value === "object" ? Object.keys(value) : [];
}

/** How a grant reads a referenced section: undefined when that section did not parse (its problems are reported already). */
export type SectionLookup = <K extends keyof Sections>(section: K) => Sections[K] | undefined;

/**
 * Resolves a flat grant to its target. Adds one problem and returns undefined when the grant names no target,
 * two targets, a child its service does not take, or something the stack does not declare.
 */
export function resolveTarget(path: string, entry: RbacAccess, sections: SectionLookup, problems: Problems): GrantTargetRef | undefined {
    const services = configServiceKinds();
    const named = services.filter((kind) => entry[targetKinds[kind].configKey!] !== undefined);
    if (named.length !== 1) {
        const keys = services.map((kind) => targetKinds[kind].configKey!);
        problems.add(`${path}: name exactly one target (${keys.join(", ")})${named.length ? `; got ${named.map((kind) => targetKinds[kind].configKey).join(" and ")}` : ""}`);
        return undefined;
    }
    const service = named[0];
    const serviceKey = targetKinds[service].configKey!;
    const childKinds = configChildKinds(service);
    const childKeys = childKinds.map((kind) => targetKinds[kind].configKey!);
    const givenChildren = targetKeys.filter((key) => key !== serviceKey && !services.some((kind) => targetKinds[kind].configKey === key) && entry[key] !== undefined);
    const misplaced = givenChildren.find((key) => !childKeys.includes(key));
    if (misplaced) {
        problems.add(`${path}.${misplaced}: a ${serviceKey} target takes ${childKeys.length ? `only ${childKeys.join(", ")}` : "no narrower scope"}`);
        return undefined;
    }
    if (givenChildren.length > 1) {
        problems.add(`${path}: name at most one of ${childKeys.join(", ")}`);
        return undefined;
    }
    const name = entry[serviceKey]!;
    const section = sections(targetKinds[service].configField as keyof Sections) as Record<string, unknown> | undefined;
    if (section === undefined) {
        return undefined;
    }
    if (!Object.prototype.hasOwnProperty.call(section, name)) {
        const known = Object.keys(section);
        problems.add(notDeclared(`${path}.${serviceKey}`, targetKinds[service].label, name, known));
        return undefined;
    }
    if (givenChildren.length === 0) {
        return { kind: service, service: name };
    }
    const childKind = childKinds[childKeys.indexOf(givenChildren[0])];
    const child = entry[givenChildren[0]]!;
    const declared = declaredChildren(section[name], childKind);
    if (!declared.includes(child)) {
        problems.add(notDeclared(`${path}.${givenChildren[0]}`, targetKinds[childKind].label, child, declared, `on ${targetKinds[service].label} "${name}"`));
        return undefined;
    }
    return { kind: childKind, service: name, child };
}

/** Resolves the role and checks that it fits the target; adds a problem and returns undefined otherwise. */
export function resolveGrantRole(path: string, role: string, target: GrantTargetRef | undefined, problems: Problems): string | undefined {
    try {
        const resolved = resolveRole(role);
        if (target) {
            checkGrant({ role, target: { kind: target.kind, name: targetLabel(target), id: "" } });
            return resolved.name;
        }
    } catch (error) {
        problems.add(`${path}: ${(error as Error).message}`);
    }
    return undefined;
}

/** True when one of `roles` on `target` covers `wanted`: the same resource, or the service holding it. */
export function grantCovers(grant: Pick<ResolvedGrant, "role" | "target">, wanted: GrantTargetRef, roles: readonly string[]): boolean {
    if (!roles.includes(grant.role) || grant.target.service !== wanted.service) {
        return false;
    }
    const sameService = targetKinds[grant.target.kind].parent === undefined && (targetKinds[wanted.kind].parent ?? wanted.kind) === grant.target.kind;
    return sameService || (grant.target.kind === wanted.kind && grant.target.child === wanted.child);
}

/** Roles by the data service they read, for settings that connect with the workload's identity. */
export const dataRolesByService = {
    blob: ["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"],
    queue: ["Storage Queue Data Reader", "Storage Queue Data Contributor", "Storage Queue Data Message Sender", "Storage Queue Data Message Processor"],
    table: ["Storage Table Data Reader", "Storage Table Data Contributor"],
    serviceBus: ["Azure Service Bus Data Sender", "Azure Service Bus Data Receiver", "Azure Service Bus Data Owner"],
    eventHubs: ["Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver", "Azure Event Hubs Data Owner"],
    secrets: ["Key Vault Secrets User", "Key Vault Secrets Officer", "Key Vault Administrator"],
} satisfies Record<string, (keyof typeof builtInRoles)[]>;
