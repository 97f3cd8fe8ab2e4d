import { identityFlags, read, sameId, userAssignedIds, violation } from "../../lib/props";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";
import { siteTypes } from "../../lib/tokens";

export const webKeyVaultReferenceIdentity: ResourceRule = {
    name: "web-keyvault-reference-identity",
    description: "A site that has only user-assigned identities names the one Key Vault references use (top-level keyVaultReferenceIdentity).",
    severity: "medium",
    remediation:
        "Set the site's top-level `keyVaultReferenceIdentity` to the resource ID of the attached user-assigned identity that holds " +
        "Key Vault Secrets User (it is not a siteConfig field).",
    anchors: {},
    builtins: [],
    mcsb: ["IM-3", "IM-8"],
    service: "web",
    defaultLevel: "mandatory",
    justification:
        "Key Vault references default to the system-assigned identity; without it they do not resolve and the app silently receives the literal " +
        "reference string, which pushes teams to paste the secret instead.",
    resourceTypes: siteTypes,
    check(resource) {
        const identity = read(resource.props, "identity");
        const flags = identityFlags(identity);
        const reference = read(resource.props, "keyVaultReferenceIdentity");
        if (!flags || !flags.user || isUnknown(reference)) {
            return [];
        }
        if (reference === undefined || reference === null || reference === "") {
            return flags.system
                ? []
                : [violation(resource, "keyVaultReferenceIdentity", "is not set while the site has only user-assigned identities; set it to the identity's resource ID.")];
        }
        if (typeof reference !== "string" || reference.toLowerCase() === "systemassigned") {
            return flags.system ? [] : [violation(resource, "keyVaultReferenceIdentity", "names the system-assigned identity, which this site does not have.")];
        }
        const attached = userAssignedIds(identity);
        if (isUnknown(attached) || attached.some((id) => sameId(id, reference))) {
            return [];
        }
        return [violation(resource, "keyVaultReferenceIdentity", `is ${JSON.stringify(reference)}, which is not one of the site's user-assigned identities.`)];
    },
};
