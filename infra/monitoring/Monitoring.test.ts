import { runUnderMocks, valueOf } from "../testing";
import { one } from "../testing/fixtures";
import { Vault } from "../keyvault/Vault";
import { isWorkspaceName, Monitoring } from "./Monitoring";
import { ProblemsError } from "../shared/problems";

describe("Monitoring", () => {
    it("declares a PerGB2018 workspace with Entra ID only auth and 30-day retention by default", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const monitoring = new Monitoring("main", { resourceGroupName: "rg" });
            return { workspaceId: monitoring.workspaceId, customerId: monitoring.customerId, workspaceName: monitoring.workspaceName };
        });
        const component = one(resources, "keyless:monitoring:Monitoring");
        const workspace = one(resources, "azure-native:operationalinsights:Workspace");
        expect(workspace.parentUrn).toBe(component.urn);
        expect(workspace.inputs).toMatchObject({
            workspaceName: "log-main",
            sku: { name: "PerGB2018" },
            retentionInDays: 30,
            features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
        });
        expect(resources.filter((resource) => resource.type === "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
        expect(await valueOf(outputs.workspaceId)).toBe(workspace.id);
        expect(await valueOf(outputs.workspaceId)).toMatch(/\/providers\/Microsoft\.OperationalInsights\/workspaces\/log-main$/);
        expect(await valueOf(outputs.customerId)).toMatch(/^[0-9a-f-]{36}$/);
        expect(await valueOf(outputs.workspaceName)).toBe("log-main");
    });

    it("keeps logs longer and locks the workspace when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new Monitoring("main", { resourceGroupName: "rg", retentionInDays: 90, workspaceName: "log-platform-prod", lock: { kind: "CanNotDelete" } });
        });
        const workspace = one(resources, "azure-native:operationalinsights:Workspace");
        expect(workspace.inputs).toMatchObject({ retentionInDays: 90, workspaceName: "log-platform-prod" });
        expect(one(resources, "azure-native:authorization:ManagementLockByScope").inputs).toMatchObject({ scope: workspace.id, level: "CanNotDelete" });
    });

    it("refuses retention outside 30-730 days and a bad workspace name, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new Monitoring("main", { resourceGroupName: "rg", retentionInDays: 7 })).toThrow(
                new ProblemsError('Monitoring "main"', ["retentionInDays must be a whole number from 30 to 730; got 7."]),
            );
            expect(() => new Monitoring("main", { resourceGroupName: "rg", retentionInDays: 731 })).toThrow(
                new ProblemsError('Monitoring "main"', ["retentionInDays must be a whole number from 30 to 730; got 731."]),
            );
            expect(() => new Monitoring("main", { resourceGroupName: "rg", workspaceName: "-logs", retentionInDays: 7 })).toThrow(
                new ProblemsError('Monitoring "main"', [
                    "retentionInDays must be a whole number from 30 to 730; got 7.",
                    'workspaceName "-logs" must be 4-63 letters, digits and hyphens, starting and ending with a letter or digit.',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("hands other components a diagnostics argument that sends to the workspace", async () => {
        const { resources } = await runUnderMocks(() => {
            const monitoring = new Monitoring("main", { resourceGroupName: "rg" });
            expect(() => monitoring.diagnostics([])).toThrow(
                new ProblemsError('Monitoring "main"', ["diagnostics categories must be a non-empty list of category names, or omitted for the component's defaults; got []."]),
            );
            new Vault("app", { resourceGroupName: "rg", diagnostics: monitoring.diagnostics() });
            new Vault("ops", { resourceGroupName: "rg", diagnostics: monitoring.diagnostics(["AuditEvent", "AzurePolicyEvaluationDetails"], { metrics: true }) });
        });
        const workspace = one(resources, "azure-native:operationalinsights:Workspace");
        const settings = resources.filter((resource) => resource.type === "azure-native:monitor:DiagnosticSetting");
        expect(settings).toHaveLength(2);
        expect(settings.every((setting) => setting.inputs.workspaceId === workspace.id)).toBe(true);
        const app = settings.find((setting) => setting.name === "app-diagnostics")!;
        const ops = settings.find((setting) => setting.name === "ops-diagnostics")!;
        expect(app.inputs.logs).toEqual([{ category: "AuditEvent", enabled: true }]);
        expect(app.inputs.metrics).toBeUndefined();
        expect(ops.inputs.logs).toEqual([
            { category: "AuditEvent", enabled: true },
            { category: "AzurePolicyEvaluationDetails", enabled: true },
        ]);
        expect(ops.inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    });
});

describe("isWorkspaceName", () => {
    it.each(["log-main", "abcd", "a".repeat(63)])("accepts %s", (name) => expect(isWorkspaceName(name)).toBe(true));
    it.each(["abc", "-log", "log-", "log_main", "a".repeat(64)])("refuses %j", (name) => expect(isWorkspaceName(name)).toBe(false));
});
