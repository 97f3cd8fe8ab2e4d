import { check, Fixture, leaksMoreThanFour, runResourcePolicy, secrets, UNKNOWN_STRING, withPath } from "../../testing";
import { noHardcodedSecrets } from "./no-hardcoded-secrets";

const site: Fixture = {
    type: "azure-native:web:WebApp",
    name: "api",
    props: {
        siteConfig: {
            appSettings: [
                { name: "AzureWebJobsStorage__accountName", value: "stapi" },
                { name: "Db", value: "@Microsoft.KeyVault(SecretUri=https://kv-api.vault.azure.net/secrets/db)" },
                { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: "InstrumentationKey=00000000-0000-4000-8000-000000000003;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/" },
            ],
        },
        tags: { owner: "platform" },
    },
};

describe("no-hardcoded-secrets", () => {
    it("passes a site that uses identity-based settings and Key Vault references", () => {
        expect(check(noHardcodedSecrets, site)).toEqual([]);
    });

    it("reports a storage connection string in an app setting with its path and at most 4 characters of the key", () => {
        const key = secrets.storageKey();
        const messages = check(noHardcodedSecrets, { ...site, props: withPath(site.props, "siteConfig.appSettings[0].value", secrets.storageConnectionString(key)) });
        expect(messages).toEqual([expect.stringMatching(/^WebApp "api" siteConfig\.appSettings\[0\]\.value: Storage account connection string/)]);
        expect(messages[0]).toContain(key.slice(0, 4));
        expect(leaksMoreThanFour(messages[0], key)).toBe(false);
    });

    it("scans resources of any provider, including provider configuration", () => {
        const secret = secrets.entraClientSecret();
        const provider: Fixture = { type: "pulumi:providers:azure-native", name: "default", props: { clientId: "00000000-0000-4000-8000-000000000004", clientSecret: secret } };
        const messages = check(noHardcodedSecrets, provider);
        expect(messages).toEqual([expect.stringMatching(/^azure-native "default" clientSecret: Entra ID client secret/)]);
        expect(leaksMoreThanFour(messages[0], secret)).toBe(false);
    });

    it("finds credentials inside JSON strings and base64 customData", () => {
        const password = secrets.password();
        const connection = secrets.storageConnectionString();
        const vm: Fixture = {
            type: "azure-native:compute:VirtualMachine",
            name: "vm",
            props: {
                osProfile: { customData: Buffer.from(`#!/bin/sh\nexport STORAGE='${connection}'\n`).toString("base64"), linuxConfiguration: { disablePasswordAuthentication: true } },
                tags: { settings: JSON.stringify({ db: { password } }) },
            },
        };
        const messages = check(noHardcodedSecrets, vm);
        expect(messages).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^VirtualMachine "vm" osProfile\.customData<base64>.*: Storage account connection string/),
                expect.stringMatching(/^VirtualMachine "vm" tags\.settings<json>\.db\.password: /),
            ]),
        );
        for (const message of messages) {
            expect(leaksMoreThanFour(message, password)).toBe(false);
        }
    });

    it("exempts the sinks that must hold a secret: Key Vault secret value, ACI secureValue, Windows VM adminPassword", () => {
        const connection = secrets.storageConnectionString();
        expect(check(noHardcodedSecrets, { type: "azure-native:keyvault:Secret", name: "storage", props: { properties: { value: connection }, vaultName: "kv" } })).toEqual([]);
        const group = { type: "azure-native:containerinstance:ContainerGroup", name: "job", props: { containers: [{ name: "c", environmentVariables: [{ name: "STORAGE", secureValue: connection }] }] } };
        expect(check(noHardcodedSecrets, group)).toEqual([]);
        const windows = { type: "azure-native:compute:VirtualMachine", name: "win", props: { osProfile: { adminUsername: "ops", adminPassword: secrets.password(), windowsConfiguration: {} } } };
        expect(check(noHardcodedSecrets, windows)).toEqual([]);
    });

    it("does not exempt the same values elsewhere: a Key Vault secret's tags, an ACI plain value, a Linux VM password", () => {
        const connection = secrets.storageConnectionString();
        expect(check(noHardcodedSecrets, { type: "azure-native:keyvault:Secret", name: "storage", props: { properties: { value: "x" }, tags: { copy: connection } } })).toEqual([
            expect.stringMatching(/^Secret "storage" tags\.copy: /),
        ]);
        const group = { type: "azure-native:containerinstance:ContainerGroup", name: "job", props: { containers: [{ name: "c", environmentVariables: [{ name: "STORAGE", value: connection }] }] } };
        expect(check(noHardcodedSecrets, group)).toEqual([expect.stringMatching(/^ContainerGroup "job" containers\[0\]\.environmentVariables\[0\]\.value: /)]);
        const linux = { type: "azure-native:compute:VirtualMachine", name: "lin", props: { osProfile: { adminUsername: "ops", adminPassword: secrets.password(), linuxConfiguration: {} } } };
        expect(check(noHardcodedSecrets, linux)).toEqual([expect.stringMatching(/^VirtualMachine "lin" osProfile\.adminPassword: /)]);
    });

    it("ignores generated values of random resources", () => {
        expect(check(noHardcodedSecrets, { type: "random:index/randomPassword:RandomPassword", name: "pw", props: { length: 24, result: secrets.password() } })).toEqual([]);
    });

    it("keeps scanning when one field is unknown at preview", async () => {
        const key = secrets.storageKey();
        let props = withPath(site.props, "siteConfig.appSettings[1].value", UNKNOWN_STRING);
        props = withPath(props, "siteConfig.appSettings[0].value", secrets.storageConnectionString(key));
        props = withPath(props, "tags.owner", UNKNOWN_STRING);
        const messages = await runResourcePolicy(noHardcodedSecrets, { ...site, props });
        expect(messages).toEqual([expect.stringContaining("siteConfig.appSettings[0].value: Storage account connection string")]);
        expect(leaksMoreThanFour(messages[0], key)).toBe(false);
    });
});
