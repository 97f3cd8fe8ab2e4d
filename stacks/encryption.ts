import * as pulumi from "@pulumi/pulumi";
import { ManagedIdentity } from "../infra/identity/ManagedIdentity";
import { CustomerManagedKeyArgs } from "../infra/keyvault/customerManagedKey";
import { Vault } from "../infra/keyvault/Vault";
import { LockArgs } from "../infra/shared/locks";
import { StackConfig } from "./config";
import { encryptedServices, KeySection } from "./config/encryption";

/** A data service's `customerManagedKey`, or undefined when the stack leaves it on Microsoft-managed keys. */
export type KeyFor = (section: KeySection, name: string) => CustomerManagedKeyArgs | undefined;

export interface KeyOptions {
    placement: { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> };
    lock?: LockArgs;
    subscriptionId: pulumi.Input<string>;
}

/**
 * One user-assigned identity per encrypted service (`id-cmk-<service>`), each granted its own key only: the least
 * privilege (a shared identity could unwrap every service's key from any service carrying it). The keys live in the
 * vault `hardening.encryption.vault` names.
 */
export function keysFor(config: StackConfig, vaults: Record<string, Vault>, options: KeyOptions): KeyFor {
    const wanted = new Set(encryptedServices(config).map(({ section, name }) => `${section}/${name}`));
    const vault = config.hardening.encryption.vault;
    return (section, name) => {
        if (!wanted.has(`${section}/${name}`) || vault === undefined) {
            return undefined;
        }
        const identity = new ManagedIdentity(`cmk-${name}`, { ...options.placement, lock: options.lock });
        return { vault: vaults[vault], identity, subscriptionId: options.subscriptionId };
    };
}

/** The vault holding the keys admits trusted Azure services: the data services reach it that way for their keys. */
export function holdsKeys(config: StackConfig, vault: string): boolean {
    return config.hardening.encryption.customerManagedKeys && config.hardening.encryption.vault === vault;
}
