import { z } from "zod";
import { validateSshPublicKey } from "../../infra/compute/ssh";
import { defaultVmSize } from "../../infra/compute/vmShared";
import { maxFederatedCredentials } from "../../infra/identity/federated";
import { defaultGeneratedLength, maxGeneratedLength, minGeneratedLength, isVaultSecretName } from "../../infra/keyvault/secretSource";
import { isGuid } from "../../infra/shared/naming";
import { ipRuleProblem } from "../../infra/shared/network";
import { parseCidr } from "../../infra/shared/cidr";
import { azureRegions, isAzureRegion, normalizeRegion } from "../../infra/shared/regions";
import { didYouMean } from "./format";
import { entityNameProblem } from "../../infra/messaging/names";
import { storageChildNameProblem, StorageChildKind } from "../../infra/storage/naming";

/**
 * The field schemas that several parts of the stack config share. Every rule that Azure or a component imposes
 * is imported from `infra/`, so that config and components cannot drift apart.
 */

/** A refinement from a function that returns a problem or undefined. */
function checked(problem: (value: string) => string | undefined) {
    return z.string().superRefine((value, ctx) => {
        const message = problem(value);
        if (message) {
            ctx.addIssue({ code: "custom", message });
        }
    });
}

function throwsToProblem(check: (value: string) => unknown): (value: string) => string | undefined {
    return (value) => {
        try {
            check(value);
            return undefined;
        } catch (error) {
            return (error as Error).message;
        }
    };
}

export const region = checked((value) =>
    isAzureRegion(value)
        ? undefined
        : `expected an Azure region name such as westeurope or eastus2${didYouMean(normalizeRegion(value), azureRegions)}`,
).transform(normalizeRegion);

export const cidr = checked(throwsToProblem(parseCidr));

// Vault and storage firewalls share these entries; storage is the stricter of the two.
export const ipOrCidr = checked((value) => ipRuleProblem("allowed IP", value, { refuseHostPrefixes: true }));

export const sshPublicKey = checked(throwsToProblem(validateSshPublicKey));

export const guid = z.string().refine(isGuid, "expected a GUID such as 5b1f2d3c-7a4e-4c1b-9d2e-3f4a5b6c7d8e");

/** A name inside a storage account, by the component's own rule. */
export function storageChildName(kind: StorageChildKind) {
    return checked((value) => storageChildNameProblem(kind, value));
}

/** Service Bus queues and topics, and event hubs, by the messaging components' own rule. */
export function entityName(maxLength: number) {
    return checked((value) => entityNameProblem("name", value, maxLength));
}

export const configKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "expected a config key name such as paymentsApiKey");

export const vaultSecretName = checked((value) => (isVaultSecretName(value) ? undefined : "expected 1-127 letters, digits or '-'"));

/** `VAULT/SECRET`, a secret declared in a vault of this stack. */
export const secretReference = z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9-]+$/, "expected VAULT/SECRET, such as app-secrets/stock-api-key");

/** A Kubernetes DNS label: namespaces and service account names. */
export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "expected a Kubernetes DNS label: lowercase letters, digits and '-'");

/** Azure VM sizes, such as Standard_D2s_v5 or Standard_B2ats_v2. */
export const vmSize = z
    .string()
    .regex(/^(Standard|Basic)_[A-Z]{1,3}[0-9]{1,3}[a-z]*(_[A-Za-z0-9]+)*$/, `expected an Azure VM size such as ${defaultVmSize}`)
    .default(defaultVmSize);

export const appSettingName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "expected an app setting name: letters, digits, '_' or '.'");

const federatedCredential = z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/, "expected letters, digits, '-' or '_'"),
    issuer: z.string().url("expected an https issuer URL"),
    subject: z.string().min(1),
    audiences: z.array(z.string()).optional(),
});

export const identitySchema = z.strictObject({
    federatedCredentials: z
        .array(federatedCredential)
        .max(maxFederatedCredentials, `an identity takes at most ${maxFederatedCredentials} federated credentials`)
        .default([]),
    /** One identity for several workloads; Microsoft's case is the resources of one workload sharing it. Defaults to false. */
    shared: z.boolean().default(false),
});

export const secretSource = z.union([
    z.strictObject({
        generate: z.strictObject({
            length: z
                .number()
                .int()
                .min(minGeneratedLength, `generated secrets are at least ${minGeneratedLength} characters`)
                .max(maxGeneratedLength, `generated secrets are at most ${maxGeneratedLength} characters`)
                .default(defaultGeneratedLength),
            special: z.boolean().default(true),
        }),
    }),
    z.strictObject({ config: configKey }),
]);

export type SecretSourceConfig = z.infer<typeof secretSource>;
