import { classic } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const acrAdminUserDisabled: ResourceRule = {
    name: "acr-admin-user-disabled",
    description: "Container registries keep the admin user off.",
    severity: "high",
    remediation: "Leave `adminUserEnabled` unset or false; pull with a managed identity holding AcrPull and push from CI with OIDC and AcrPush.",
    anchors: {
        checkov: ["CKV_AZURE_137"],
        psrule: ["Azure.ACR.AdminUser"],
    },
    builtins: [
        { id: "dc921057-6b28-4fbe-9b83-f7bec05db6c2", displayName: "Container registries should have local admin account disabled." },
    ],
    mcsb: ["IM-1"],
    service: "containers",
    defaultLevel: "mandatory",
    justification: "The admin user is a registry-wide username and password with push rights; identities with AcrPull/AcrPush replace it.",
    resourceTypes: [types.containerRegistry, classic.containerRegistry],
    check: (resource) =>
        requireBoolean(resource, resource.type === classic.containerRegistry ? "adminEnabled" : "adminUserEnabled", false, "set it to false and use AcrPull/AcrPush role assignments.", "pass"),
};
