import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";

/** One lock shape on every component, as Azure Verified Modules have it. */
export interface LockArgs {
    /** `CanNotDelete` keeps a resource from being deleted; `ReadOnly` also blocks changes. */
    kind: "CanNotDelete" | "ReadOnly";
    /** Why the lock exists, shown in the portal to whoever tries to remove it. */
    notes?: string;
}

/** Declares a management lock on `scope` as a child of `parent`, or nothing when no lock is asked for. */
export function lockScope(
    name: string,
    scope: pulumi.Input<string>,
    lock: LockArgs | undefined,
    parent: pulumi.Resource,
): authorization.ManagementLockByScope | undefined {
    if (!lock) {
        return undefined;
    }
    return new authorization.ManagementLockByScope(
        `${name}-lock`,
        {
            scope,
            level: lock.kind,
            notes: lock.notes ?? "Managed by Keyless: remove the lock in the stack config, not in the portal.",
        },
        { parent },
    );
}
