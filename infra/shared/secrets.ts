import * as pulumi from "@pulumi/pulumi";

/**
 * The policy engine receives secrets unwrapped, so only the program can tell a Pulumi secret from a literal.
 * Inputs that carry a credential go through here: a plain string is refused at once, and an Output that is not
 * marked secret fails when its value resolves, naming the input either way.
 */
export function requireSecretInput(inputName: string, value: unknown): pulumi.Output<string> {
    if (!pulumi.Output.isInstance(value)) {
        throw new Error(
            `${inputName} must be a Pulumi secret (from config.requireSecret, a secure: stack value, or a @pulumi/random value); ` +
                `got a plain ${value === undefined ? "undefined" : typeof value}, which would be stored and shown in clear text.`,
        );
    }
    const output = value as pulumi.Output<string>;
    const secretness = pulumi.output(pulumi.isSecret(output));
    return pulumi.secret(
        pulumi.all([output, secretness]).apply(([resolved, isSecret]) => {
            if (!isSecret) {
                throw new Error(
                    `${inputName} must be a Pulumi secret; it resolved to a value that is not marked secret. ` +
                        `Wrap it with pulumi.secret() or read it with config.requireSecret().`,
                );
            }
            return resolved;
        }),
    );
}
