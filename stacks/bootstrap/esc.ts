import * as YAML from "yaml";

/**
 * A Pulumi ESC environment definition for the deploy identity: `fn::open::azure-login` with `oidc: true` exchanges
 * a token Pulumi Cloud issues for an Entra token, so Pulumi Cloud users (Deployments, `pulumi up` with
 * `--env`/`environment:` in the stack) sign in as the same identity as GitHub Actions, with no client secret.
 * Inputs and outputs as https://www.pulumi.com/docs/esc/providers/login/azure-login/ documents them; the
 * identity must also trust Pulumi Cloud's issuer with a federated credential
 * (https://www.pulumi.com/docs/esc/guides/configuring-oidc/azure/).
 */
export interface EscLogin {
    clientId: string;
    tenantId: string;
    subscriptionId: string;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The environment as YAML, ready for `esc env edit` or `pulumi env init <org>/<project>/<env> --file -`. */
export function escEnvironment(login: EscLogin): string {
    const bad = Object.entries(login).filter(([, value]) => !guid.test(value));
    if (bad.length > 0) {
        throw new Error(`ESC environment: ${bad.map(([key]) => key).join(", ")} must be GUIDs (the deploy identity's client ID, its tenant and subscription).`);
    }
    const environment = {
        values: {
            azure: {
                login: {
                    "fn::open::azure-login": { clientId: login.clientId, tenantId: login.tenantId, subscriptionId: login.subscriptionId, oidc: true },
                },
            },
            // The variables azure-native (and the Azure SDKs) read for an OIDC sign-in.
            environmentVariables: {
                ARM_USE_OIDC: "true",
                ARM_CLIENT_ID: "${azure.login.clientId}",
                ARM_TENANT_ID: "${azure.login.tenantId}",
                ARM_SUBSCRIPTION_ID: "${azure.login.subscriptionId}",
                ARM_OIDC_TOKEN: "${azure.login.oidc.token}",
            },
        },
    };
    return `# Keyless deploy identity, signed in through OIDC: no client secret.\n${YAML.stringify(environment)}`;
}
