import { isAzureRegion, normalizeRegion } from "../../infra/shared/regions";
import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../../infra/shared/cidr";
import { Problems, ProblemsError } from "../../infra/shared/problems";
import { workloadKind, workloadKindNames, WorkloadConfig } from "../workloads/registry";
import { CommonWorkload, WorkloadKind } from "../workloads/kind";
import { checkContext, secretKeyChecker, StackChecks } from "./context";
import { configNamespace, didYouMean, formatIssues, notDeclared } from "./format";
import { ResolvedGrant, ResolvedSqlGrant, SectionLookup } from "./grants";
import { configNameProblem, NamedSection } from "./names";
import { resolveAccess } from "./access";
import { checkEncryption } from "./encryption";
import { checkNetworking, PlannedEndpoint, plannedEndpoints, ServiceUse } from "./networking";
import { SectionKey, sectionSchemas, Sections } from "./sections";

/**
 * Validates a stack's raw config in one pass that reports every problem at once: each section and each workload
 * is parsed on its own, so a type error in one never hides a reference error in another; references into a
 * section that did not parse are not judged (its own problems say what is wrong).
 */

export class ConfigError extends ProblemsError {
    constructor(problems: readonly string[]) {
        super("Invalid stack config", problems);
        this.name = "ConfigError";
    }
}

export interface StackConfig extends Sections {
    project: string;
    workloads: WorkloadConfig[];
    /** Every RBAC grant, with its identity resolved and its target checked. */
    grants: ResolvedGrant[];
    sqlGrants: ResolvedSqlGrant[];
    /** Config keys (without namespace) that hold secrets the stack reads with requireSecret. */
    secretConfigKeys: string[];
    /** User-assigned identities by name, with the workloads that use each. */
    identityUsers: Record<string, string[]>;
    /** The private endpoints the stack declares (see networking.ts). */
    privateEndpoints: PlannedEndpoint[];
}

export interface ParseOptions {
    project: string;
    /** Config keys (without namespace) whose values were `secure:` in the stack file. */
    secretKeys?: Iterable<string>;
    /** `azure-native:location`, when the stack sets it. */
    providerLocation?: string;
}

const sectionKeys = Object.keys(sectionSchemas) as SectionKey[];
export const topLevelKeys = [...sectionKeys, "workloads"];
const namedSections: (NamedSection & keyof Sections)[] = ["vaults", "storage", "registries", "serviceBus", "eventHubs", "sqlServers", "identities"];

function tryParseCidr(value: string): Ipv4Cidr | undefined {
    try {
        return parseCidr(value);
    } catch {
        return undefined;
    }
}

/** `keyless.workloads[<name>]`, or the index while the name is unusable. */
function workloadPath(item: unknown, index: number): string {
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === "string" && /^[A-Za-z0-9-]{1,63}$/.test(name) ? `${configNamespace}.workloads[${name}]` : `${configNamespace}.workloads[${index}]`;
}

export function parseStackConfig(raw: Record<string, unknown>, options: ParseOptions): StackConfig {
    const problems = new Problems("Invalid stack config");
    const secretKeys = new Set(options.secretKeys ?? []);
    const plainKeys = new Map(Object.entries(raw).filter(([key]) => !topLevelKeys.includes(key)));

    const parsed: Partial<Sections> = {};
    for (const key of sectionKeys) {
        const result = sectionSchemas[key].safeParse(raw[key], { reportInput: true });
        if (result.success) {
            (parsed as Record<string, unknown>)[key] = result.data;
        } else {
            problems.addAll(formatIssues(result.error.issues, sectionSchemas[key], `${configNamespace}.${key}`));
        }
    }
    const sections: SectionLookup = (section) => parsed[section];

    for (const section of namedSections) {
        for (const name of Object.keys(parsed[section] ?? {})) {
            const problem = configNameProblem(section, name);
            if (problem) {
                problems.add(`${configNamespace}.${section}.${name}: ${problem}`);
            }
        }
    }
    if (parsed.location && options.providerLocation !== undefined && isAzureRegion(options.providerLocation) && normalizeRegion(options.providerLocation) !== parsed.location) {
        problems.add(`${configNamespace}.location: "${parsed.location}" disagrees with azure-native:location "${options.providerLocation}"; expected both to name the same region`);
    }
    const subnetNames = parsed.network ? checkNetwork(parsed.network, problems) : undefined;
    checkNetworking(parsed, problems);
    checkEncryption(parsed, problems);

    const secretConfigKeys: string[] = [];
    const requireSecretKey = secretKeyChecker(problems, plainKeys, secretKeys, secretConfigKeys);
    for (const [vaultName, vault] of Object.entries(parsed.vaults ?? {})) {
        for (const [secretName, source] of Object.entries(vault.secrets)) {
            if ("config" in source) {
                requireSecretKey(`${configNamespace}.vaults.${vaultName}.secrets.${secretName}.config`, source.config);
            }
        }
    }

    const mentioned = new Set<string>();
    const workloads = parseWorkloads(raw.workloads, problems, mentioned);
    checkUniqueNames(parsed, workloads, problems);

    // Queues a workload needs (a trigger's poison queue) join their account before any grant is resolved against it.
    const derived = new Map(workloads.map(({ kind, config }) => [config, kind.derive?.(config)]));
    for (const { storage, queue } of [...derived.values()].flatMap((item) => item?.queues ?? [])) {
        const account = parsed.storage?.[storage];
        if (account && !account.queues.includes(queue)) {
            account.queues.push(queue);
        }
    }
    const stack: StackChecks = { problems, sections, subnetNames, requireSecretKey };
    const grants: ResolvedGrant[] = [];
    const sqlGrants: ResolvedSqlGrant[] = [];
    const identityUsers: Record<string, string[]> = {};
    for (const { kind, config, path } of workloads) {
        const workload = config as CommonWorkload;
        const bound = checkIdentities(kind, workload, path, stack);
        for (const identity of bound) {
            identityUsers[identity] = [...(identityUsers[identity] ?? []), workload.name];
        }
        const access = resolveAccess(workload, path, stack, derived.get(config)?.access);
        grants.push(...access.grants);
        sqlGrants.push(...access.sqlGrants);
        kind.check?.(config, checkContext(stack, path, workload, access.grants));
    }
    checkIdentityUse(parsed, identityUsers, mentioned, problems);

    const referenced = new Set([
        ...Object.values(parsed.vaults ?? {}).flatMap((vault) => Object.values(vault.secrets).flatMap((source) => ("config" in source ? [source.config] : []))),
        ...workloads.flatMap(({ config }) => Object.values((config as { secureEnv?: Record<string, string> }).secureEnv ?? {})),
    ]);
    for (const key of plainKeys.keys()) {
        if (!referenced.has(key)) {
            problems.add(`${configNamespace}:${key}: unknown config key; expected one of ${topLevelKeys.join(", ")}, or a secret that a vault or container reads${didYouMean(key, topLevelKeys)}`);
        }
    }

    problems.throwIfAny((_subject, list) => new ConfigError(list));
    const otherUses: ServiceUse[] = workloads.flatMap(({ kind, config }) => kind.networkUses?.(config) ?? []);
    const sectionsParsed = parsed as Sections;
    return {
        privateEndpoints: plannedEndpoints({ sections: sectionsParsed, grants, sqlGrants, otherUses }, sectionsParsed.network.endpointSubnet),
        ...(parsed as Sections),
        project: options.project,
        workloads: workloads.map(({ config }) => config as WorkloadConfig),
        grants,
        sqlGrants,
        secretConfigKeys,
        identityUsers,
    };
}

interface ParsedWorkload {
    kind: WorkloadKind;
    config: CommonWorkload;
    path: string;
}

/** Identity names a workload that did not parse refers to: not "unused", only unreadable for now. */
function identityMentions(item: unknown): string[] {
    const record = (item ?? {}) as { identity?: { userAssigned?: unknown }; serviceAccounts?: unknown };
    const userAssigned = Array.isArray(record.identity?.userAssigned) ? record.identity.userAssigned : [];
    const accounts = Array.isArray(record.serviceAccounts) ? record.serviceAccounts.map((account) => (account as { identity?: unknown })?.identity) : [];
    return [...userAssigned, ...accounts].filter((name): name is string => typeof name === "string");
}

function parseWorkloads(value: unknown, problems: Problems, mentioned: Set<string>): ParsedWorkload[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        problems.add(`${configNamespace}.workloads: expected a list of workloads, each { name, kind, identity, access, ... }`);
        return [];
    }
    const parsed: ParsedWorkload[] = [];
    value.forEach((item, index) => {
        const path = workloadPath(item, index);
        const kindName = (item as { kind?: unknown } | null)?.kind;
        const kind = typeof kindName === "string" ? workloadKind(kindName) : undefined;
        if (!kind) {
            identityMentions(item).forEach((name) => mentioned.add(name));
            problems.add(
                `${path}.kind: ${kindName === undefined ? "missing" : `unknown kind ${JSON.stringify(kindName)}`}; expected one of ${workloadKindNames().join(", ")}` +
                    (typeof kindName === "string" ? didYouMean(kindName, workloadKindNames()) : ""),
            );
            return;
        }
        const result = kind.schema.safeParse(item, { reportInput: true });
        if (!result.success) {
            identityMentions(item).forEach((name) => mentioned.add(name));
            problems.addAll(formatIssues(result.error.issues, kind.schema, path));
            return;
        }
        const config = result.data as CommonWorkload;
        const nameProblem = configNameProblem("workloads", config.name);
        if (nameProblem) {
            problems.add(`${path}.name: ${nameProblem}`);
        }
        parsed.push({ kind, config, path });
    });
    return parsed;
}

/** Names become Azure resource names with the same stem: unique across everything the stack declares. */
function checkUniqueNames(parsed: Partial<Sections>, workloads: readonly ParsedWorkload[], problems: Problems): void {
    const owners = new Map<string, string>();
    const claim = (path: string, name: string, what: string) => {
        const previous = owners.get(name);
        if (previous) {
            problems.add(`${path}: ${what} "${name}" is already used by ${previous}; names must be unique across the stack`);
        } else {
            owners.set(name, path);
        }
    };
    for (const section of ["vaults", "storage", "registries", "serviceBus", "eventHubs", "sqlServers"] as const) {
        Object.keys(parsed[section] ?? {}).forEach((name) => claim(`${configNamespace}.${section}.${name}`, name, "name"));
    }
    workloads.forEach(({ config, path }, index) => {
        const duplicate = workloads.slice(0, index).some((other) => other.config.name === config.name);
        claim(duplicate ? `${configNamespace}.workloads[${index}].name` : `${path}.name`, config.name, duplicate ? "duplicate workload name" : "name");
    });
}

function checkNetwork(network: Sections["network"], problems: Problems): Set<string> {
    const space = tryParseCidr(network.addressSpace);
    const subnets = Object.entries(network.subnets).map(([name, value]) => ({ name, prefix: typeof value === "string" ? value : value.addressPrefix }));
    subnets.forEach((subnet, index) => {
        const path = `${configNamespace}.network.subnets.${subnet.name}`;
        const nameProblem = configNameProblem("subnets", subnet.name);
        if (nameProblem) {
            problems.add(`${path}: ${nameProblem}`);
        }
        const parsed = tryParseCidr(subnet.prefix);
        if (space && parsed && !cidrContains(space, parsed)) {
            problems.add(`${path}: ${subnet.prefix} is outside the address space ${network.addressSpace}`);
        }
        for (const other of subnets.slice(index + 1)) {
            const otherParsed = tryParseCidr(other.prefix);
            if (parsed && otherParsed && cidrsOverlap(parsed, otherParsed)) {
                problems.add(`${path}: ${subnet.prefix} overlaps subnet "${other.name}" (${other.prefix})`);
            }
        }
    });
    return new Set(subnets.map((subnet) => subnet.name));
}

/** The identities a workload runs on must fit its kind and exist; returns the user-assigned ones it binds. */
function checkIdentities(kind: WorkloadKind, workload: CommonWorkload, path: string, stack: StackChecks): string[] {
    const { problems } = stack;
    const support = kind.identity;
    const userAssigned = workload.identity.userAssigned;
    if (workload.identity.systemAssigned && support.noSystemAssigned) {
        problems.add(`${path}.identity.systemAssigned: a workload of kind ${kind.kind} cannot use a system-assigned identity: ${support.noSystemAssigned}`);
    }
    if (!workload.identity.systemAssigned && userAssigned.length === 0 && support.userAssigned.min === 0 && !support.optional) {
        problems.add(`${path}.identity: workload "${workload.name}" has no managed identity; expected systemAssigned: true or a userAssigned identity`);
    }
    const { min, max, why } = support.userAssigned;
    if (userAssigned.length < min || userAssigned.length > max) {
        const range = min === max ? `exactly ${min}` : `${min} to ${max}`;
        problems.add(`${path}.identity.userAssigned: a workload of kind ${kind.kind} takes ${range} user-assigned identit${max === 1 ? "y" : "ies"}${why ? ` (${why})` : ""}; got ${userAssigned.length}`);
    }
    const identities = stack.sections("identities");
    const bound = [...new Set(userAssigned)];
    userAssigned.forEach((identity, index) => {
        if (identities && !Object.prototype.hasOwnProperty.call(identities, identity)) {
            const known = Object.keys(identities);
            problems.add(notDeclared(`${path}.identity.userAssigned[${index}]`, "identity", identity, known));
        }
    });
    return bound.filter((identity) => identities && Object.prototype.hasOwnProperty.call(identities, identity));
}

function checkIdentityUse(parsed: Partial<Sections>, users: Record<string, string[]>, mentioned: ReadonlySet<string>, problems: Problems): void {
    for (const [name, spec] of Object.entries(parsed.identities ?? {})) {
        const usedBy = users[name] ?? [];
        if (usedBy.length === 0 && !mentioned.has(name)) {
            problems.add(`${configNamespace}.identities.${name}: identity "${name}" is not used by any workload; attach it or remove it`);
        } else if (usedBy.length > 1 && !spec.shared) {
            problems.add(
                `${configNamespace}.identities.${name}: identity "${name}" is used by ${usedBy.length} workloads (${usedBy.join(", ")}); ` +
                    `each workload gets its own identity, so that its grants are its own. Set shared: true only where the workloads are parts of one application`,
            );
        }
    }
}
