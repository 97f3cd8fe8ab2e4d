import { check, Fixture, runResourcePolicy, secrets, UNKNOWN_BOOLEAN, UNKNOWN_STRING, withPath } from "../../testing";
import { appConfigLocalAuthDisabled } from "./appconfig-local-auth-disabled";
import { cosmosDbLocalAuthDisabled } from "./cosmosdb-local-auth-disabled";
import { redisAccessKeyAuthDisabled } from "./redis-access-key-auth-disabled";
import { sqlEntraOnlyAuth } from "./sql-entra-only-auth";

describe.each([
    [cosmosDbLocalAuthDisabled, "azure-native:cosmosdb:DatabaseAccount", "DatabaseAccount", "account keys"],
    [appConfigLocalAuthDisabled, "azure-native:appconfiguration:ConfigurationStore", "ConfigurationStore", "access keys"],
])("$name", (rule, type, short, what) => {
    const store = (disableLocalAuth: unknown): Fixture => ({ type, name: "d", props: { resourceGroupName: "rg", disableLocalAuth } });

    it("passes local auth disabled", () => {
        expect(check(rule, store(true))).toEqual([]);
    });

    it("fails local auth enabled", () => {
        expect(check(rule, store(false))).toEqual([`${short} "d" disableLocalAuth: is false; set it to true (Azure's default keeps ${what} working).`]);
    });

    it("skips a value unknown at preview", async () => {
        expect(await runResourcePolicy(rule, store(UNKNOWN_BOOLEAN))).toEqual([]);
    });
});

describe("redis-access-key-auth-disabled", () => {
    const cache: Fixture = { type: "azure-native:redis:Redis", name: "cache", props: { disableAccessKeyAuthentication: true, redisConfiguration: { aadEnabled: "true" } } };
    const database: Fixture = { type: "azure-native:redisenterprise:Database", name: "db", props: { clusterName: "amr", accessKeysAuthentication: "Disabled" } };

    it("passes Entra-only caches and databases", () => {
        expect(check(redisAccessKeyAuthDisabled, cache)).toEqual([]);
        expect(check(redisAccessKeyAuthDisabled, database)).toEqual([]);
    });

    it("fails access keys left on", () => {
        expect(check(redisAccessKeyAuthDisabled, { ...cache, props: withPath(cache.props, "disableAccessKeyAuthentication", false) })).toEqual([
            'Redis "cache" disableAccessKeyAuthentication: is false; set it to true so only Entra ID tokens are accepted.',
        ]);
        expect(check(redisAccessKeyAuthDisabled, { ...database, props: withPath(database.props, "accessKeysAuthentication", "Enabled") })).toEqual([
            'Database "db" accessKeysAuthentication: is "Enabled"; set it to "Disabled" so only Entra ID tokens are accepted.',
        ]);
        expect(check(redisAccessKeyAuthDisabled, { ...database, props: withPath(database.props, "accessKeysAuthentication", undefined) })).toEqual([
            'Database "db" accessKeysAuthentication: is not set; set it to "Disabled" so only Entra ID tokens are accepted.',
        ]);
    });

    it("skips values unknown at preview", async () => {
        expect(await runResourcePolicy(redisAccessKeyAuthDisabled, { ...database, props: withPath(database.props, "accessKeysAuthentication", UNKNOWN_STRING) })).toEqual([]);
    });
});

describe("sql-entra-only-auth", () => {
    const server: Fixture = {
        type: "azure-native:sql:Server",
        name: "sql",
        props: {
            resourceGroupName: "rg",
            minimalTlsVersion: "1.2",
            administrators: { administratorType: "ActiveDirectory", azureADOnlyAuthentication: true, login: "sql-admins", sid: "00000000-0000-4000-8000-000000000006", principalType: "Group" },
        },
    };

    it("passes an Entra-only server", () => {
        expect(check(sqlEntraOnlyAuth, server)).toEqual([]);
    });

    it("fails when Entra-only is off", () => {
        expect(check(sqlEntraOnlyAuth, { ...server, props: withPath(server.props, "administrators.azureADOnlyAuthentication", false) })).toEqual([
            'Server "sql" administrators.azureADOnlyAuthentication: is false; set it to true with an Entra administrator.',
        ]);
        expect(check(sqlEntraOnlyAuth, { ...server, props: withPath(server.props, "administrators", undefined) })).toEqual([
            'Server "sql" administrators.azureADOnlyAuthentication: is not set; set it to true with an Entra administrator.',
        ]);
    });

    it("fails an administrator password without showing it", () => {
        const password = secrets.password();
        const messages = check(sqlEntraOnlyAuth, { ...server, props: { ...server.props, administratorLogin: "sa", administratorLoginPassword: password } });
        expect(messages).toEqual(['Server "sql" administratorLoginPassword: is set; remove the SQL administrator and use Entra-only authentication.']);
    });

    it("checks the standalone ServerAzureADOnlyAuthentication resource", () => {
        const resource: Fixture = { type: "azure-native:sql:ServerAzureADOnlyAuthentication", name: "sql-aad", props: { serverName: "sql", azureADOnlyAuthentication: false } };
        expect(check(sqlEntraOnlyAuth, resource)).toEqual(['ServerAzureADOnlyAuthentication "sql-aad" azureADOnlyAuthentication: is false; set it to true.']);
        expect(check(sqlEntraOnlyAuth, { ...resource, props: { ...resource.props, azureADOnlyAuthentication: true } })).toEqual([]);
    });

    it("skips values unknown at preview", async () => {
        const unknown = { ...server, props: { ...withPath(server.props, "administrators.azureADOnlyAuthentication", UNKNOWN_BOOLEAN), administratorLoginPassword: UNKNOWN_STRING } };
        expect(await runResourcePolicy(sqlEntraOnlyAuth, unknown)).toEqual([]);
    });
});
