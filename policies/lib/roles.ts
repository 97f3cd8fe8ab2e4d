import { read } from "./props";
import { isUnknown } from "./unknown";

/**
 * Built-in role GUIDs the access rules look for. They are the same in every tenant; the pack keeps its own copy so
 * that it loads without the program's code (the engine type-checks everything the pack imports).
 */
export const privilegedRoles: Readonly<Record<string, string>> = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

export const keyVaultAdminRoles: Readonly<Record<string, string>> = {
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
};

/**
 * The role GUID of a `roleDefinitionId` (`/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>`,
 * `/providers/Microsoft.Authorization/roleDefinitions/<guid>` or a bare GUID), lowercased. `undefined` when unknown.
 */
export function roleGuid(roleDefinitionId: unknown): string | undefined {
    if (isUnknown(roleDefinitionId) || typeof roleDefinitionId !== "string") {
        return undefined;
    }
    const last = roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "";
    return last.toLowerCase();
}

/**
 * How a role assignment's principal type reads for the workload rules: a service principal (which every managed
 * identity is), a person or group, or not set (Azure then looks the principal up, so it may be a service principal).
 * `unknown` when the value is not known at preview.
 */
export function principalKind(principalType: unknown): "service-principal" | "unset" | "other" | "unknown" {
    if (isUnknown(principalType)) {
        return "unknown";
    }
    if (principalType === undefined || principalType === null || principalType === "") {
        return "unset";
    }
    return typeof principalType === "string" && principalType.toLowerCase() === "serviceprincipal" ? "service-principal" : "other";
}

/**
 * Which of `roles` (by GUID) a role assignment grants to a principal that is, or may be, a service principal,
 * with how its principal type reads; undefined for another role, a person or group, or a value not known at preview.
 */
export function roleGrantedToWorkload(
    props: Record<string, unknown>,
    roles: Readonly<Record<string, string>>,
): { role: string; kind: "service-principal" | "unset" } | undefined {
    const guid = roleGuid(read(props, "roleDefinitionId"));
    const role = guid ? roles[guid] : undefined;
    const kind = principalKind(read(props, "principalType"));
    if (!role || kind === "unknown" || kind === "other") {
        return undefined;
    }
    return { role, kind };
}
