import { classic } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const containerAppSecretsKeyVault: ResourceRule = {
    name: "container-app-secrets-keyvault",
    description: "Container app and job secrets are Key Vault references read with a managed identity, not values stored in the app.",
    severity: "high",
    remediation: "Give each `configuration.secrets[]` entry a `keyVaultUrl` and an `identity` (resource ID or \"system\") with Key Vault Secrets User, instead of `value`.",
    anchors: {},
    builtins: [],
    mcsb: ["IM-8"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "A secret value stored on the app is readable by anyone with Contributor and lands in state; a Key Vault reference keeps it in the vault.",
    resourceTypes: [types.containerApp, types.containerAppJob, classic.containerApp],
    check(resource) {
        // The classic provider keeps secrets at the top level and names the reference `keyVaultSecretId`.
        const isClassic = resource.type === classic.containerApp;
        const root = isClassic ? "secrets" : "configuration.secrets";
        const urlKey = isClassic ? "keyVaultSecretId" : "keyVaultUrl";
        const secrets = read(resource.props, root);
        if (!Array.isArray(secrets)) {
            return [];
        }
        return secrets.flatMap((secret, index): Violation[] => {
            const path = `${root}[${index}]`;
            const url = read(secret, urlKey);
            const identity = read(secret, "identity");
            const name = read(secret, "name");
            const label = typeof name === "string" ? `secret "${name}"` : "the secret";
            if (isUnknown(url) || isUnknown(identity)) {
                return [];
            }
            if (typeof url !== "string" || url.length === 0) {
                return [violation(resource, `${path}.${urlKey}`, `is not set, so ${label} is stored in the app; reference a Key Vault secret instead.`)];
            }
            return typeof identity === "string" && identity.length > 0
                ? []
                : [violation(resource, `${path}.identity`, `is not set, so ${label} cannot be read from Key Vault; name the identity that holds Key Vault Secrets User.`)];
        });
    },
};
