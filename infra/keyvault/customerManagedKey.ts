import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { RoleAssignments } from "../access/RoleAssignments";
import { UserAssignedIdentityRef } from "../identity/identityShape";

/**
 * The one customer-managed key shape every data service takes (`customerManagedKey`), as Azure Verified Modules
 * have it: a key in a vault with purge protection, read by a user-assigned identity that holds Key Vault Crypto
 * Service Encryption User on that key only. Key Vault's rotation policy makes new versions, and each service follows
 * them without a redeploy: most by referencing the key without a version, Azure SQL through its encryption
 * protector's automatic rotation (see `SqlServer`).
 */

/** The vault that holds the key. A `Vault` is one (purge protection and soft delete are always on there). */
export interface KeyVaultForKeys {
    /** Logical name; labels the grant. */
    readonly name: string;
    readonly id: pulumi.Input<string>;
    readonly vaultName: pulumi.Input<string>;
    /** `https://<name>.vault.azure.net/` */
    readonly vaultUri: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure takes a customer-managed key only from a vault with purge protection. */
    readonly purgeProtection: boolean;
    readonly softDelete: boolean;
}

/** The identity that reads the key: a user-assigned one (`ManagedIdentity`), since the service needs the key when it is created. */
export interface EncryptionIdentityRef extends UserAssignedIdentityRef {
    readonly principalId: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
}

export interface AutoRotationArgs {
    /** ISO 8601 duration after which Key Vault makes a new key version. Defaults to `P1Y`. */
    rotateAfter?: string;
    /** ISO 8601 lifetime of each key version; rotation must come first. Defaults to `P2Y`. */
    expiresAfter?: string;
}

export interface CustomerManagedKeyArgs {
    vault: KeyVaultForKeys;
    /** Key name in the vault: 1-127 letters, digits and hyphens. Defaults to `cmk-<service name>`. */
    keyName?: string;
    /** Use a key that already exists in the vault instead of creating it (its rotation policy is then its owner's). Defaults to false. */
    existingKey?: boolean;
    /** The user-assigned identity that reads the key; it gets Key Vault Crypto Service Encryption User on the key only. */
    identity: EncryptionIdentityRef;
    /** The key's rotation policy, for a key created here. Defaults to rotating yearly, each version valid for two years. */
    autoRotation?: AutoRotationArgs;
    /** RSA key size. Defaults to 3072 (SQL TDE takes 2048 or 3072 only). */
    keySize?: 2048 | 3072;
    /** Subscription of the role definition. Defaults to the provider's subscription. */
    subscriptionId?: pulumi.Input<string>;
}

/** What a service writes into its encryption settings; every value resolves only after the key-scope grant exists. */
export interface DeclaredCustomerManagedKey {
    keyName: string;
    /** Versionless key URI (`https://<vault>.vault.azure.net/keys/<key>`), for services that take the whole URI. */
    keyUri: pulumi.Output<string>;
    /** The vault URI, for services that take it apart from the key name. */
    vaultUri: pulumi.Output<string>;
    /**
     * The URI of the key's version current at deploy time (`.../keys/<key>/<version>`), for a service that takes only
     * a versioned URI and follows new versions through a setting of its own (Azure SQL's TDE protector). Read from Key
     * Vault (an invoke) for an existing key, so only a service that needs it calls this.
     */
    currentVersionUri(): pulumi.Output<string>;
    /** The identity's resource ID, once its grant on the key exists: attach and reference the identity through this. */
    identityId: pulumi.Output<string>;
    /** The identity's client ID, once its grant on the key exists (the registry names the identity by it). */
    clientId: pulumi.Output<string>;
    key?: keyvault.Key;
    grant: RoleAssignments;
}

/** The key's rotation policy as the pack reads it. */
export const defaultRotation = { rotateAfter: "P1Y", expiresAfter: "P2Y" } as const;
const roleName = "Key Vault Crypto Service Encryption User";
const keyNamePattern = /^[A-Za-z0-9-]{1,127}$/;
const durationPattern = /^P(?=\d)(\d+Y)?(\d+M)?(\d+D)?$/;

/** Rough days in an ISO 8601 duration of years, months and days; enough to order two of them. */
function durationDays(value: string): number {
    const match = durationPattern.exec(value)!;
    const number = (part: string | undefined) => Number(part?.slice(0, -1) ?? 0);
    return number(match[1]) * 365 + number(match[2]) * 30 + number(match[3]);
}

/** What one service needs of the key besides the shape: its name in messages, and why its SKU cannot take a key. */
export interface KeyServiceRules {
    service: string;
    skuProblem?: string;
}

/**
 * Why `customerManagedKey` would be refused, each problem naming its key; pure, so that components and the stack
 * config run it before anything is declared.
 */
export function customerManagedKeyProblems(args: CustomerManagedKeyArgs | undefined, rules: KeyServiceRules): string[] {
    if (args === undefined) {
        return [];
    }
    const problems: string[] = [];
    if (rules.skuProblem) {
        problems.push(`customerManagedKey ${rules.skuProblem}`);
    }
    const identity = args.identity as Partial<EncryptionIdentityRef> & { systemAssigned?: unknown } | undefined;
    if (!identity || identity.ready === undefined || identity.principalId === undefined || identity.clientId === undefined) {
        const got = identity?.systemAssigned === true ? "a system-assigned identity" : identity === undefined ? "none" : "something else";
        problems.push(
            `customerManagedKey.identity must be a user-assigned identity (a ManagedIdentity); got ${got}. ` +
                `${rules.service} reads the key while it is created, before a system-assigned identity would exist.`,
        );
    }
    const vault = args.vault as Partial<KeyVaultForKeys> | undefined;
    if (!vault || vault.id === undefined || vault.vaultUri === undefined) {
        problems.push(`customerManagedKey.vault must be a Key Vault (a Vault, or { name, id, vaultName, vaultUri, resourceGroupName, purgeProtection, softDelete }).`);
    } else {
        for (const [flag, label] of [["softDelete", "soft delete"], ["purgeProtection", "purge protection"]] as const) {
            if (vault[flag] !== true) {
                problems.push(
                    `customerManagedKey.vault "${vault.name}" has ${label} off; expected a vault with soft delete and purge protection: ` +
                        `Azure takes a customer-managed key only from such a vault, so that deleting the key cannot destroy the data.`,
                );
            }
        }
    }
    if (args.keyName !== undefined && !keyNamePattern.test(args.keyName)) {
        problems.push(`customerManagedKey.keyName must be 1-127 letters, digits and hyphens; got ${JSON.stringify(args.keyName)}.`);
    }
    if (args.keySize !== undefined && args.keySize !== 2048 && args.keySize !== 3072) {
        problems.push(`customerManagedKey.keySize must be 2048 or 3072; got ${JSON.stringify(args.keySize)}.`);
    }
    const rotation = { ...defaultRotation, ...args.autoRotation };
    const bad = (["rotateAfter", "expiresAfter"] as const).filter((key) => typeof rotation[key] !== "string" || !durationPattern.test(rotation[key]));
    bad.forEach((key) => problems.push(`customerManagedKey.autoRotation.${key} must be an ISO 8601 duration such as P90D or P1Y; got ${JSON.stringify(rotation[key])}.`));
    if (bad.length === 0 && durationDays(rotation.rotateAfter) >= durationDays(rotation.expiresAfter)) {
        problems.push(
            `customerManagedKey.autoRotation.rotateAfter (${rotation.rotateAfter}) must come before expiresAfter (${rotation.expiresAfter}): ` +
                `a key version that expires before it is rotated stops the service from reading its data.`,
        );
    }
    if (args.existingKey === true && args.autoRotation !== undefined) {
        problems.push(`customerManagedKey.autoRotation applies to a key created here; an existing key keeps the rotation policy its owner set.`);
    }
    return problems;
}

/** The name a service's key gets when none is given. */
export function defaultKeyName(service: string): string {
    return `cmk-${service.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "")}`.slice(0, 127);
}

/**
 * Declares the key (unless it exists) and the identity's grant on it, as children of `parent`. Check the args with
 * `customerManagedKeyProblems` first. The returned values carry the grant as a dependency, so the service that
 * uses them is created only once its identity can read the key.
 */
export function declareCustomerManagedKey(name: string, args: CustomerManagedKeyArgs, parent: pulumi.Resource): DeclaredCustomerManagedKey {
    const keyName = args.keyName ?? defaultKeyName(name);
    const rotation = { ...defaultRotation, ...args.autoRotation };
    const key = args.existingKey
        ? undefined
        : new keyvault.Key(
              `${name}-cmk`,
              {
                  resourceGroupName: args.vault.resourceGroupName,
                  vaultName: args.vault.vaultName,
                  keyName,
                  properties: {
                      kty: "RSA",
                      keySize: args.keySize ?? 3072,
                      keyOps: ["wrapKey", "unwrapKey"],
                      // Key Vault makes the new version itself (https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation).
                      rotationPolicy: {
                          attributes: { expiryTime: rotation.expiresAfter },
                          lifetimeActions: [
                              { trigger: { timeAfterCreate: rotation.rotateAfter }, action: { type: "rotate" } },
                              { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "notify" } },
                          ],
                      },
                  },
              },
              { parent },
          );
    const keyId = key ? key.id : pulumi.interpolate`${args.vault.id}/keys/${keyName}`;
    const keyUri = key ? key.keyUri : pulumi.interpolate`${args.vault.vaultUri}keys/${keyName}`;
    const grant = new RoleAssignments(
        `${name}-cmk-grant`,
        {
            principalId: args.identity.principalId,
            grants: [{ role: roleName, target: { kind: "key", name: `${args.vault.name}/${keyName}`, id: keyId }, description: `Keyless: ${name} encrypts with key ${keyName}` }],
            subscriptionId: args.subscriptionId,
        },
        { parent },
    );
    // Every value resolves after the identity's own grants and its grant on the key: the service waits for both.
    const after = <T>(value: pulumi.Input<T>) => pulumi.all([value, args.identity.ready, grant.ready]).apply(([resolved]) => resolved as T);
    const currentVersionUri = () =>
        after(
            key
                ? key.keyUriWithVersion
                : keyvault.getKeyOutput({ resourceGroupName: args.vault.resourceGroupName, vaultName: args.vault.vaultName, keyName }, { parent }).keyUriWithVersion,
        );
    return {
        keyName,
        keyUri: after(keyUri),
        vaultUri: after(args.vault.vaultUri),
        currentVersionUri,
        identityId: after(args.identity.ready),
        clientId: after(args.identity.clientId),
        key,
        grant,
    };
}
