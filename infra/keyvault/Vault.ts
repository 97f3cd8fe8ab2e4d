import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as random from "@pulumi/random";
import { GrantTarget } from "../access/grants";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { isGuid, physicalName } from "../shared/naming";
import { declarePrivateEndpoints, PrivateEndpointArgs, privateEndpointProblems } from "../network/privateEndpoints";
import { NetworkAccessArgs, resolveNetworkAccess } from "../shared/network";
import { Problems, ProblemsError } from "../shared/problems";
import { Tags } from "../shared/tags";
import { KeyVaultForKeys } from "./customerManagedKey";
import { isVaultSecretName, secretSourceProblems, VaultSecretSource } from "./secretSource";
import { keyVaultReference, VaultRef, VaultSecret } from "./VaultSecret";

export type VaultSku = "standard" | "premium";

export interface VaultArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Entra ID tenant that authenticates requests. Defaults to the deployer's tenant (authorization.getClientConfig). */
    tenantId?: pulumi.Input<string>;
    /** Defaults to `standard`; `premium` adds HSM-backed keys. */
    sku?: VaultSku;
    /**
     * Network reach. Defaults to no public access (private endpoints only). Listing `allowedIps` or
     * `allowedSubnetIds` enables the public endpoint for exactly those, with the firewall denying the rest;
     * `allowAllNetworks` (dev stacks, runners without fixed addresses) admits every network, and every call
     * still needs an Entra token and a Key Vault role.
     */
    network?: NetworkAccessArgs;
    /**
     * Private endpoints: `{ subnet, service?, privateDnsZone? }` each, with the DNS zone group and, unless an
     * existing zone ID is passed, the `privatelink.*` zone linked to the subnet's network. Defaults to none.
     */
    privateEndpoints?: PrivateEndpointArgs[];
    /**
     * Secrets to create, by Key Vault object name. Values are generated or Pulumi secrets, never literals.
     * Defaults to none. More can be added later with `addSecret` / `storeSecret`.
     */
    secrets?: Record<string, VaultSecretSource>;
    /** A management lock on the vault. Defaults to none. */
    lock?: LockArgs;
    /**
     * Sets Pulumi's `protect` option on the vault, so that `pulumi destroy` refuses to delete it. Use in prod:
     * a deleted vault keeps its name for the 90-day retention period and loses its role assignments on recovery.
     * Defaults to false.
     */
    protect?: boolean;
    /** Send logs to Log Analytics. Defaults to off; categories default to `AuditEvent` (who read which secret). */
    diagnostics?: DiagnosticsArgs;
    tags?: Tags;
}

/** Soft-delete retention, the maximum Azure allows; it cannot be changed after the vault is created. */
export const vaultSoftDeleteRetentionDays = 90;
/** Random suffix length: vault names are global and a soft-deleted name stays taken for the retention period. */
export const vaultSuffixLength = 5;

const vaultNamePattern = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

/** True for a valid Key Vault name: 3-24 characters, letters, digits and single hyphens, starting with a letter. */
export function isVaultName(value: string): boolean {
    return vaultNamePattern.test(value) && !value.includes("--");
}

/**
 * A Key Vault that authorizes data access through Azure RBAC only, with purge protection and 90-day soft delete,
 * closed to public networks unless allowances (or all networks) are asked for. Access policies cannot be set through it.
 */
export class Vault extends pulumi.ComponentResource implements VaultRef, KeyVaultForKeys {
    /** Logical name; labels grants and child resources. */
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly vaultName: pulumi.Output<string>;
    /** `https://<name>.vault.azure.net/` */
    public readonly vaultUri: pulumi.Output<string>;
    public readonly resourceGroupName: pulumi.Input<string>;
    public readonly tenantId: pulumi.Output<string>;
    /** Always on: the vault can hold customer-managed keys (see `customerManagedKey` on the data services). */
    public readonly purgeProtection = true;
    public readonly softDelete = true;
    public readonly diagnosticSetting?: pulumi.Resource;
    private readonly tags?: Tags;
    private readonly managed = new Map<string, VaultSecret>();

    constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = `Vault "${name}"`;
        const problems = new Problems(owner);
        if ("accessPolicies" in (args as object)) {
            problems.add("accessPolicies are not supported; the vault uses Azure RBAC only. Grant a Key Vault role to an identity instead.");
        }
        if (args.sku !== undefined && args.sku !== "standard" && args.sku !== "premium") {
            problems.add(`sku must be "standard" or "premium"; got ${JSON.stringify(args.sku)}.`);
        }
        if (typeof args.tenantId === "string" && !isGuid(args.tenantId)) {
            problems.add(`tenantId must be a GUID; got "${args.tenantId}".`);
        }
        if (args.protect !== undefined && typeof args.protect !== "boolean") {
            problems.add(`protect must be true or false; got ${JSON.stringify(args.protect)}.`);
        }
        // The suffix is random but its length is fixed, so the name's shape can be checked now.
        const sample = physicalName("vault", name, "a".repeat(vaultSuffixLength));
        if (!isVaultName(sample)) {
            problems.add(`name "${name}" gives the vault name "${sample}", which Azure refuses; use letters, digits and single hyphens, starting with a letter.`);
        }
        const secrets = Object.entries(args.secrets ?? {});
        for (const [secretName, source] of secrets) {
            const key = `secrets[${JSON.stringify(secretName)}]`;
            problems.addAll(secretSourceProblems({ name: key, source: key }, secretName, source));
        }
        problems.addAll(privateEndpointProblems("vault", args.privateEndpoints));
        const network = problems.resultOf(problems.attempt(() => resolveNetworkAccess(owner, args.network)));
        super("keyless:keyvault:Vault", name, {}, opts);
        this.name = name;
        this.resourceGroupName = args.resourceGroupName;
        this.tags = args.tags;

        const suffix = new random.RandomString(
            `${name}-suffix`,
            { length: vaultSuffixLength, lower: true, numeric: true, upper: false, special: false },
            { parent: this },
        );
        this.tenantId = args.tenantId !== undefined ? pulumi.output(args.tenantId) : authorization.getClientConfigOutput({ parent: this }).tenantId;

        const vault = new keyvault.Vault(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                vaultName: suffix.result.apply((value) => physicalName("vault", name, value)),
                properties: {
                    tenantId: this.tenantId,
                    sku: { family: "A", name: args.sku ?? "standard" },
                    // RBAC only: one place (role assignments) decides who reads what, and reviews can see it.
                    enableRbacAuthorization: true,
                    accessPolicies: [],
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: vaultSoftDeleteRetentionDays,
                    enablePurgeProtection: true,
                    // No platform path reads secrets around RBAC: VM deployment, ARM templates, disk encryption.
                    enabledForDeployment: false,
                    enabledForTemplateDeployment: false,
                    enabledForDiskEncryption: false,
                    publicNetworkAccess: network.publicNetworkAccess,
                    networkAcls: {
                        defaultAction: network.defaultAction,
                        bypass: network.bypass,
                        ipRules: network.ipRules.map((value) => ({ value })),
                        virtualNetworkRules: network.subnetIds.map((id) => ({ id })),
                    },
                },
                tags: args.tags,
            },
            { parent: this, protect: args.protect ?? false },
        );
        this.id = vault.id;
        this.vaultName = vault.name;
        this.vaultUri = vault.properties.apply((properties) => properties.vaultUri);

        for (const [secretName, source] of secrets) {
            this.addSecret(secretName, source);
        }
        declarePrivateEndpoints(name, "vault", vault.id, args.privateEndpoints, { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags }, this);
        lockScope(name, vault.id, args.lock, this);
        this.diagnosticSetting = sendDiagnostics(name, vault.id, args.diagnostics, ["AuditEvent"], this);

        this.registerOutputs({ id: this.id, vaultName: this.vaultName, vaultUri: this.vaultUri });
    }

    /**
     * Creates a secret in this vault from a generated or Pulumi-secret source. Pass `opts.parent` to let the
     * calling component own it (a VM storing its admin password); it defaults to the vault.
     * Throws for a duplicate name, a bad name or a plain-string value, before declaring anything.
     */
    public addSecret(
        secretName: string,
        source: VaultSecretSource,
        opts?: pulumi.ComponentResourceOptions & { contentType?: string },
    ): VaultSecret {
        if (this.managed.has(secretName)) {
            throw new ProblemsError(`Vault "${this.name}"`, [`secrets["${secretName}"] is declared twice; each secret name is used once in a vault.`]);
        }
        const { contentType, ...resourceOptions } = opts ?? {};
        const secret = new VaultSecret(
            `${this.name}-${secretName}`,
            { vault: this, secretName, source, contentType, tags: this.tags },
            { parent: this, ...resourceOptions },
        );
        this.managed.set(secretName, secret);
        return secret;
    }

    /**
     * Stores a value that already exists as a Pulumi secret, e.g. a VM admin password. Same as
     * `addSecret(secretName, { value }, opts)`.
     */
    public storeSecret(
        secretName: string,
        value: pulumi.Output<string>,
        opts?: pulumi.ComponentResourceOptions & { contentType?: string },
    ): VaultSecret {
        return this.addSecret(secretName, { value }, opts);
    }

    /** A secret declared through this component. Throws when the name is unknown. */
    public secret(secretName: string): VaultSecret {
        const secret = this.managed.get(secretName);
        if (!secret) {
            const known = [...this.managed.keys()];
            throw new ProblemsError(`Vault "${this.name}"`, [
                `secrets has no "${secretName}"; declared: ${known.length > 0 ? known.join(", ") : "none"}. ` +
                    `For a secret created outside the program, use referenceForExternal.`,
            ]);
        }
        return secret;
    }

    /** Versionless URI of a declared secret. */
    public secretUri(secretName: string): pulumi.Output<string> {
        return this.secret(secretName).secretUri;
    }

    /**
     * `@Microsoft.KeyVault(SecretUri=<versionless uri>)` for a declared secret, for App Service and Functions
     * settings. It resolves only after the secret exists, so the app never starts with an unresolved reference.
     */
    public referenceFor(secretName: string): pulumi.Output<string> {
        return this.secret(secretName).reference;
    }

    /**
     * A reference to a secret that operators put in this vault outside the program (e.g. a third-party API key).
     * Nothing checks that it exists: an unresolved reference reaches the app as the literal string.
     */
    public referenceForExternal(secretName: string): pulumi.Output<string> {
        if (!isVaultSecretName(secretName)) {
            throw new ProblemsError(`Vault "${this.name}"`, [`secretName must be 1-127 letters, digits or hyphens; got "${secretName}".`]);
        }
        return keyVaultReference(pulumi.interpolate`${this.vaultUri}secrets/${secretName}`);
    }

    /** The vault as a role-grant target (`Key Vault Secrets User` and friends are granted at vault scope). */
    public asTarget(): GrantTarget {
        return { kind: "vault", name: this.name, id: this.id };
    }

    /**
     * One declared secret as a role-grant target: Key Vault RBAC takes assignments at secret scope, so a reader
     * of one secret cannot read the others (https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
     */
    public secretTarget(secretName: string): GrantTarget {
        return { kind: "secret", name: `${this.name}/${secretName}`, id: this.secret(secretName).id };
    }
}
