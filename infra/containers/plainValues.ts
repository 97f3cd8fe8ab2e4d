import * as pulumi from "@pulumi/pulumi";

/**
 * A deliberately simple credential check for values that end up in clear text (container environment
 * variables, workflow headers): connection-string keys, SAS signatures and names that announce a secret.
 * Messages never repeat the value, only the name and the marker found.
 */
const valueMarkers: { pattern: RegExp; label: string }[] = [
    { pattern: /AccountKey\s*=/i, label: "AccountKey=" },
    { pattern: /SharedAccessKey\s*=/i, label: "SharedAccessKey=" },
    { pattern: /(^|[;\s])(Password|Pwd)\s*=/i, label: "Password=" },
    // `sig=` as a query or connection-string parameter, not inside a word such as "design=".
    { pattern: /(^|[?&;\s])sig=/i, label: "sig=" },
];

const secretNamePattern =
    /(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|ACCOUNT_?KEY|PRIVATE_?KEY|SHARED_?ACCESS|CONNECTION_?STRING|CONN_?STR|CREDENTIAL)/;

/** Names that look secret but are not: Application Insights connection strings are identifiers (Microsoft says so). */
const knownNonSecretNames = new Set(["APPLICATIONINSIGHTS_CONNECTION_STRING"]);

/** The credential marker found in `value`, if any. */
export function credentialMarker(value: string): string | undefined {
    return valueMarkers.find((marker) => marker.pattern.test(value))?.label;
}

/** True when a setting name announces a secret (`DB_PASSWORD`, `ApiKey`, `STORAGE_CONNECTION_STRING`). */
export function isSecretLookingName(name: string): boolean {
    const normalized = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    return !knownNonSecretNames.has(normalized) && secretNamePattern.test(normalized);
}

/**
 * Why a clear-text setting would carry a credential, or undefined when it looks fine. `key` names the input in
 * the message (for example `ContainerGroup "api" env.DB_PASSWORD`); the value is never repeated.
 */
export function plainValueProblem(key: string, name: string, value: string, remedy: string): string | undefined {
    if (isSecretLookingName(name)) {
        return `${key}: the name looks like a secret, and plain values are stored and shown in clear text. ${remedy}`;
    }
    const marker = credentialMarker(value);
    if (marker) {
        return `${key}: the value contains "${marker}", which marks a credential (a key, password or SAS signature). ${remedy}`;
    }
    return undefined;
}

/**
 * Checks a plain value that may still be an Output: strings at once (throwing), Outputs when they resolve.
 * A resolved Pulumi secret is refused too, because a plain setting would show it in clear text in Azure.
 */
export function checkedPlainValue(key: string, name: string, value: pulumi.Input<string>, remedy: string): pulumi.Input<string> {
    if (!pulumi.Output.isInstance(value)) {
        if (typeof value !== "string") {
            throw new Error(`${key} must be a string; got ${value === null ? "null" : typeof value}.`);
        }
        const problem = plainValueProblem(key, name, value, remedy);
        if (problem) {
            throw new Error(problem);
        }
        return value;
    }
    const output = value as pulumi.Output<string>;
    return pulumi.all([output, pulumi.output(pulumi.isSecret(output))]).apply(([resolved, secret]) => {
        if (secret) {
            throw new Error(`${key} resolved to a Pulumi secret, which a plain setting would show in clear text. ${remedy}`);
        }
        const problem = plainValueProblem(key, name, String(resolved), remedy);
        if (problem) {
            throw new Error(problem);
        }
        return resolved;
    });
}
