import { read, violation } from "../../lib/props";
import { principalKind } from "../../lib/roles";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/** Root, a management group, or a whole subscription. Resource groups and resources are narrow enough. */
export function broadScope(scope: string): "root" | "management group" | "subscription" | undefined {
    const s = scope.trim().replace(/\/+$/, "");
    if (s === "") {
        return "root";
    }
    if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/i.test(s)) {
        return "management group";
    }
    return /^\/subscriptions\/[^/]+$/i.test(s) ? "subscription" : undefined;
}

export const noManagedIdentityAtBroadScope: ResourceRule = {
    name: "no-managed-identity-at-broad-scope",
    description: "Service principals and managed identities get roles on resources or resource groups, never on a whole subscription or management group.",
    severity: "high",
    remediation: "Scope the role assignment to the resource the workload uses (the vault, the storage container, the queue), or at most its resource group.",
    anchors: {},
    builtins: [],
    mcsb: ["PA-7"],
    service: "access",
    defaultLevel: "mandatory",
    justification: "A subscription-wide grant reaches every current and future resource in it; least privilege means the narrowest scope that works.",
    resourceTypes: [types.roleAssignment],
    check(resource) {
        const scope = read(resource.props, "scope");
        const kind = principalKind(read(resource.props, "principalType"));
        if (isUnknown(scope) || typeof scope !== "string" || kind === "unknown" || kind === "other") {
            return [];
        }
        const breadth = broadScope(scope);
        return breadth
            ? [violation(resource, "scope", `is the ${breadth} ${JSON.stringify(scope)}; scope the grant to the target resource or its resource group.`)]
            : [];
    },
};
