import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const webBasicPublishingDisabled: ResourceRule = {
    name: "web-basic-publishing-disabled",
    description: "FTP and SCM basic-auth publishing credentials are off (WebAppFtpAllowed / WebAppScmAllowed with allow=false).",
    severity: "medium",
    remediation: "Declare `web.WebAppFtpAllowed` and `web.WebAppScmAllowed` (and the slot variants) with `allow: false`; deploy with an Entra identity.",
    anchors: {},
    defaultLevel: "mandatory",
    justification: "Basic-auth publishing is a username and password that can deploy code to the site; with identity-based deployment it is dead weight and a standing credential.",
    resourceTypes: [types.webAppFtpAllowed, types.webAppFtpAllowedSlot, types.webAppScmAllowed, types.webAppScmAllowedSlot],
    check: (resource) => requireBoolean(resource, "allow", false, "set it to false so publishing requires an Entra identity."),
};
