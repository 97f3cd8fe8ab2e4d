import * as path from "path";
import { aksDiagnosticCategories } from "../../infra/containers/AksCluster";
import { registryDiagnosticCategories } from "../../infra/containers/ContainerRegistry";
import { sqlDiagnosticCategories } from "../../infra/data/SqlServer";
import { logicAppDiagnosticCategories } from "../../infra/logic/LogicApp";
import { storageLogCategories } from "../../infra/storage/KeylessStorage";
import { defaultFunctionAppLogCategories } from "../../infra/web/FunctionApp";
import { defaultWebAppLogCategories } from "../../infra/web/WebApp";
import { sharedStackRun } from "../../stacks/testing/sharedRuns";
import { diagnosticCoverage, resourceTypeOf } from "./coverage";
import { referencedTables } from "./kusto";
import { loadQueries, loadTableSchemas } from "./schema";

const root = path.join(__dirname, "..", "..");
const queries = loadQueries();
const tables = loadTableSchemas();

describe("diagnostic categories against the review", () => {
    it.each(["dev", "prod"])("every category the %s stack sends is one Microsoft lists for the resource type, in a resource-specific table, read by a query or listed as not reviewed", async (stack) => {
        const run = await sharedStackRun(root, stack);
        const settings = run.resources.filter((resource) => resource.type === "azure-native:monitor:DiagnosticSetting");
        expect(settings.length).toBeGreaterThan(5);
        for (const setting of settings) {
            const type = resourceTypeOf(String(setting.inputs.resourceUri));
            const coverage = diagnosticCoverage[type];
            expect({ type, known: coverage !== undefined }).toEqual({ type, known: true });
            expect(setting.inputs.logAnalyticsDestinationType).toBe("Dedicated");
            for (const { category } of setting.inputs.logs as { category: string }[]) {
                const entry = coverage.categories[category];
                expect({ type, category, known: entry !== undefined }).toEqual({ type, category, known: true });
                if (entry.query) {
                    const query = queries.find((candidate) => candidate.name === entry.query);
                    expect(query && referencedTables(query.text, tables)).toContain(entry.table);
                } else {
                    expect(entry.notReviewed?.length ?? 0).toBeGreaterThan(20);
                }
            }
        }
    });

    it("the components' default categories are all in the catalog", () => {
        const known = (type: string, categories: string[]) => categories.filter((category) => !diagnosticCoverage[type].categories[category]);
        expect(known("microsoft.keyvault/vaults", ["AuditEvent"])).toEqual([]);
        expect(known("microsoft.storage/storageaccounts/blobservices", storageLogCategories)).toEqual([]);
        expect(known("microsoft.containerregistry/registries", registryDiagnosticCategories)).toEqual([]);
        expect(known("microsoft.containerservice/managedclusters", aksDiagnosticCategories)).toEqual([]);
        expect(known("microsoft.sql/servers/databases", sqlDiagnosticCategories)).toEqual([]);
        expect(known("microsoft.logic/workflows", logicAppDiagnosticCategories)).toEqual([]);
        expect(known("microsoft.web/sites", [...defaultWebAppLogCategories, ...defaultFunctionAppLogCategories])).toEqual([]);
        expect(known("microsoft.eventhub/namespaces", ["OperationalLogs", "RuntimeAuditLogs"])).toEqual([]);
    });

    it("derives the resource type of a service sub-resource", () => {
        expect(resourceTypeOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/queueServices/default")).toBe("microsoft.storage/storageaccounts/queueservices");
        expect(resourceTypeOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")).toBe("microsoft.keyvault/vaults");
    });
});
