import * as pulumi from "@pulumi/pulumi";
import { isSecretKey, PathFinding, scanValue, SecretFinding } from "@keyless/detect";
import { Problems } from "./problems";

/**
 * Checks for values that end up in clear text (app settings, container environment variables, workflow headers),
 * made with the policy pack's own detector, so that a component refuses what the pack would flag before anything is
 * declared. Messages name the input and the kind of credential; a secret shows at most 4 characters (`maskSecret`).
 */

/**
 * The endpoint properties of an identity-based connection (`Storage__accountName`, `Bus__fullyQualifiedNamespace`),
 * as the Functions runtime and the Azure SDK's configuration binding read them, in the order they are written.
 */
export const identityConnectionProperties = [
    "accountName",
    "blobServiceUri",
    "queueServiceUri",
    "tableServiceUri",
    "serviceUri",
    "fullyQualifiedNamespace",
    "accountEndpoint",
] as const;

/** Suffixes of identity-based connection settings: they name an endpoint or an identity, never a credential. */
const identityBasedSuffixes = [...identityConnectionProperties, "credential", "clientId", "tenantId"].map((suffix) => `__${suffix.toLowerCase()}`);

/** Names that read like credentials but hold identifiers (Microsoft documents Application Insights keys as such). */
const knownNonSecretNames = new Set(["applicationinsights_connection_string", "appinsights_instrumentationkey", "azure_token_credentials"]);

/**
 * Words that announce a credential wherever they stand in a name, so `TOKEN_AUDIENCE` or `SQL_CONNECTION_STRING`
 * must be confirmed too. Matched on whole words of the name split at case changes and separators.
 */
const credentialWords =
    /(?:^|_)(?:password|passwd|passphrase|pwd|secrets?|token|credentials?|sas|connection_?string|conn_?str|(?:api|access|account|private|shared_?access)_?key)(?:_|$)/;

/**
 * True when a setting, variable or header name says its value is a credential: what the detector reads as one
 * (`isSecretKey`: `DB_PASSWORD`, `cosmosKey`, `x-functions-key`) or a name that mentions a credential word
 * (`TOKEN_AUDIENCE`, `SQL_CONNECTION_STRING`). Identity-based connection settings (`Storage__accountName`,
 * `Bus__credential`, `Bus__clientId`) and Application Insights names are not.
 */
export function isSecretLikeName(name: string): boolean {
    const lowered = name.toLowerCase();
    if (knownNonSecretNames.has(lowered.replace(/[^a-z0-9]+/g, "_")) || identityBasedSuffixes.some((suffix) => lowered.endsWith(suffix))) {
        return false;
    }
    const words = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_");
    return isSecretKey(name) || credentialWords.test(words);
}

/**
 * The credentials the detector finds in a clear-text `name = value`, read as the policy pack reads app settings and
 * environment variables (a `{ name, value }` pair: the name gives the context, JSON, YAML and base64 values are
 * opened). Key Vault references, GUIDs, URLs without credentials and Application Insights connection strings are
 * not findings.
 */
export function credentialsIn(name: string, value: string): PathFinding[] {
    return scanValue({ name, value }).filter((finding) => finding.path.startsWith("value"));
}

/** `github-token (GitHub token: ghp_…(40 chars))`: the kind, in words, and the masked secret, never more of it. */
export function describeCredentials(findings: readonly SecretFinding[]): string {
    return findings.map((finding) => `${finding.kind} (${finding.description}: ${finding.masked})`).join("; ");
}

/**
 * Why a clear-text value would carry a credential, or undefined when it looks fine. `key` names the input in the
 * message (for example `ContainerGroup "api" env.DB_PASSWORD`); `remedy` says what to do instead.
 */
export function plainValueProblem(key: string, name: string, value: string, remedy: string): string | undefined {
    const findings = credentialsIn(name, value);
    const secretName = isSecretLikeName(name);
    if (findings.length > 0) {
        const named = secretName ? "the name looks like a secret and " : "";
        return `${key}: ${named}the value holds a credential: ${describeCredentials(findings)}. ${remedy}`;
    }
    if (secretName) {
        return `${key}: the name looks like a secret, and plain values are stored and shown in clear text. ${remedy}`;
    }
    return undefined;
}

/**
 * A clear-text value known only at deploy time, checked when it resolves: a Pulumi secret (which would be shown in
 * clear text) or a value with `problems` fails the deployment with one ProblemsError under `subject`, the same
 * format as the checks made before anything is declared. Unknown values (preview) pass through unchecked.
 */
export function checkWhenResolved(
    value: pulumi.Output<string>,
    subject: string,
    secretProblem: string,
    problems: (resolved: string) => string[],
): pulumi.Output<string> {
    return pulumi.all([value, pulumi.output(pulumi.isSecret(value))]).apply(([resolved, isSecret]) => {
        const found = new Problems(subject);
        if (isSecret) {
            found.add(secretProblem);
        } else {
            found.addAll(problems(String(resolved)));
        }
        found.throwIfAny();
        return resolved;
    });
}

/**
 * Checks a clear-text value that may still be an Output: a string at once, an Output when it resolves, either way
 * throwing a ProblemsError under `subject` (a component's own list takes the first through `Problems.attempt`).
 * A resolved Pulumi secret is refused too, because a plain setting would show it in clear text in Azure.
 */
export function checkedPlainValue(subject: string, key: string, name: string, value: pulumi.Input<string>, remedy: string): pulumi.Input<string> {
    const problemsOf = (resolved: string) => {
        const problem = plainValueProblem(key, name, resolved, remedy);
        return problem ? [problem] : [];
    };
    if (pulumi.Output.isInstance(value)) {
        return checkWhenResolved(
            value as pulumi.Output<string>,
            subject,
            `${key} resolved to a Pulumi secret, which a plain setting would show in clear text. ${remedy}`,
            problemsOf,
        );
    }
    const problems = new Problems(subject);
    problems.addAll(typeof value === "string" ? problemsOf(value) : [`${key} must be a string; got ${value === null ? "null" : typeof value}.`]);
    problems.throwIfAny();
    return value;
}
