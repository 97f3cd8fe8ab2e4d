import { checkSetting } from "../../lib/setting";
import { classicFlag, classicSites } from "../../lib/classic";
import { companionsOf, text } from "../../lib/companions";
import { read, shortType, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { StackResource, StackRule, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/**
 * App Service leaves FTP and SCM basic-auth publishing on until a `basicPublishingCredentialsPolicies` resource turns
 * it off (https://learn.microsoft.com/en-us/azure/app-service/configure-basic-auth-disable), so a site with no
 * `WebAppFtpAllowed` / `WebAppScmAllowed` (slots: the `...Slot` variants) declared is a violation, as it is for the
 * built-ins (AuditIfNotExists).
 */
const kinds = [
    { label: "FTP", site: types.webAppFtpAllowed, slot: types.webAppFtpAllowedSlot, suffix: "/basicpublishingcredentialspolicies/ftp" },
    { label: "SCM", site: types.webAppScmAllowed, slot: types.webAppScmAllowedSlot, suffix: "/basicpublishingcredentialspolicies/scm" },
];

const classicSwitches = [
    classicFlag("ftpPublishBasicAuthenticationEnabled", false, true, "set it to false so publishing requires an Entra identity."),
    classicFlag("webdeployPublishBasicAuthenticationEnabled", false, true, "set it to false so publishing requires an Entra identity."),
];

function siteKey(resource: StackResource, slot: boolean): string | undefined {
    const site = text(read(resource.props, "name"));
    if (!slot) {
        return site;
    }
    const slotName = text(read(resource.props, "slot"));
    return site && slotName ? `${site}/${slotName}` : undefined;
}

function checkKind(resources: StackResource[], sites: StackResource[], kind: (typeof kinds)[number], slot: boolean): Violation[] {
    const policyType = slot ? kind.slot : kind.site;
    const policies = resources.filter((resource) => resource.type === policyType);
    const lookup = companionsOf(policies, {
        targetId: (policy) => {
            const id = text(read(policy.props, "id"))?.toLowerCase();
            return id?.endsWith(kind.suffix) ? id.slice(0, -kind.suffix.length) : undefined;
        },
        // Site names are globally unique; a slot is named by its site and its own name.
        targetName: (policy) => siteKey(policy, slot),
        nameOfTarget: (target) => siteKey(target, slot),
    });
    const found: Violation[] = [];
    for (const site of sites) {
        const attached = lookup(site);
        if (attached.length === 0) {
            found.push(
                violation(
                    site,
                    `basicPublishingCredentialsPolicies/${kind.label.toLowerCase()}`,
                    `no ${shortType(policyType)} is declared, and Azure's default leaves ${kind.label} basic-auth publishing on; declare one with allow: false.`,
                ),
            );
        }
        for (const policy of attached) {
            const allow = read(policy.props, "allow");
            if (!isUnknown(allow) && allow !== false) {
                found.push(violation(policy, "allow", `is ${allow === undefined ? "not set" : String(allow)}; set it to false so publishing requires an Entra identity.`));
            }
        }
    }
    return found;
}

export const webBasicPublishingDisabled: StackRule = {
    name: "web-basic-publishing-disabled",
    description: "Every site and slot turns FTP and SCM basic-auth publishing off (WebAppFtpAllowed / WebAppScmAllowed with allow=false).",
    severity: "medium",
    remediation:
        "Declare `web.WebAppFtpAllowed` and `web.WebAppScmAllowed` (slots: `WebAppFtpAllowedSlot` / `WebAppScmAllowedSlot`) with `allow: false` " +
        "for each site; deploy with an Entra identity.",
    anchors: {},
    builtins: [
        { id: "871b205b-57cf-4e1e-a234-492616998bf7", displayName: "App Service apps should have local authentication methods disabled for FTP deployments" },
        { id: "aede300b-d67f-480a-ae26-4b3dfb1a1fdc", displayName: "App Service apps should have local authentication methods disabled for SCM site deployments" },
    ],
    mcsb: ["IM-1"],
    service: "web",
    defaultLevel: "mandatory",
    justification: "Basic-auth publishing is a username and password that can deploy code to the site; with identity-based deployment it is dead weight and a standing credential.",
    checkStack(resources) {
        const sites = resources.filter((resource) => resource.type === types.webApp);
        const slots = resources.filter((resource) => resource.type === types.webAppSlot);
        // Classic sites carry the two switches themselves; the provider leaves both on when they are left out.
        const classicFound = resources
            .filter((resource) => classicSites.includes(resource.type))
            .flatMap((site) => classicSwitches.flatMap((spec) => checkSetting(site, spec)));
        return [...kinds.flatMap((kind) => [...checkKind(resources, sites, kind, false), ...checkKind(resources, slots, kind, true)]), ...classicFound];
    },
};
