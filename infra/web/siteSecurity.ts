import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";

/**
 * The hardening every Keyless site gets, web app or function app alike. None of it is optional: each setting
 * closes a way in that needs no managed identity (plain HTTP, old TLS, FTP, publishing passwords).
 */
export const secureSiteProperties = {
    /** HTTP requests are redirected to HTTPS. */
    httpsOnly: true,
} as const;

export const secureSiteConfig = {
    minTlsVersion: "1.2",
    /** The Kudu (SCM) endpoint gets the same TLS floor as the app. */
    scmMinTlsVersion: "1.2",
    /** FTP and FTPS both off: deployments go through the SCM endpoint with an Entra ID token. */
    ftpsState: "Disabled",
    http20Enabled: true,
    remoteDebuggingEnabled: false,
} as const;

/**
 * Turns off basic-auth (publishing profile username and password) on the FTP and SCM endpoints. These are
 * separate ARM resources (`basicPublishingCredentialsPolicies/ftp` and `/scm`), not site properties. With them
 * off, only Entra ID identities with a role on the site can deploy: a leaked publish profile is worthless.
 */
export function disableBasicAuthPublishing(
    name: string,
    site: web.WebApp,
    resourceGroupName: pulumi.Input<string>,
    parent: pulumi.Resource,
): { ftp: web.WebAppFtpAllowed; scm: web.WebAppScmAllowed } {
    const ftp = new web.WebAppFtpAllowed(`${name}-ftp-basic-auth`, { name: site.name, resourceGroupName, allow: false }, { parent });
    const scm = new web.WebAppScmAllowed(`${name}-scm-basic-auth`, { name: site.name, resourceGroupName, allow: false }, { parent });
    return { ftp, scm };
}
