import { Problems } from "../../infra/shared/problems";
import { configNamespace, notDeclared } from "./format";
import { Sections } from "./sections";

/**
 * `hardening.encryption`: which data services a stack encrypts with a customer-managed key, and the checks that
 * keep each one deployable. Every encrypted service gets its own key and its own user-assigned identity holding
 * Key Vault Crypto Service Encryption User on that key only: a shared identity would let every service that carries
 * it unwrap every other service's key, and a service can use any identity attached to it.
 */

/** The config sections whose services take a customer-managed key in a stack. */
export const keySections = ["storage", "sqlServers", "serviceBus", "eventHubs"] as const;
export type KeySection = (typeof keySections)[number];

export interface EncryptedService {
    section: KeySection;
    name: string;
}

type EncryptionSections = Pick<Sections, "hardening" | "vaults" | "registries" | KeySection>;

/** The services the stack encrypts with their own key: every one in `keySections` that does not opt out. */
export function encryptedServices(sections: EncryptionSections): EncryptedService[] {
    if (!sections.hardening.encryption.customerManagedKeys) {
        return [];
    }
    return keySections.flatMap((section) =>
        Object.entries(sections[section] as Record<string, { customerManagedKey?: boolean }>)
            .filter(([, spec]) => spec.customerManagedKey !== false)
            .map(([name]) => ({ section, name })),
    );
}

// Service Bus: https://learn.microsoft.com/azure/service-bus-messaging/configure-customer-managed-key
// Event Hubs (Premium or Dedicated; stacks declare no Dedicated cluster): https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key
const premiumOnly = { serviceBus: "Service Bus", eventHubs: "Event Hubs" } as const;

export function checkEncryption(parsed: Partial<Sections>, problems: Problems): void {
    const hardening = parsed.hardening;
    if (!hardening) {
        return;
    }
    const { customerManagedKeys, vault } = hardening.encryption;
    const path = `${configNamespace}.hardening.encryption`;
    const vaults = parsed.vaults;
    if (customerManagedKeys && vault === undefined) {
        problems.add(`${path}.vault: missing; customerManagedKeys needs the vault that holds the keys; expected one of ${Object.keys(vaults ?? {}).join(", ") || "(none declared)"}`);
    } else if (vault !== undefined && vaults && !Object.prototype.hasOwnProperty.call(vaults, vault)) {
        problems.add(notDeclared(`${path}.vault`, "vault", vault, Object.keys(vaults)));
    } else if (vault !== undefined && !customerManagedKeys) {
        problems.add(`${path}.vault: names the key-encryption vault, which only customerManagedKeys: true uses; set customerManagedKeys: true or remove vault`);
    }
    for (const section of [...keySections, "registries"] as const) {
        for (const [name, spec] of Object.entries((parsed[section] ?? {}) as Record<string, { customerManagedKey?: boolean; sku?: string }>)) {
            const prefix = `${configNamespace}.${section}.${name}`;
            if (spec.customerManagedKey === true && !customerManagedKeys) {
                problems.add(`${prefix}.customerManagedKey: takes effect only with hardening.encryption.customerManagedKeys, which names the vault for the keys; set that, or remove this key`);
                continue;
            }
            if (!customerManagedKeys || spec.customerManagedKey === false) {
                continue;
            }
            if (section !== "registries" && Object.prototype.hasOwnProperty.call(parsed.identities ?? {}, `cmk-${name}`)) {
                problems.add(`${configNamespace}.identities.cmk-${name}: the name is taken by the identity that reads ${section}.${name}'s key; give this identity another name`);
            }
            if (section === "registries" && spec.sku !== "Premium") {
                problems.add(`${prefix}.sku: "${spec.sku}" cannot take a customer-managed key (Container Registry encrypts with one on Premium only); expected Premium, or customerManagedKey: false on it`);
            }
            if (section === "registries") {
                // https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys and the registry's
                // "Advanced scenario: Key Vault firewall": user-assigned at creation, system-assigned to pass the firewall.
                problems.add(
                    `${prefix}.customerManagedKey: a registry created with a customer-managed key reads it with a user-assigned identity, but passes a Key Vault firewall ` +
                        `only with its system-assigned identity, so it could not reach vault "${vault}"; expected customerManagedKey: false on it ` +
                        `(Microsoft-managed keys; docs/encryption.md says how to move it to its system-assigned identity after creation)`,
                );
            } else if (section in premiumOnly && spec.sku !== "Premium") {
                const service = premiumOnly[section as keyof typeof premiumOnly];
                problems.add(
                    `${prefix}.sku: "${spec.sku}" cannot take a customer-managed key (${service} encrypts with one on Premium only), and hardening.encryption.customerManagedKeys is on; ` +
                        `expected Premium, or customerManagedKey: false on it`,
                );
            }
        }
    }
}
