import { runUnderMocks, valueOf, mockTenantId } from "../testing";
import { ofType } from "../testing/fixtures";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { SqlServer, SqlServerArgs } from "./SqlServer";
import { ProblemsError } from "../shared/problems";

const adminGroupId = "0f4e2d1c-9b8a-4765-8321-fedcba987654";
const administrator = { login: "sql-admins", objectId: adminGroupId, principalType: "Group" as const };

describe("SqlServer", () => {
    it("declares an Entra-only server (in the body and as its own child resource), its databases, and grant scripts for workload identities", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const identity = new ManagedIdentity("orders", { resourceGroupName: "rg" });
            const server = new SqlServer("shop", {
                resourceGroupName: "rg",
                administrator,
                databases: { orders: {}, reporting: { sku: { name: "GP_S_Gen5_1", tier: "GeneralPurpose" } } },
                grants: [
                    { identity: "id-orders", database: "orders", roles: ["db_datareader", "db_datawriter"], objectId: identity.principalId },
                    { identity: "id-reports", database: "reporting", roles: ["db_datareader"] },
                ],
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
                lock: { kind: "CanNotDelete" },
            });
            return { scripts: server.grantScripts, declared: server.databaseGrants, fqdn: server.fullyQualifiedDomainName };
        });
        const [component] = ofType(resources, "keyless:data:SqlServer");
        const [server] = ofType(resources, "azure-native:sql:Server");
        expect(server.parentUrn).toBe(component.urn);
        expect(server.inputs.administrators).toEqual({
            administratorType: "ActiveDirectory",
            azureADOnlyAuthentication: true,
            login: "sql-admins",
            sid: adminGroupId,
            principalType: "Group",
            tenantId: mockTenantId,
        });
        const [entraOnly] = ofType(resources, "azure-native:sql:ServerAzureADOnlyAuthentication");
        expect(entraOnly.parentUrn).toBe(component.urn);
        expect(entraOnly.inputs).toEqual({ resourceGroupName: "rg", serverName: server.inputs.serverName, authenticationName: "Default", azureADOnlyAuthentication: true });
        expect(server.inputs).not.toHaveProperty("administratorLogin");
        expect(server.inputs).not.toHaveProperty("administratorLoginPassword");
        expect(JSON.stringify(server.inputs)).not.toMatch(/password/i);
        expect(server.inputs.minimalTlsVersion).toBe("1.2");
        expect(server.inputs.publicNetworkAccess).toBe("Disabled");
        expect(server.inputs.serverName).toMatch(/^sql-shop-[a-z0-9]{6}$/);

        const databases = ofType(resources, "azure-native:sql:Database");
        expect(databases.map((database) => [database.inputs.databaseName, database.inputs.serverName, database.inputs.sku])).toEqual([
            ["orders", server.inputs.serverName, { name: "Basic", tier: "Basic" }],
            ["reporting", server.inputs.serverName, { name: "GP_S_Gen5_1", tier: "GeneralPurpose" }],
        ]);
        expect(databases.every((database) => database.parentUrn === component.urn)).toBe(true);

        const [auditing] = ofType(resources, "azure-native:sql:ServerBlobAuditingPolicy");
        expect(auditing.inputs).toMatchObject({ state: "Enabled", isAzureMonitorTargetEnabled: true, blobAuditingPolicyName: "default" });
        expect(auditing.inputs).not.toHaveProperty("storageAccountAccessKey");
        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diagnostics.inputs.resourceUri).toBe(`${server.id}/databases/master`);
        expect(diagnostics.inputs.logs).toEqual([{ category: "SQLSecurityAuditEvents", enabled: true }]);

        expect(outputs.declared).toEqual([
            { identity: "id-orders", database: "orders", roles: ["db_datareader", "db_datawriter"] },
            { identity: "id-reports", database: "reporting", roles: ["db_datareader"] },
        ]);
        const scripts = await valueOf(outputs.scripts);
        expect(Object.keys(scripts)).toEqual(["orders/id-orders", "reporting/id-reports"]);
        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(scripts["orders/id-orders"]).toContain(`CREATE USER [id-orders] FROM EXTERNAL PROVIDER WITH OBJECT_ID = '${identity.state.principalId}';`);
        expect(scripts["orders/id-orders"]).toContain(`sqlcmd -S ${await valueOf(outputs.fqdn)} -d orders -G`);
        expect(scripts["reporting/id-reports"]).toContain("ALTER ROLE [db_datareader] ADD MEMBER [id-reports];");
        expect(scripts["reporting/id-reports"]).not.toContain("db_datawriter");
    });

    it("opens public access and TLS 1.3 only when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new SqlServer("open", { resourceGroupName: "rg", administrator, publicNetworkAccess: "Enabled", minimalTlsVersion: "1.3", serverName: "sql-open-01" });
        });
        const [server] = ofType(resources, "azure-native:sql:Server");
        expect(server.inputs).toMatchObject({ publicNetworkAccess: "Enabled", minimalTlsVersion: "1.3", serverName: "sql-open-01" });
        expect(ofType(resources, "azure-native:sql:ServerBlobAuditingPolicy")).toHaveLength(0);
    });

    const invalid: [string, Partial<SqlServerArgs> & Record<string, unknown>, string][] = [
        ["a SQL administrator login", { administratorLogin: "sqladmin" }, "administratorLogin is not accepted: the server uses Entra-only authentication, with no SQL login or password."],
        ["a SQL administrator password", { administratorLoginPassword: "x" }, "administratorLoginPassword is not accepted: the server uses Entra-only authentication, with no SQL login or password."],
        ["a missing administrator", { administrator: undefined }, "administrator is required: the Entra group, application or user that administers the server."],
        ["an administrator object ID that is not a GUID", { administrator: { ...administrator, objectId: "sql-admins" } }, 'administrator.objectId must be an Entra object ID (a GUID); got "sql-admins".'],
        ["an unknown administrator type", { administrator: { ...administrator, principalType: "Robot" as never } }, 'administrator.principalType must be one of Group, Application, User; got "Robot".'],
        ["TLS 1.0", { minimalTlsVersion: "1.0" as never }, 'minimalTlsVersion must be "1.2" or "1.3"; got "1.0".'],
        ["a grant on an undeclared database", { databases: { orders: {} }, grants: [{ identity: "id-x", database: "billing", roles: ["db_datareader"] }] }, "grants[0].database \"billing\" is not one of this server's databases (orders)."],
        ["db_owner for a workload", { databases: { orders: {} }, grants: [{ identity: "id-x", database: "orders", roles: ["db_owner" as never] }] }, 'grants[0].roles[0] "db_owner" is not allowed: expected db_datareader, db_datawriter, db_ddladmin (db_owner and server roles are never granted to workloads).'],
        ["a duplicated grant", { databases: { orders: {} }, grants: [{ identity: "id-x", database: "orders", roles: ["db_datareader"] }, { identity: "id-x", database: "orders", roles: ["db_datawriter"] }] }, 'grants[1]: "id-x" on database "orders" is declared twice; list all its roles in one grant.'],
        ["a system database", { databases: { master: {} } }, 'databases "master" is a system database; grants go to application databases.'],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new SqlServer("bad", { resourceGroupName: "rg", administrator, ...extra } as SqlServerArgs)).toThrow(new ProblemsError('SqlServer "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });
});
