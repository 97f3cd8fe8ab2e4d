import type { PlanDocument, PlanGrant, PlanIdentity } from "../plan/types";

/**
 * Identity lifecycle between two plans. Turning a system-assigned identity off and on, re-creating its workload, or
 * replacing a user-assigned identity gives a new principal: every role assignment to it is re-created, and until
 * they exist the workload's Key Vault references and identity-based connections fail. Deleting a user-assigned
 * identity that a remaining workload used breaks that workload. Each change comes with a safe order.
 */
export interface PrincipalChange {
    identity: string;
    kind: PlanIdentity["kind"];
    /** Why the principal is new. */
    reason: string;
    workloads: string[];
    /** Grants that will be re-created for the new principal, as `role on kind name`. */
    grantsRecreated: string[];
    /** What fails until the grants exist again: Key Vault references, identity-based data connections. */
    failsUntilGranted: string[];
    safeOrder: string[];
}

export interface ReferencedDeletion {
    identity: string;
    /** Workloads that used it in the base plan and still exist in the head plan. */
    stillUsedBy: string[];
    safeOrder: string[];
}

export interface IdentityLifecycle {
    principalChanges: PrincipalChange[];
    referencedDeletions: ReferencedDeletion[];
}

const describeGrant = (grant: PlanGrant) => `${grant.role} on ${grant.scope.kind} ${grant.scope.name}`;

function failures(grants: PlanGrant[]): string[] {
    return grants.map((grant) =>
        grant.scope.kind === "vault" || grant.scope.kind === "secret"
            ? `Key Vault references to ${grant.scope.name} (${grant.role})`
            : `identity-based access to ${grant.scope.kind} ${grant.scope.name} (${grant.role})`,
    );
}

const workloadNames = (plan: PlanDocument) => new Set(plan.workloads.map((workload) => workload.name));

export function identityLifecycle(base: PlanDocument, head: PlanDocument): IdentityLifecycle {
    const baseIdentities = new Map(base.identities.map((identity) => [`${identity.kind}|${identity.name}`, identity]));
    const baseWorkloads = new Map(base.workloads.map((workload) => [workload.name, workload]));
    const principalChanges: PrincipalChange[] = [];
    for (const identity of head.identities.filter((candidate) => candidate.kind !== "external")) {
        const before = baseIdentities.get(`${identity.kind}|${identity.name}`);
        let reason: string | undefined;
        if (before && before.urn && identity.urn && before.urn !== identity.urn) {
            reason = `its resource is replaced (${before.urn.split("::").pop()} becomes ${identity.urn.split("::").pop()})`;
        } else if (!before && identity.kind === "systemAssigned" && identity.workloads.some((name) => baseWorkloads.has(name))) {
            reason = "the system-assigned identity is turned on for a workload that exists already";
        }
        if (!reason) {
            continue;
        }
        const grants = head.grants.filter((grant) => grant.identity === identity.name && grant.identityKind === identity.kind);
        const safeOrder =
            identity.kind === "userAssigned"
                ? [
                      `Declare the new identity next to the old one and give it the same grants (${grants.length}); deploy.`,
                      `Switch ${identity.workloads.join(", ")} to the new identity (Key Vault reference identity, AZURE_CLIENT_ID); deploy.`,
                      "Remove the old identity and its grants; deploy.",
                  ]
                : [
                      `Deploy: the identity and its ${grants.length} grant(s) are created in one run; role assignments can take minutes to apply.`,
                      `Until then ${identity.workloads.join(", ")} cannot read its secrets or data: deploy outside traffic hours, or keep a user-assigned identity on it until the grants are in place.`,
                  ];
        principalChanges.push({
            identity: identity.name,
            kind: identity.kind,
            reason,
            workloads: identity.workloads,
            grantsRecreated: grants.map(describeGrant),
            failsUntilGranted: failures(grants),
            safeOrder,
        });
    }

    const headKeys = new Set(head.identities.map((identity) => `${identity.kind}|${identity.name}`));
    const remaining = workloadNames(head);
    const referencedDeletions: ReferencedDeletion[] = [];
    for (const identity of base.identities.filter((candidate) => candidate.kind === "userAssigned" && !headKeys.has(`userAssigned|${candidate.name}`))) {
        const stillUsedBy = identity.workloads.filter((name) => remaining.has(name));
        if (stillUsedBy.length > 0) {
            referencedDeletions.push({
                identity: identity.name,
                stillUsedBy,
                safeOrder: [
                    `First deploy ${stillUsedBy.join(", ")} without ${identity.name} (and without settings or references that name it).`,
                    `Then remove ${identity.name}: deleting it first breaks every token request those workloads make as it.`,
                ],
            });
        }
    }
    return { principalChanges, referencedDeletions };
}

export function renderLifecycleText(lifecycle: IdentityLifecycle): string {
    if (lifecycle.principalChanges.length === 0 && lifecycle.referencedDeletions.length === 0) {
        return "";
    }
    const out = ["", "Identity lifecycle:"];
    for (const change of lifecycle.principalChanges) {
        out.push(`  ${change.identity} (${change.kind}) gets a new principal: ${change.reason}.`);
        change.grantsRecreated.forEach((grant) => out.push(`    re-created: ${grant}`));
        change.failsUntilGranted.forEach((failure) => out.push(`    fails until then: ${failure}`));
        change.safeOrder.forEach((step, index) => out.push(`    ${index + 1}. ${step}`));
    }
    for (const deletion of lifecycle.referencedDeletions) {
        out.push(`  ${deletion.identity} (user-assigned) is deleted but ${deletion.stillUsedBy.join(", ")} used it and remain.`);
        deletion.safeOrder.forEach((step, index) => out.push(`    ${index + 1}. ${step}`));
    }
    return `${out.join("\n")}\n`;
}

export function renderLifecycleMarkdown(lifecycle: IdentityLifecycle): string {
    const text = renderLifecycleText(lifecycle);
    return text ? `\n#### Identity lifecycle\n\n\`\`\`\n${text.trim().split("\n").slice(1).join("\n")}\n\`\`\`\n` : "";
}
