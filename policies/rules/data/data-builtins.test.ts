import { fixture, wellConfigured } from "../../testing/fixtures";
import { check, describeResourceRule, runStackPolicy, UNKNOWN_STRING, urnOf } from "../../testing";
import { cosmosDbPublicNetworkDisabled } from "./cosmosdb-public-network-disabled";
import { sqlAuditingEnabled } from "./sql-auditing-enabled";
import { sqlEntraOnlyAuth } from "./sql-entra-only-auth";
import { sqlMinTls12 } from "./sql-min-tls-12";
import { sqlPublicNetworkDisabled } from "./sql-public-network-disabled";
import { sqlTdeEnabled } from "./sql-tde-enabled";

const server = fixture("sql");

describe("citations", () => {
    it("sql-entra-only-auth cites each built-in under its own name", () => {
        expect(sqlEntraOnlyAuth.builtins.filter((builtin) => builtin.coverage === undefined)).toEqual([
            { id: "abda6d70-9778-44e7-84a8-06713e6db027", displayName: "Azure SQL logical servers should have Microsoft Entra-only authentication enabled during creation" },
            { id: "b3a22bc9-66de-45fb-98fa-00f5df42f41a", displayName: "Azure SQL Database should have Microsoft Entra-only authentication enabled" },
        ]);
    });
});

describeResourceRule(
    sqlMinTls12,
    server,
    [
        { path: "minimalTlsVersion", value: "1.0", message: 'Server "sql" minimalTlsVersion: is "1.0"; set it to "1.2".' },
        { path: "minimalTlsVersion", value: undefined, message: 'Server "sql" minimalTlsVersion: is not set, and Azure\'s default is no minimum (the built-in flags it); set it to "1.2".' },
    ],
    "minimalTlsVersion",
);

describeResourceRule(
    sqlPublicNetworkDisabled,
    server,
    [{ path: "publicNetworkAccess", value: "Enabled", message: 'Server "sql" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.' }],
    "publicNetworkAccess",
);

const tde = { type: "azure-native:sql:TransparentDataEncryption", name: "sql-db-tde", props: { resourceGroupName: "rg", serverName: "sql-app", databaseName: "app", state: "Enabled" } };
describeResourceRule(sqlTdeEnabled, tde, [{ path: "state", value: "Disabled", message: 'TransparentDataEncryption "sql-db-tde" state: is "Disabled"; set it to "Enabled".' }], "state");

describe("sql-tde-enabled", () => {
    it("passes a database that leaves TDE at Azure's default (no TransparentDataEncryption resource)", () => {
        expect(check(sqlTdeEnabled, { ...tde, props: { ...tde.props, state: undefined } })).toEqual([]);
    });
});

describeResourceRule(
    cosmosDbPublicNetworkDisabled,
    { ...fixture("cosmos"), type: "azure-native:cosmosdb:DatabaseAccount" },
    [{ path: "publicNetworkAccess", value: "Enabled", message: 'DatabaseAccount "cosmos" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.' }],
    "publicNetworkAccess",
);

describe("sql-auditing-enabled (stack)", () => {
    const stack = wellConfigured();
    const sqlUrn = urnOf("azure-native:sql:Server", "sql");

    it("passes a server with an enabled auditing policy", async () => {
        expect(await runStackPolicy(sqlAuditingEnabled, stack)).toEqual([]);
    });

    it("fails a server without one, and one whose policy is disabled", async () => {
        const message = 'Server "sql" auditingSettings: has no ServerBlobAuditingPolicy with state "Enabled", and Azure\'s default is auditing off; declare one.';
        expect(await runStackPolicy(sqlAuditingEnabled, stack.filter((r) => r.name !== "sql-auditing"))).toEqual([{ message, urn: sqlUrn }]);
        const disabled = stack.map((r) => (r.name === "sql-auditing" ? { ...r, props: { ...r.props, state: "Disabled" } } : r));
        expect(await runStackPolicy(sqlAuditingEnabled, disabled)).toEqual([{ message, urn: sqlUrn }]);
    });

    it("matches the policy by server name without a dependency, and skips an unknown state", async () => {
        const byName = stack.map((r) => (r.name === "sql-auditing" ? { ...r, dependencies: [] } : r.name === "sql" ? { ...r, props: { ...r.props, name: "sql-app" } } : r));
        expect(await runStackPolicy(sqlAuditingEnabled, byName)).toEqual([]);
        const unknown = stack.map((r) => (r.name === "sql-auditing" ? { ...r, props: { ...r.props, state: UNKNOWN_STRING } } : r));
        expect(await runStackPolicy(sqlAuditingEnabled, unknown)).toEqual([]);
    });
});
