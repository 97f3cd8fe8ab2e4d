/** The kinds of credential the detector recognises. Consumers switch on these names; keep them stable. */
export type SecretKind =
    | "storage-account-key"
    | "storage-connection-string"
    | "sas-token"
    | "shared-access-key"
    | "cosmos-db-key"
    | "redis-password"
    | "database-connection-string"
    | "entra-client-secret"
    | "function-key"
    | "search-key"
    | "container-registry-key"
    | "api-management-key"
    | "ai-services-key"
    | "azure-service-key"
    | "private-key"
    | "jwt"
    | "github-token"
    | "npm-token"
    | "aws-access-key"
    | "aws-secret-key"
    | "slack-token"
    | "provider-token"
    | "http-credentials"
    | "url-credentials"
    | "generic-secret";

export const secretKinds: readonly SecretKind[] = [
    "storage-account-key",
    "storage-connection-string",
    "sas-token",
    "shared-access-key",
    "cosmos-db-key",
    "redis-password",
    "database-connection-string",
    "entra-client-secret",
    "function-key",
    "search-key",
    "container-registry-key",
    "api-management-key",
    "ai-services-key",
    "azure-service-key",
    "private-key",
    "jwt",
    "github-token",
    "npm-token",
    "aws-access-key",
    "aws-secret-key",
    "slack-token",
    "provider-token",
    "http-credentials",
    "url-credentials",
    "generic-secret",
];

export interface SecretFinding {
    kind: SecretKind;
    /** What was found, in words. Never contains any part of the secret. */
    description: string;
    /** masked, never more than 4 chars of the secret */
    masked: string;
    /** Offsets into the scanned text of the part that must be redacted (the key itself, not the whole connection string). */
    start: number;
    end: number;
}

export interface DetectOptions {
    /** Name of the field or setting that holds the text; enables the keyword-plus-entropy rule. */
    key?: string;
}

/** A finding in a structured value. `start`/`end` index the string at `path` (the decoded text for `<base64>`). */
export interface PathFinding extends SecretFinding {
    /**
     * Where the string sits: `properties.siteConfig.appSettings[2].value`; `<json>`, `<yaml>` and `<base64>` mark a
     * string that was parsed or decoded, e.g. `settings<json>.db.password`, `osProfile.customData<base64>`.
     */
    path: string;
}

export interface ScanValueOptions {
    /** Prefix for every reported path. Defaults to "". */
    rootPath?: string;
    /** Values for which this returns true are skipped (preview unknowns). `undefined` is always skipped. */
    isUnknown?: (v: unknown) => boolean;
    /** Subtrees whose path makes this return true are not walked. */
    skipPaths?: (path: string) => boolean;
}
