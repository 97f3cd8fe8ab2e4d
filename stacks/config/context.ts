import { targetKinds } from "../../infra/access/targets";
import { plainValueProblem } from "../../infra/shared/plainValues";
import { Problems } from "../../infra/shared/problems";
import { CheckContext, CommonWorkload } from "../workloads/kind";
import { configNamespace, maskedValue, notDeclared } from "./format";
import { dataRolesByService, declaredChildren, GrantTargetRef, grantCovers, ResolvedGrant, SectionLookup } from "./grants";

/** What every workload's checks share: the parsed sections, the subnets, and the config's secret keys. */
export interface StackChecks {
    readonly problems: Problems;
    readonly sections: SectionLookup;
    readonly subnetNames: ReadonlySet<string> | undefined;
    requireSecretKey(path: string, key: string): void;
}

/** Config keys read as secrets: each must be set, and `secure:`. */
export function secretKeyChecker(problems: Problems, plainKeys: ReadonlyMap<string, unknown>, secretKeys: ReadonlySet<string>, found: string[]) {
    return (path: string, key: string): void => {
        if (!plainKeys.has(key)) {
            problems.add(`${path}: config key "${configNamespace}:${key}" is not set; expected a secret, set it with \`pulumi config set --secret ${configNamespace}:${key}\``);
        } else if (!secretKeys.has(key)) {
            problems.add(
                `${path}: "${configNamespace}:${key}" holds a plaintext value (${maskedValue(plainKeys.get(key))}) where a secret is required; ` +
                    `set it with \`pulumi config set --secret ${configNamespace}:${key}\` so the stack file stores it as secure:`,
            );
        } else if (!found.includes(key)) {
            found.push(key);
        }
    };
}

const sectionLabels = {
    vaults: "vault",
    storage: "storage account",
    registries: "registry",
    serviceBus: "Service Bus namespace",
    eventHubs: "Event Hubs namespace",
    sqlServers: "SQL server",
    identities: "identity",
} as const;

export function checkContext(stack: StackChecks, path: string, workload: CommonWorkload, grants: readonly ResolvedGrant[]): CheckContext {
    const { problems, sections } = stack;
    const context: CheckContext = {
        path,
        problems,
        sections,
        grants,
        checkIn(keyPath, label, name, section) {
            const declared = sections(section) as Record<string, unknown> | undefined;
            if (declared === undefined || Object.prototype.hasOwnProperty.call(declared, name)) {
                return declared !== undefined;
            }
            const known = Object.keys(declared);
            problems.add(notDeclared(keyPath, label || sectionLabels[section], name, known));
            return false;
        },
        privateNetwork: sections("hardening")?.privateNetwork ?? false,
        requireSubnet(keyPath, subnet, delegation, why) {
            const declared = sections("network")?.subnets;
            if (subnet === undefined) {
                problems.add(`${keyPath}: missing; ${why}, so set subnet to one of the stack's subnets${delegation ? ` delegated to ${delegation}` : ""}`);
                return;
            }
            const spec = declared?.[subnet];
            if (spec === undefined) {
                return;
            }
            const actual = typeof spec === "string" ? undefined : spec.delegation;
            if (delegation !== null && actual !== delegation) {
                problems.add(`${keyPath}: subnet "${subnet}" is ${actual ? `delegated to ${actual}` : "not delegated"}; expected a subnet delegated to ${delegation}`);
            } else if (delegation === null && actual !== undefined) {
                problems.add(`${keyPath}: subnet "${subnet}" is delegated to ${actual}; expected a subnet without a delegation`);
            }
        },
        checkSubnet(keyPath, subnet) {
            if (subnet !== undefined && stack.subnetNames && !stack.subnetNames.has(subnet)) {
                problems.add(`${keyPath}: unknown subnet "${subnet}"; expected one of ${[...stack.subnetNames].join(", ") || "(none declared)"}`);
            }
        },
        checkSecretReference(keyPath, reference) {
            const [vault, secret] = reference.split("/");
            if (!context.checkIn(keyPath, "vault", vault, "vaults")) {
                return;
            }
            const declared = declaredChildren(sections("vaults")![vault], "secret");
            if (!declared.includes(secret)) {
                problems.add(notDeclared(keyPath, "secret", secret, declared, `in vault "${vault}"`));
                return;
            }
            const wanted: GrantTargetRef = { kind: "secret", service: vault, child: secret };
            // A grant that failed to resolve is reported already; a second message for it would only repeat it.
            if (!grants.some((grant) => grantCovers(grant, wanted, dataRolesByService.secrets)) && !hasUnresolvedGrant(workload, grants)) {
                problems.add(
                    `${keyPath}: workload "${workload.name}" reads ${reference} but has no Key Vault Secrets User grant on vault "${vault}" or its secret "${secret}"; ` +
                        `add { role: Key Vault Secrets User, vault: ${vault}, secret: ${secret} } to its access`,
                );
            }
        },
        checkDataAccess(keyPath, target, roles, what) {
            const covered = grants.some(
                (grant) => roles.includes(grant.role) && grant.target.service === target.service && sameFamily(grant.target, target),
            );
            if (!covered && !hasUnresolvedGrant(workload, grants)) {
                problems.add(
                    `${keyPath}: workload "${workload.name}" connects to ${targetKinds[target.kind].label} "${target.child ? `${target.service}/${target.child}` : target.service}" ` +
                        `for ${what} with its identity, but holds no role there; expected a grant of ${roles.join(", ")} in its access`,
                );
            }
        },
        requireSecretKey: stack.requireSecretKey,
        checkPlainValue(keyPath, name, value, remedy) {
            const problem = plainValueProblem(keyPath, name, value, remedy);
            if (problem) {
                problems.add(problem);
            }
        },
    };
    return context;
}

/** The same service, at the wanted scope or one that contains it or lies inside it. */
function sameFamily(grant: GrantTargetRef, wanted: GrantTargetRef): boolean {
    const root = (ref: GrantTargetRef) => targetKinds[ref.kind].parent ?? ref.kind;
    if (root(grant) !== root(wanted)) {
        return false;
    }
    return wanted.child === undefined || grant.child === undefined || grant.child === wanted.child;
}

/** True when some access entry of the workload did not resolve: its own problem says what is wrong. */
function hasUnresolvedGrant(workload: CommonWorkload, grants: readonly ResolvedGrant[]): boolean {
    const entries = (workload as { access?: unknown[] }).access ?? [];
    const rbacEntries = entries.filter((entry) => typeof entry === "object" && entry !== null && "role" in entry).length;
    return grants.length < rbacEntries;
}
