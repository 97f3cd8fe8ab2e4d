import type { PlanDocument, PlanGrant } from "../plan/types";
import { DataEvent, dataEvents } from "./events";
import { LogRow, TableRows } from "./logs";
import { BootstrapOutputs, StackOutputs } from "./outputs";
import { GrantUse, ReviewDocument, ReviewFinding, ReviewIdentity, reviewSchemaVersion } from "./types";

/**
 * Declared versus used: the plan's grants (who holds which role where), made concrete by the stack outputs
 * (principal IDs, role assignment IDs), matched against what the logs show each principal doing.
 */
export interface ReviewInput {
    stack: string;
    mode: "offline" | "live";
    days: number;
    now: Date;
    plan: PlanDocument;
    outputs: StackOutputs;
    bootstrap?: BootstrapOutputs;
    tables: TableRows[];
    notes?: string[];
}

interface Edge {
    grant: PlanGrant;
    resource: string;
    principalId?: string;
    /** The real scope, lowercased, from the role assignment's resource ID. */
    scopeId?: string;
    assignment: string | null;
    service?: DataEvent["service"];
}

/** The read-only role for a role that also writes, within the same service. */
export const readRoleFor: Record<string, string> = {
    "Storage Blob Data Contributor": "Storage Blob Data Reader",
    "Storage Blob Data Owner": "Storage Blob Data Reader",
    "Storage Queue Data Contributor": "Storage Queue Data Reader",
    "Storage Queue Data Message Processor": "Storage Queue Data Reader",
    "Storage Table Data Contributor": "Storage Table Data Reader",
    "Key Vault Secrets Officer": "Key Vault Secrets User",
    "Key Vault Administrator": "Key Vault Reader",
};

function serviceOfRole(role: string): DataEvent["service"] | undefined {
    if (role.startsWith("Storage Blob")) return "blob";
    if (role.startsWith("Storage Queue")) return "queue";
    if (role.startsWith("Storage Table")) return "table";
    if (/^Key Vault (Secrets|Crypto|Certificates|Administrator)/.test(role)) return "vault";
    return undefined;
}

const assignmentSuffix = /\/providers\/Microsoft\.Authorization\/roleAssignments\/([0-9a-f-]{36})$/i;

function edgesOf(plan: PlanDocument, outputs: StackOutputs): Edge[] {
    return plan.grants.map((grant) => {
        const resource = grant.urn.split("::").pop() ?? grant.urn;
        const id = outputs.roleAssignmentIds[resource];
        const match = id ? assignmentSuffix.exec(id) : null;
        return {
            grant,
            resource,
            principalId: outputs.identityPrincipalIds[grant.identity]?.toLowerCase(),
            scopeId: match ? id.slice(0, match.index).toLowerCase() : undefined,
            assignment: match ? match[1].toLowerCase() : null,
            service: serviceOfRole(grant.role),
        };
    });
}

function covers(edge: Edge, event: DataEvent): boolean {
    return (
        edge.principalId === event.principalId &&
        edge.service === event.service &&
        edge.scopeId !== undefined &&
        (event.objectId === edge.scopeId || event.objectId.startsWith(`${edge.scopeId}/`))
    );
}

function latest(times: string[]): string | null {
    return times.length === 0 ? null : times.reduce((a, b) => (a > b ? a : b));
}

function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

const childKinds = new Set(["container", "queue", "table", "secret"]);

function grantFindings(edge: Edge, use: GrantUse): ReviewFinding[] {
    const { grant } = edge;
    const where = `${grant.role} on ${grant.scope.kind} ${grant.scope.name}`;
    if (use.status === "unused") {
        const remedy = grant.origin === "config" ? "remove it from the stack config" : "it comes from a component; check that the workload still needs it";
        return [{ kind: "unused-grant", identity: grant.identity, resource: edge.resource, message: `${grant.identity}: ${where} was not used in the window; ${remedy}.`, suggestion: grant.origin === "config" ? { remove: true } : undefined, count: 0, last: null }];
    }
    if (use.status !== "used") {
        return [];
    }
    const findings: ReviewFinding[] = [];
    const readRole = readRoleFor[grant.role];
    if (use.readsOnly && readRole) {
        findings.push({ kind: "read-only-use", identity: grant.identity, resource: edge.resource, message: `${grant.identity}: ${where} was used only to read (${use.operations.join(", ")}); ${readRole} is enough.`, suggestion: { role: readRole }, count: use.count, last: use.lastUse });
    }
    if (!childKinds.has(grant.scope.kind) && use.objects.length === 1 && !use.objects[0].startsWith("account ") && !use.objects[0].startsWith("vault ")) {
        findings.push({ kind: "narrower-scope", identity: grant.identity, resource: edge.resource, message: `${grant.identity}: ${where} was used on one ${use.objects[0]} only; grant it on that ${use.objects[0].split(" ")[0]}.`, suggestion: { scope: use.objects[0] }, count: use.count, last: use.lastUse });
    }
    return findings;
}

export function review(input: ReviewInput): ReviewDocument {
    const from = new Date(input.now.getTime() - input.days * 86400000).toISOString();
    const inWindow = (row: LogRow) => str(row.TimeGenerated) >= from && str(row.TimeGenerated) <= input.now.toISOString();
    const rows: Record<string, LogRow[]> = Object.fromEntries(input.tables.map(({ table, rows: tableRows }) => [table.name, tableRows.filter(inWindow)]));
    const edges = edgesOf(input.plan, input.outputs);
    const events = dataEvents(rows);
    const principals = new Map(Object.entries(input.outputs.identityPrincipalIds).map(([name, id]) => [id.toLowerCase(), name]));
    const deployers = new Set((input.bootstrap?.deployPrincipalIds ?? []).map((id) => id.toLowerCase()));
    const findings: ReviewFinding[] = [];
    const notes = [...(input.notes ?? [])];
    const missing = new Set(input.tables.filter(({ table }) => table.status === "missing").map(({ table }) => table.name));
    const serviceTable: Record<DataEvent["service"], string> = { blob: "StorageBlobLogs", queue: "StorageQueueLogs", table: "StorageTableLogs", vault: "AZKVAuditLogs" };

    const uses = new Map<Edge, GrantUse>();
    for (const edge of edges) {
        const used = events.filter((event) => event.status !== 403 && covers(edge, event));
        const reviewable = edge.service !== undefined && edge.principalId !== undefined && edge.scopeId !== undefined && !missing.has(serviceTable[edge.service]);
        uses.set(edge, {
            resource: edge.resource,
            role: edge.grant.role,
            scope: { kind: edge.grant.scope.kind, name: edge.grant.scope.name, id: edge.scopeId ?? null },
            assignment: edge.assignment,
            status: !reviewable ? "not-reviewed" : used.length > 0 ? "used" : "unused",
            count: used.length,
            lastUse: latest(used.map((event) => event.time)),
            operations: [...new Set(used.map((event) => event.operation))].sort(),
            objects: [...new Set(used.map((event) => event.objectLabel))].sort(),
            readsOnly: used.length > 0 && used.every((event) => event.read),
        });
    }
    const notReviewed = [...uses.values()].filter((use) => use.status === "not-reviewed").map((use) => `${use.role} (${use.resource})`);
    if (notReviewed.length > 0) {
        notes.push(`Not reviewed (no data-plane table in the review for the service, its table is missing, or the outputs lack its IDs): ${notReviewed.join("; ")}.`);
    }
    for (const [edge, use] of uses) {
        findings.push(...grantFindings(edge, use));
    }

    // Denied requests by the stack's identities: no grant covers the object, or one does and something else refused.
    const denied = new Map<string, DataEvent[]>();
    for (const event of events.filter((candidate) => candidate.status === 403 && principals.has(candidate.principalId))) {
        const key = `${event.principalId}|${event.objectId}|${event.operation}`;
        denied.set(key, [...(denied.get(key) ?? []), event]);
    }
    for (const group of denied.values()) {
        const event = group[0];
        const identity = principals.get(event.principalId)!;
        const holder = edges.find((edge) => covers(edge, event));
        const message = holder
            ? `${identity}: ${group.length} ${event.operation} on ${event.objectLabel} refused (403 ${event.detail}) although it holds ${holder.grant.role} on ${holder.grant.scope.kind} ${holder.grant.scope.name}: the target is likely unreachable (firewall or private endpoint); check the plan's network settings.`
            : `${identity}: ${group.length} ${event.operation} on ${event.objectLabel} refused (403 ${event.detail}): no grant covers it; add one only if the workload needs it.`;
        findings.push({ kind: "denied-request", identity, principalId: event.principalId, message, count: group.length, last: latest(group.map((item) => item.time)) });
    }

    // Sign-ins: counted per declared identity; a managed identity nobody declares is a finding.
    const signIns = new Map<string, string[]>();
    const undeclared = new Map<string, { name: string; times: string[] }>();
    for (const row of rows.AADManagedIdentitySignInLogs ?? []) {
        const id = str(row.ServicePrincipalId).toLowerCase();
        if (principals.has(id)) {
            signIns.set(id, [...(signIns.get(id) ?? []), str(row.TimeGenerated)]);
        } else if (!deployers.has(id)) {
            const entry = undeclared.get(id) ?? { name: str(row.ServicePrincipalName) || id, times: [] };
            entry.times.push(str(row.TimeGenerated));
            undeclared.set(id, entry);
        }
    }
    for (const [id, entry] of undeclared) {
        findings.push({ kind: "undeclared-identity", principalId: id, message: `Managed identity ${entry.name} (${id}) signed in ${entry.times.length} time(s) but stack ${input.stack} and the bootstrap declare no such identity.`, count: entry.times.length, last: latest(entry.times) });
    }

    if (!input.bootstrap) {
        notes.push("Control-plane writes and deploy sign-ins were not checked: pass --bootstrap-outputs (the bootstrap stack's `pulumi stack output --json`).");
    } else {
        const group = input.outputs.resourceGroupName?.toLowerCase();
        const changes = new Map<string, LogRow[]>();
        for (const row of rows.AzureActivity ?? []) {
            const operation = str(row.OperationNameValue);
            const succeeded = /^succe/i.test(str(row.ActivityStatusValue));
            const administrative = str(row.CategoryValue) === "Administrative";
            const write = /\/(write|delete|action)$/i.test(operation);
            if (!succeeded || !administrative || !write || (group && str(row.ResourceGroup).toLowerCase() !== group) || deployers.has(str(row.Caller).toLowerCase())) {
                continue;
            }
            const key = `${str(row.Caller)}|${operation}|${str(row._ResourceId)}`;
            changes.set(key, [...(changes.get(key) ?? []), row]);
        }
        for (const group of changes.values()) {
            const row = group[0];
            findings.push({ kind: "outside-change", principalId: str(row.Caller), message: `${str(row.Caller)} ran ${str(row.OperationNameValue)} on ${str(row._ResourceId) || str(row.ResourceGroup)} ${group.length} time(s), outside the deploy identity: a change Pulumi did not make.`, count: group.length, last: latest(group.map((item) => str(item.TimeGenerated))) });
        }
        const known = new Set(input.bootstrap.federatedCredentialIds.flatMap((id) => [id.toLowerCase(), id.toLowerCase().split("/").pop()!]));
        if (known.size === 0) {
            notes.push("Deploy sign-ins were not matched to federated credentials: the bootstrap outputs hold no federatedCredentialIds.");
        } else {
            const unknown = new Map<string, LogRow[]>();
            for (const row of [...(rows.AADManagedIdentitySignInLogs ?? []), ...(rows.AADServicePrincipalSignInLogs ?? [])]) {
                const credential = str(row.FederatedCredentialId).toLowerCase();
                if (credential && deployers.has(str(row.ServicePrincipalId).toLowerCase()) && !known.has(credential) && !known.has(credential.split("/").pop()!)) {
                    unknown.set(credential, [...(unknown.get(credential) ?? []), row]);
                }
            }
            for (const [credential, group] of unknown) {
                findings.push({ kind: "unknown-federated-credential", principalId: str(group[0].ServicePrincipalId), message: `The deploy identity ${str(group[0].ServicePrincipalName) || str(group[0].ServicePrincipalId)} signed in ${group.length} time(s) through federated credential ${credential}, which the bootstrap stack did not create.`, count: group.length, last: latest(group.map((item) => str(item.TimeGenerated))) });
            }
        }
    }

    const identities: ReviewIdentity[] = input.plan.identities.map((identity) => {
        const principalId = input.outputs.identityPrincipalIds[identity.name]?.toLowerCase() ?? null;
        const times = principalId ? signIns.get(principalId) ?? [] : [];
        return {
            name: identity.name,
            kind: identity.kind,
            principalId,
            signIns: times.length,
            lastSignIn: latest(times),
            grants: edges.filter((edge) => edge.grant.identity === identity.name).map((edge) => uses.get(edge)!),
        };
    });
    const unexported = identities.filter((identity) => identity.principalId === null).map((identity) => identity.name);
    if (unexported.length > 0) {
        notes.push(`No principal ID in the outputs for ${unexported.join(", ")}: their logs are not matched.`);
    }
    return {
        schemaVersion: reviewSchemaVersion,
        stack: input.stack,
        mode: input.mode,
        window: { days: input.days, from, to: input.now.toISOString() },
        tables: input.tables.map(({ table }) => table),
        identities,
        findings,
        notes,
    };
}
