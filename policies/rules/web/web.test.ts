import { check, Fixture, runResourcePolicy, runStackPolicy, secrets, StackFixture, UNKNOWN_BOOLEAN, UNKNOWN_STRING, urnOf, withPath, leaksMoreThanFour } from "../../testing";
import { webBasicPublishingDisabled } from "./web-basic-publishing-disabled";
import { webFtpsDisabled } from "./web-ftps-disabled";
import { webHttpsOnly } from "./web-https-only";
import { webKeyVaultReferenceIdentity } from "./web-keyvault-reference-identity";
import { webMinTls12 } from "./web-min-tls-12";
import { webNoConnectionStringWithKey } from "./web-no-connection-string-with-key";

const identityId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api";

/** A site as the Keyless web component declares it: compliant with every web rule. */
const site: Fixture = {
    type: "azure-native:web:WebApp",
    name: "api",
    props: {
        resourceGroupName: "rg",
        httpsOnly: true,
        identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
        keyVaultReferenceIdentity: identityId,
        siteConfig: {
            minTlsVersion: "1.2",
            scmMinTlsVersion: "1.2",
            ftpsState: "Disabled",
            appSettings: [
                { name: "AzureWebJobsStorage__accountName", value: "stapi" },
                { name: "Db", value: "@Microsoft.KeyVault(SecretUri=https://kv-api.vault.azure.net/secrets/db)" },
            ],
            connectionStrings: [{ name: "Sql", connectionString: "Server=tcp:sql.database.windows.net;Authentication=Active Directory Managed Identity", type: "SQLAzure" }],
        },
    },
};

function variant(path: string, value: unknown): Fixture {
    return { ...site, props: withPath(site.props, path, value) };
}

describe("web rules on a compliant site", () => {
    it.each([webHttpsOnly, webMinTls12, webFtpsDisabled, webKeyVaultReferenceIdentity, webNoConnectionStringWithKey])("$name passes", (rule) => {
        expect(check(rule, site)).toEqual([]);
    });

    it("applies to deployment slots too", () => {
        const slot = { ...variant("httpsOnly", false), type: "azure-native:web:WebAppSlot" };
        expect(check(webHttpsOnly, slot)).toEqual(['WebAppSlot "api" httpsOnly: is false; set it to true so the site accepts HTTPS only.']);
    });
});

describe("web-https-only", () => {
    it.each([
        [false, 'WebApp "api" httpsOnly: is false; set it to true so the site accepts HTTPS only.'],
        [undefined, 'WebApp "api" httpsOnly: is not set; set it to true so the site accepts HTTPS only.'],
    ])("fails when httpsOnly is %p", (value, message) => {
        expect(check(webHttpsOnly, variant("httpsOnly", value))).toEqual([message]);
    });

    it("skips an httpsOnly unknown at preview", async () => {
        expect(await runResourcePolicy(webHttpsOnly, variant("httpsOnly", UNKNOWN_BOOLEAN))).toEqual([]);
    });
});

describe("web-min-tls-12", () => {
    it("fails on TLS 1.0, saying what Azure's default is", () => {
        expect(check(webMinTls12, variant("siteConfig.minTlsVersion", "1.0"))).toEqual([
            'WebApp "api" siteConfig.minTlsVersion: is "1.0"; set it to "1.2" or "1.3" (or leave it unset: Azure\'s default is 1.2).',
        ]);
    });

    it("passes when minTlsVersion is not set: Azure's default for new apps is 1.2", () => {
        expect(check(webMinTls12, variant("siteConfig.minTlsVersion", undefined))).toEqual([]);
        expect(check(webMinTls12, variant("siteConfig", undefined))).toEqual([]);
    });

    it("fails on an SCM site below 1.2 and accepts it unset", () => {
        expect(check(webMinTls12, variant("siteConfig.scmMinTlsVersion", "1.1"))).toEqual([
            'WebApp "api" siteConfig.scmMinTlsVersion: is "1.1"; set it to "1.2" or "1.3" (or leave it unset: Azure\'s default is 1.2).',
        ]);
        expect(check(webMinTls12, variant("siteConfig.scmMinTlsVersion", undefined))).toEqual([]);
    });

    it("accepts 1.3 and skips unknowns", async () => {
        expect(check(webMinTls12, variant("siteConfig.minTlsVersion", "1.3"))).toEqual([]);
        expect(await runResourcePolicy(webMinTls12, variant("siteConfig", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("web-ftps-disabled", () => {
    it.each([
        ["FtpsOnly", 'WebApp "api" siteConfig.ftpsState: is "FtpsOnly" (Azure\'s default allows FTP); set it to "Disabled".'],
        ["AllAllowed", 'WebApp "api" siteConfig.ftpsState: is "AllAllowed" (Azure\'s default allows FTP); set it to "Disabled".'],
        [undefined, 'WebApp "api" siteConfig.ftpsState: is not set (Azure\'s default allows FTP); set it to "Disabled".'],
    ])("fails when ftpsState is %p", (value, message) => {
        expect(check(webFtpsDisabled, variant("siteConfig.ftpsState", value))).toEqual([message]);
    });

    it("skips an unknown ftpsState", async () => {
        expect(await runResourcePolicy(webFtpsDisabled, variant("siteConfig.ftpsState", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("web-basic-publishing-disabled (stack)", () => {
    const siteUrn = urnOf("azure-native:web:WebApp", "api");
    const siteOut: StackFixture = { ...site, props: { ...site.props, name: "app-api" } };
    const policy = (type: string, name: string, props: Record<string, unknown>, dependencies = [siteUrn]): StackFixture => ({ type, name, props, dependencies });
    const ftp = policy("azure-native:web:WebAppFtpAllowed", "api-ftp", { allow: false, name: "app-api" });
    const scm = policy("azure-native:web:WebAppScmAllowed", "api-scm", { allow: false, name: "app-api" });

    it("passes a site with FTP and SCM basic auth turned off", async () => {
        expect(await runStackPolicy(webBasicPublishingDisabled, [siteOut, ftp, scm])).toEqual([]);
    });

    it("fails a site with no WebAppFtpAllowed: Azure's default leaves FTP basic auth on", async () => {
        expect(await runStackPolicy(webBasicPublishingDisabled, [siteOut, scm])).toEqual([
            {
                message: 'WebApp "api" basicPublishingCredentialsPolicies/ftp: no WebAppFtpAllowed is declared, and Azure\'s default leaves FTP basic-auth publishing on; declare one with allow: false.',
                urn: siteUrn,
            },
        ]);
    });

    it("fails allow=true or unset on the declared policy, naming the policy resource", async () => {
        const open = policy("azure-native:web:WebAppScmAllowed", "api-scm", { allow: true, name: "app-api" });
        expect(await runStackPolicy(webBasicPublishingDisabled, [siteOut, ftp, open])).toEqual([
            { message: 'WebAppScmAllowed "api-scm" allow: is true; set it to false so publishing requires an Entra identity.', urn: urnOf(open.type, "api-scm") },
        ]);
    });

    it("matches a policy by site name or ARM ID when the engine reports no dependency", async () => {
        const byName = { ...ftp, dependencies: [] };
        const siteId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app-api";
        const byId = { ...scm, dependencies: [], props: { allow: false, name: "scm", id: `${siteId}/basicPublishingCredentialsPolicies/scm` } };
        const withId = { ...siteOut, props: { ...siteOut.props, id: siteId } };
        expect(await runStackPolicy(webBasicPublishingDisabled, [withId, byName, byId])).toEqual([]);
    });

    it("checks slots against the slot variants, matched by site and slot name", async () => {
        const slot: StackFixture = { type: "azure-native:web:WebAppSlot", name: "api-staging", props: { name: "app-api", slot: "staging" } };
        const slotFtp = policy("azure-native:web:WebAppFtpAllowedSlot", "api-staging-ftp", { allow: false, name: "app-api", slot: "staging" }, []);
        const otherSiteScm = policy("azure-native:web:WebAppScmAllowedSlot", "other-staging-scm", { allow: false, name: "app-other", slot: "staging" }, []);
        const found = await runStackPolicy(webBasicPublishingDisabled, [siteOut, ftp, scm, slot, slotFtp, otherSiteScm]);
        expect(found.map((f) => f.message)).toEqual([
            'WebAppSlot "api-staging" basicPublishingCredentialsPolicies/scm: no WebAppScmAllowedSlot is declared, and Azure\'s default leaves SCM basic-auth publishing on; declare one with allow: false.',
        ]);
    });

    it("skips an allow value unknown at preview", async () => {
        expect(await runStackPolicy(webBasicPublishingDisabled, [siteOut, ftp, { ...scm, props: { ...scm.props, allow: UNKNOWN_BOOLEAN } }])).toEqual([]);
    });
});

describe("web-keyvault-reference-identity", () => {
    it("fails when a user-assigned-only site leaves it unset", () => {
        expect(check(webKeyVaultReferenceIdentity, variant("keyVaultReferenceIdentity", undefined))).toEqual([
            'WebApp "api" keyVaultReferenceIdentity: is not set while the site has only user-assigned identities; set it to the identity\'s resource ID.',
        ]);
    });

    it("fails when it names an identity the site does not have", () => {
        const other = identityId.replace("id-api", "id-other");
        expect(check(webKeyVaultReferenceIdentity, variant("keyVaultReferenceIdentity", other))).toEqual([
            `WebApp "api" keyVaultReferenceIdentity: is ${JSON.stringify(other)}, which is not one of the site's user-assigned identities.`,
        ]);
    });

    it("fails when it names SystemAssigned on a user-assigned-only site", () => {
        expect(check(webKeyVaultReferenceIdentity, variant("keyVaultReferenceIdentity", "SystemAssigned"))).toEqual([
            'WebApp "api" keyVaultReferenceIdentity: names the system-assigned identity, which this site does not have.',
        ]);
    });

    it("passes a system-assigned site without it, and matches IDs case-insensitively", () => {
        const system = { ...site, props: withPath(withPath(site.props, "identity", { type: "SystemAssigned" }), "keyVaultReferenceIdentity", undefined) };
        expect(check(webKeyVaultReferenceIdentity, system)).toEqual([]);
        expect(check(webKeyVaultReferenceIdentity, variant("keyVaultReferenceIdentity", identityId.toLowerCase()))).toEqual([]);
    });

    it("skips unknown identity lists and references", async () => {
        expect(await runResourcePolicy(webKeyVaultReferenceIdentity, variant("identity.userAssignedIdentities", [UNKNOWN_STRING]))).toEqual([]);
        expect(await runResourcePolicy(webKeyVaultReferenceIdentity, variant("keyVaultReferenceIdentity", UNKNOWN_STRING))).toEqual([]);
    });
});

describe("web-no-connection-string-with-key", () => {
    it("fails an app setting holding AccountKey=, naming the setting and masking the key", () => {
        const key = secrets.storageKey();
        const messages = check(webNoConnectionStringWithKey, variant("siteConfig.appSettings[0]", { name: "AzureWebJobsStorage", value: secrets.storageConnectionString(key) }));
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatch(/^WebApp "api" siteConfig\.appSettings\[0\]\.value: setting "AzureWebJobsStorage" carries AccountKey= \(/);
        expect(messages[0]).toContain(`(${key.slice(0, 4)}…(88 chars))`);
        expect(leaksMoreThanFour(messages[0], key)).toBe(false);
    });

    it("fails a connection string with SharedAccessKey= and one with Password=", () => {
        const bus = check(webNoConnectionStringWithKey, variant("siteConfig.connectionStrings[0]", { name: "Bus", connectionString: secrets.serviceBusConnectionString(), type: "Custom" }));
        expect(bus).toEqual([expect.stringMatching(/^WebApp "api" siteConfig\.connectionStrings\[0\]\.connectionString: setting "Bus" carries SharedAccessKey= /)]);
        const password = secrets.password();
        const sql = check(webNoConnectionStringWithKey, variant("siteConfig.connectionStrings[0].connectionString", `Server=tcp:sql;User ID=app;Password=${password}`));
        expect(sql).toEqual([expect.stringMatching(/setting "Sql" carries Password= /)]);
        expect(leaksMoreThanFour(sql[0], password)).toBe(false);
    });

    it("checks standalone WebAppApplicationSettings and WebAppConnectionStrings", () => {
        const settings: Fixture = { type: "azure-native:web:WebAppApplicationSettings", name: "api-settings", props: { properties: { Ok: "x", Storage: secrets.storageConnectionString() } } };
        expect(check(webNoConnectionStringWithKey, settings)).toEqual([expect.stringMatching(/^WebAppApplicationSettings "api-settings" properties\.Storage: setting "Storage" carries AccountKey= /)]);
        const strings: Fixture = { type: "azure-native:web:WebAppConnectionStrings", name: "api-cs", props: { properties: { Bus: { value: secrets.serviceBusConnectionString(), type: "Custom" } } } };
        expect(check(webNoConnectionStringWithKey, strings)).toEqual([expect.stringMatching(/^WebAppConnectionStrings "api-cs" properties\.Bus\.value: setting "Bus" carries SharedAccessKey= /)]);
    });

    it("accepts Key Vault references and skips unknown values", async () => {
        expect(check(webNoConnectionStringWithKey, variant("siteConfig.appSettings[0].value", "@Microsoft.KeyVault(VaultName=kv;SecretName=storage)"))).toEqual([]);
        const withUnknown = variant("siteConfig.appSettings[1].value", UNKNOWN_STRING);
        const leaking = { ...withUnknown, props: withPath(withUnknown.props, "siteConfig.appSettings[0].value", secrets.storageConnectionString()) };
        expect(await runResourcePolicy(webNoConnectionStringWithKey, leaking)).toEqual([expect.stringContaining('siteConfig.appSettings[0].value: setting "AzureWebJobsStorage__accountName" carries AccountKey=')]);
    });
});
