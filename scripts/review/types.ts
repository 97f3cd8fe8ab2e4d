/**
 * The access review document: what `npm run review -- --format json` prints. `review.schema.json` is its JSON
 * Schema and docs/review.md documents every field. Bump `reviewSchemaVersion` on a change an existing reader could
 * misread (a renamed or retyped field), not on additions.
 */
export const reviewSchemaVersion = 1;

export type FindingKind =
    | "unused-grant"
    | "read-only-use"
    | "narrower-scope"
    | "denied-request"
    | "undeclared-identity"
    | "outside-change"
    | "unknown-federated-credential";

export interface GrantUse {
    /** Logical name of the role assignment (the key of the stack's roleAssignmentIds output). */
    resource: string;
    role: string;
    scope: { kind: string; name: string; id: string | null };
    /** The role assignment's UUID v5 name, from its resource ID; null when the outputs do not hold it. */
    assignment: string | null;
    /** `not-reviewed`: no data-plane table in the review answers for this role's service. */
    status: "used" | "unused" | "not-reviewed";
    count: number;
    lastUse: string | null;
    /** Operation names seen, sorted. */
    operations: string[];
    /** Objects (secrets, containers, queues, tables) the uses touched, as `<scope kind> <name>`. */
    objects: string[];
    readsOnly: boolean;
}

export interface ReviewIdentity {
    name: string;
    kind: string;
    principalId: string | null;
    signIns: number;
    lastSignIn: string | null;
    grants: GrantUse[];
}

export interface ReviewFinding {
    kind: FindingKind;
    /** The identity (plan name) the finding is about; absent for a principal the stack does not declare. */
    identity?: string;
    principalId?: string;
    /** For a finding about one grant: the role assignment's logical name. */
    resource?: string;
    message: string;
    /** What to change, in the stack config's terms, when there is a change to suggest. */
    suggestion?: { role?: string; scope?: string; remove?: boolean };
    count: number;
    last: string | null;
}

export interface ReviewTable {
    name: string;
    /** `read`: rows came back; `missing`: no export file, or the workspace has no such table; `partial`: the service returned partial results. */
    status: "read" | "missing" | "partial";
    rows: number;
    note?: string;
}

export interface ReviewDocument {
    schemaVersion: typeof reviewSchemaVersion;
    stack: string;
    mode: "offline" | "live";
    window: { days: number; from: string; to: string };
    tables: ReviewTable[];
    identities: ReviewIdentity[];
    findings: ReviewFinding[];
    notes: string[];
}

/** Bad input the user can fix: a malformed export, outputs file or option. Exit code 2. */
export class ReviewInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ReviewInputError";
    }
}
