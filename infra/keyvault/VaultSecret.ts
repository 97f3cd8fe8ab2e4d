import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as random from "@pulumi/random";
import { Problems } from "../shared/problems";
import { requireSecretInput } from "../shared/secrets";
import { Tags } from "../shared/tags";
import { defaultGeneratedLength, GeneratedSecretSource, ProvidedSecretSource, secretSourceProblems, VaultSecretSource } from "./secretSource";

/** The vault a secret is written to: a `Vault` component, or an existing vault named explicitly. */
export interface VaultRef {
    /** Human label used in messages and child resource names, e.g. the Vault component's logical name. */
    readonly name: string;
    /** Physical vault name. */
    readonly vaultName: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
}

export interface VaultSecretArgs {
    vault: VaultRef;
    /** Key Vault object name: 1-127 letters, digits or hyphens. */
    secretName: string;
    source: VaultSecretSource;
    /** Shown in the portal, e.g. `password` or `connection-string`. Defaults to none. */
    contentType?: string;
    tags?: Tags;
}

/** Formats an App Service / Functions Key Vault reference to the latest version of a secret. */
export function keyVaultReference(secretUri: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${secretUri})`;
}

/**
 * One Key Vault secret whose value is generated or arrives as a Pulumi secret; never a literal.
 * A separate component (rather than resources added to the vault after construction) so that another
 * component can own the secret it stores, e.g. a VM storing its admin password, and so that each secret
 * has its own outputs.
 */
export class VaultSecret extends pulumi.ComponentResource {
    public readonly id: pulumi.Output<string>;
    /** The Key Vault object name. */
    public readonly secretName: string;
    /** Versionless URI: Key Vault references through it follow rotations. Known only once the secret exists. */
    public readonly secretUri: pulumi.Output<string>;
    /** `@Microsoft.KeyVault(SecretUri=<versionless uri>)`, for App Service and Functions settings. */
    public readonly reference: pulumi.Output<string>;
    /** The value, always a Pulumi secret, for consumers that need it at deploy time (e.g. a VM admin password). */
    public readonly value: pulumi.Output<string>;

    constructor(name: string, args: VaultSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        const label = `Vault "${args.vault?.name}" secret "${args.secretName}"`;
        const problems = new Problems(label);
        if (!args.vault || typeof args.vault.name !== "string" || args.vault.vaultName === undefined || args.vault.resourceGroupName === undefined) {
            problems.add("vault must give name, vaultName and resourceGroupName (pass the Vault component).");
        }
        problems.addAll(secretSourceProblems({ name: "secretName", source: "source" }, args.secretName, args.source));
        problems.throwIfAny();
        super("keyless:keyvault:VaultSecret", name, {}, opts);

        const source = args.source as Partial<GeneratedSecretSource & ProvidedSecretSource>;
        if (source.generate) {
            const generate = source.generate;
            const password = new random.RandomPassword(
                `${name}-value`,
                {
                    length: generate.length ?? defaultGeneratedLength,
                    special: generate.special ?? true,
                    // Every class present, so generated values pass the usual complexity rules (Windows, SQL).
                    minLower: 1,
                    minUpper: 1,
                    minNumeric: 1,
                    minSpecial: generate.special === false ? 0 : 1,
                },
                { parent: this },
            );
            this.value = pulumi.secret(password.result);
        } else {
            this.value = requireSecretInput(label, "source.value", source.value);
        }

        const secret = new keyvault.Secret(
            name,
            {
                resourceGroupName: args.vault.resourceGroupName,
                vaultName: args.vault.vaultName,
                secretName: args.secretName,
                properties: { value: this.value, contentType: args.contentType },
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = secret.id;
        this.secretName = args.secretName;
        // The URI is not sensitive; unsecret keeps references readable in previews even if the provider
        // carries the value's secretness over to `properties`.
        this.secretUri = pulumi.unsecret(secret.properties.apply((properties) => properties.secretUri));
        this.reference = keyVaultReference(this.secretUri);

        this.registerOutputs({ id: this.id, secretUri: this.secretUri });
    }
}
