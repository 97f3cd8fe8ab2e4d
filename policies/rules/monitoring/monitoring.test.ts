import { fixture, wellConfigured } from "../../testing/fixtures";
import { describeResourceRule, runStackPolicy, UNKNOWN_ARRAY, urnOf } from "../../testing";
import { diagnosticLogsEnabled } from "./diagnostic-logs-enabled";
import { logAnalyticsLocalAuthDisabled } from "./loganalytics-local-auth-disabled";
import { logAnalyticsPublicNetworkDisabled } from "./loganalytics-public-network-disabled";

const workspace = fixture("logs");

describeResourceRule(
    logAnalyticsLocalAuthDisabled,
    workspace,
    [
        { path: "features.disableLocalAuth", value: false, message: 'Workspace "logs" features.disableLocalAuth: is false; set it to true.' },
        { path: "features", value: undefined, message: 'Workspace "logs" features.disableLocalAuth: is not set, and Azure\'s default is shared keys accepted; set it to true.' },
    ],
    "features",
);

describeResourceRule(
    logAnalyticsPublicNetworkDisabled,
    workspace,
    [
        {
            path: "publicNetworkAccessForQuery",
            value: "Enabled",
            message: 'Workspace "logs" publicNetworkAccessForQuery: is "Enabled"; set it to "Disabled" and reach the workspace through an Azure Monitor Private Link Scope.',
        },
        {
            path: "publicNetworkAccessForIngestion",
            value: undefined,
            message:
                'Workspace "logs" publicNetworkAccessForIngestion: is not set, and Azure\'s default is Enabled; set it to "Disabled" and reach the workspace through an Azure Monitor Private Link Scope.',
        },
    ],
    "publicNetworkAccessForQuery",
);

describe("diagnostic-logs-enabled (stack)", () => {
    const stack = wellConfigured();

    it("passes when each covered resource has a setting with an enabled log", async () => {
        expect(await runStackPolicy(diagnosticLogsEnabled, stack)).toEqual([]);
    });

    it("fails a vault with no diagnostic setting", async () => {
        expect(await runStackPolicy(diagnosticLogsEnabled, stack.filter((r) => r.name !== "kv-diagnostics"))).toEqual([
            {
                message: 'Vault "kv" diagnosticSettings: no diagnostic setting targets it, and Azure keeps no resource logs by default; declare one with an enabled log category.',
                urn: urnOf("azure-native:keyvault:Vault", "kv"),
            },
        ]);
    });

    it("fails a setting whose logs are off or kept less than 365 days, and skips unknown logs", async () => {
        const edit = (logs: unknown) => stack.map((r) => (r.name === "bus-diagnostics" ? { ...r, props: { ...r.props, logs } } : r));
        const message = 'Namespace "bus" diagnosticSettings: its diagnostic settings enable no log category (or keep them under 365 days); enable one.';
        expect(await runStackPolicy(diagnosticLogsEnabled, edit([{ category: "OperationalLogs", enabled: false }]))).toEqual([{ message, urn: urnOf("azure-native:servicebus:Namespace", "bus") }]);
        expect(await runStackPolicy(diagnosticLogsEnabled, edit([{ category: "OperationalLogs", enabled: true, retentionPolicy: { enabled: true, days: 30 } }]))).toHaveLength(1);
        expect(await runStackPolicy(diagnosticLogsEnabled, edit([{ category: "OperationalLogs", enabled: true, retentionPolicy: { enabled: true, days: 0 } }]))).toEqual([]);
        expect(await runStackPolicy(diagnosticLogsEnabled, edit(UNKNOWN_ARRAY))).toEqual([]);
    });

    it("matches a setting by resourceUri when the engine reports no dependency (v2 insights token)", async () => {
        const vaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-app";
        const byId = stack.map((r) =>
            r.name === "kv-diagnostics"
                ? { ...r, type: "azure-native:insights:DiagnosticSetting", dependencies: [], props: { ...r.props, resourceUri: vaultId.toUpperCase() } }
                : r.name === "kv"
                  ? { ...r, props: { ...r.props, id: vaultId } }
                  : r,
        );
        expect(await runStackPolicy(diagnosticLogsEnabled, byId)).toEqual([]);
    });
});
