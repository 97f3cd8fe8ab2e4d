import { NameKind, nameRules } from "../../infra/shared/naming";
import { vaultSuffixLength } from "../../infra/keyvault/Vault";
import { storageSuffixLength } from "../../infra/storage/KeylessStorage";

/**
 * The names stack config gives to resources, checked against what Azure accepts for the physical name Keyless
 * derives from them (`kv-<name>-<suffix>`, `st<name><suffix>`, ...). The limits come from the naming rules in
 * `infra/shared/naming.ts`, so that a config name is never cut short: two names that only differ past the cut
 * would collide.
 */
interface ConfigNameRule {
    /** What Azure itself accepts, in words, for the message. */
    azure: string;
    pattern: RegExp;
    maxLength: number;
    /** What the config name may hold, in words. */
    expected: string;
}

/** Random suffixes the components add to globally unique names (see globalName and the Vault and storage components). */
const globalSuffixLength = 6;

function room(kind: NameKind, suffixLength: number): number {
    const rule = nameRules[kind];
    const separator = "alphanumericOnly" in rule && rule.alphanumericOnly ? 0 : suffixLength > 0 ? 1 : 0;
    return rule.maxLength - rule.prefix.length - separator - suffixLength;
}

const dnsLike = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const alphanumeric = /^[a-z][a-z0-9]*$/;

function dnsRule(kind: NameKind, suffixLength: number, azure: string): ConfigNameRule {
    const max = room(kind, suffixLength);
    return { azure, pattern: dnsLike, maxLength: max, expected: `1-${max} lowercase letters, digits and single hyphens, starting with a letter` };
}

function alphanumericRule(kind: NameKind, suffixLength: number, azure: string): ConfigNameRule {
    const max = room(kind, suffixLength);
    return { azure, pattern: alphanumeric, maxLength: max, expected: `1-${max} lowercase letters and digits, starting with a letter` };
}

/** Rules by config section. Workloads and identities share the project's general rule. */
export const configNameRules = {
    vaults: dnsRule("vault", vaultSuffixLength, `Key Vault names are 3-24 letters, digits and hyphens, globally unique; Keyless adds "kv-" and a ${vaultSuffixLength}-character suffix`),
    storage: alphanumericRule("storageAccount", storageSuffixLength, `storage account names are 3-24 lowercase letters and digits, globally unique; Keyless adds "st" and a ${storageSuffixLength}-character suffix`),
    registries: alphanumericRule("containerRegistry", globalSuffixLength, `registry names are 5-50 letters and digits, globally unique; Keyless adds "cr" and a ${globalSuffixLength}-character suffix`),
    serviceBus: dnsRule("serviceBusNamespace", globalSuffixLength, `Service Bus namespaces are 6-50 letters, digits and hyphens, globally unique; Keyless adds "sbns-" and a ${globalSuffixLength}-character suffix`),
    eventHubs: dnsRule("eventHubsNamespace", globalSuffixLength, `Event Hubs namespaces are 6-50 letters, digits and hyphens, globally unique; Keyless adds "evhns-" and a ${globalSuffixLength}-character suffix`),
    sqlServers: dnsRule("sqlServer", globalSuffixLength, `SQL server names are 1-63 lowercase letters, digits and hyphens, globally unique; Keyless adds "sql-" and a ${globalSuffixLength}-character suffix`),
    identities: { azure: "Keyless names identities id-<name>", pattern: dnsLike, maxLength: 24, expected: "3-24 lowercase letters, digits and single hyphens, starting with a letter" },
    workloads: { azure: "workload names become part of every child resource's name", pattern: dnsLike, maxLength: 24, expected: "3-24 lowercase letters, digits and single hyphens, starting with a letter" },
    subnets: { azure: "subnet names are 1-80 characters", pattern: dnsLike, maxLength: 24, expected: "1-24 lowercase letters, digits and single hyphens, starting with a letter" },
} satisfies Record<string, ConfigNameRule>;

export type NamedSection = keyof typeof configNameRules;

const minimumLength: Partial<Record<NamedSection, number>> = { identities: 3, workloads: 3 };

/** Why a name in `section` would be refused, with the rule stated; undefined when it is fine. */
export function configNameProblem(section: NamedSection, name: string): string | undefined {
    const rule: ConfigNameRule = configNameRules[section];
    const min = minimumLength[section] ?? 1;
    if (name.length >= min && name.length <= rule.maxLength && rule.pattern.test(name)) {
        return undefined;
    }
    return `name "${name}" is not valid here; expected ${rule.expected} (${rule.azure})`;
}
