import * as pulumi from "@pulumi/pulumi";
import { ProblemsError } from "./problems";

/** The problem with a credential input that is not an Output at all (so not a Pulumi secret), or undefined. */
export function plainSecretProblem(key: string, value: unknown): string | undefined {
    if (pulumi.Output.isInstance(value)) {
        return undefined;
    }
    return (
        `${key} must be a Pulumi secret (from config.requireSecret, a secure: stack value, or a @pulumi/random value); ` +
        `got a plain ${value === undefined ? "undefined" : typeof value}, which would be stored and shown in clear text.`
    );
}

/**
 * The policy engine receives secrets unwrapped, so only the program can tell a Pulumi secret from a literal.
 * Inputs that carry a credential go through here: a plain string is refused at once, and an Output that is not
 * marked secret fails when its value resolves, naming the input either way: a ProblemsError under `subject` (the
 * component) whose one problem names `key` (the input).
 */
export function requireSecretInput(subject: string, key: string, value: unknown): pulumi.Output<string> {
    const problem = plainSecretProblem(key, value);
    if (problem) {
        throw new ProblemsError(subject, [problem]);
    }
    const output = value as pulumi.Output<string>;
    const secretness = pulumi.output(pulumi.isSecret(output));
    return pulumi.secret(
        pulumi.all([output, secretness]).apply(([resolved, isSecret]) => {
            if (!isSecret) {
                throw new ProblemsError(subject, [
                    `${key} must be a Pulumi secret; it resolved to a value that is not marked secret. ` +
                        `Wrap it with pulumi.secret() or read it with config.requireSecret().`,
                ]);
            }
            return resolved;
        }),
    );
}
