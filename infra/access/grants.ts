import { resolveRole, ResolvedRole } from "./roles";
import { TargetKind } from "./targets";

export type { TargetKind } from "./targets";

/**
 * What a grant points at: the resource ID plus a human name and kind, so that reviews show
 * "Key Vault Secrets User on vault kv-app-secrets" instead of GUIDs.
 */
export interface GrantTarget {
    /** A stable human label such as `app-secrets` or `appdata/stock`; also names the child resource. */
    name: string;
    kind: TargetKind;
    id: import("@pulumi/pulumi").Input<string>;
}

export interface RoleGrant {
    /** A built-in role name from the catalog (`Key Vault Secrets User`), or a role definition GUID. */
    role: string;
    target: GrantTarget;
    /** Shown on the role assignment in the portal. Defaults to "Keyless: <role> on <kind> <name>". */
    description?: string;
}

/**
 * Checks that the role fits the target: a blob role on a container or account, a Key Vault role on a vault.
 * Privileged roles are refused outright, because no workload needs them. Raw GUIDs are accepted as given.
 */
export function checkGrant(grant: RoleGrant): ResolvedRole {
    const role = resolveRole(grant.role);
    const builtIn = role.builtIn;
    if (builtIn?.privileged) {
        throw new Error(
            `Role "${role.name}" on ${grant.target.kind} "${grant.target.name}" is privileged: workload identities never get ` +
                `Owner, Contributor, User Access Administrator or RBAC Administrator. Use a data-plane role instead.`,
        );
    }
    if (builtIn && !builtIn.scopes.includes("any") && !builtIn.scopes.includes(grant.target.kind)) {
        throw new Error(
            `Role "${role.name}" does not apply to ${grant.target.kind} "${grant.target.name}": expected a target of kind ` +
                `${builtIn.scopes.join(" or ")}.`,
        );
    }
    return role;
}

/** A stable logical name for a grant's child resource, derived from the role and the target label. */
export function grantResourceName(owner: string, roleName: string, target: Pick<GrantTarget, "kind" | "name">): string {
    const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return `${owner}-${slug(roleName)}-${target.kind.toLowerCase()}-${slug(target.name)}`;
}
