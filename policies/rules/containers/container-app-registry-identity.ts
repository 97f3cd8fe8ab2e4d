import { classic } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const containerAppRegistryIdentity: ResourceRule = {
    name: "container-app-registry-identity",
    description: "Container apps and jobs pull images with a managed identity, not a registry username and password.",
    severity: "high",
    remediation:
        "Set `configuration.registries[].identity` to the attached user-assigned identity's resource ID (or \"system\") and grant it AcrPull; " +
        "drop `username` and `passwordSecretRef`.",
    anchors: {},
    builtins: [],
    mcsb: ["IM-3"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "A registry password stored as an app secret is a standing credential; Container Apps pull with an identity holding AcrPull instead.",
    resourceTypes: [types.containerApp, types.containerAppJob, classic.containerApp],
    check(resource) {
        // The classic provider keeps registries at the top level and names the secret `passwordSecretName`.
        const isClassic = resource.type === classic.containerApp;
        const root = isClassic ? "registries" : "configuration.registries";
        const passwordKey = isClassic ? "passwordSecretName" : "passwordSecretRef";
        const registries = read(resource.props, root);
        if (!Array.isArray(registries)) {
            return [];
        }
        return registries.flatMap((_registry, index): Violation[] => {
            const path = `${root}[${index}]`;
            const identity = read(resource.props, `${path}.identity`);
            const password = read(resource.props, `${path}.${passwordKey}`);
            if (isUnknown(identity) || isUnknown(password)) {
                return [];
            }
            if (typeof password === "string" && password.length > 0) {
                return [violation(resource, `${path}.${passwordKey}`, `pulls with a registry password; set identity to a managed identity with AcrPull and remove username and ${passwordKey}.`)];
            }
            return typeof identity === "string" && identity.length > 0
                ? []
                : [violation(resource, `${path}.identity`, "is not set; pull with a managed identity holding AcrPull.")];
        });
    },
};
