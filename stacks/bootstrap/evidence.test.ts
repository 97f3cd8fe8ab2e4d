import { runUnderMocks, valueOf } from "../../infra/testing";
import { loadStackFile } from "../../offline/stackFile";
import { deployBootstrap } from "./bootstrap";
import { readBootstrapConfig } from "./config";
import { activityLogCategories, entraLogCategories } from "./evidence";

const project = "keyless-bootstrap";
const example = loadStackFile(__dirname, "bootstrap");

async function run(evidence?: Record<string, unknown>) {
    const config = { ...example.config, ...(evidence ? { [`${project}:evidence`]: JSON.stringify(evidence) } : {}) };
    return runUnderMocks(
        async () => {
            const out = deployBootstrap(readBootstrapConfig());
            return {
                auditWorkspaceId: await valueOf(out.auditWorkspaceId),
                federatedCredentialIds: await valueOf(out.federatedCredentialIds),
                previewFederatedCredentialIds: await valueOf(out.previewFederatedCredentialIds),
                principalId: await valueOf(out.principalId),
                ghCommands: await valueOf(out.ghCommands),
            };
        },
        { project, stack: "bootstrap", config },
    );
}

describe("the bootstrap's evidence for the access review", () => {
    it("sends the subscription's Activity Log to an audit workspace in the bootstrap group, which keeps the review's saved searches", async () => {
        const { resources, outputs } = await run();
        const workspace = resources.find((resource) => resource.type === "azure-native:operationalinsights:Workspace")!;
        expect(workspace.inputs).toMatchObject({ workspaceName: "log-keyless-audit", retentionInDays: 90, resourceGroupName: "rg-keyless-bootstrap" });
        expect(outputs.auditWorkspaceId).toBe(workspace.id);
        const [activity] = resources.filter((resource) => resource.type === "azure-native:monitor:SubscriptionDiagnosticSetting");
        expect(activity.inputs).toEqual({ name: "keyless-activity-log", workspaceId: workspace.id, logs: activityLogCategories.map((category) => ({ category, enabled: true })) });
        expect(resources.filter((resource) => resource.type === "azure-native:operationalinsights:SavedSearch")).toHaveLength(6);
        // Entra's tenant setting is opt-in: it needs an Entra role that nobody running a plain bootstrap must hold.
        expect(resources.filter((resource) => resource.type === "azure-native:aadiam:DiagnosticSetting")).toEqual([]);
    });

    it("declares the Entra ID sign-in logs setting when an admin opts in", async () => {
        const { resources } = await run({ entraSignInLogs: true, retentionDays: 180 });
        const workspace = resources.find((resource) => resource.type === "azure-native:operationalinsights:Workspace")!;
        expect(workspace.inputs.retentionInDays).toBe(180);
        const [entra] = resources.filter((resource) => resource.type === "azure-native:aadiam:DiagnosticSetting");
        expect(entra.inputs).toEqual({ name: "keyless-sign-ins", workspaceId: workspace.id, logs: entraLogCategories.map((category) => ({ category, enabled: true })) });
    });

    it("exports the federated credentials' IDs, so the review can tell a deploy sign-in through another credential", async () => {
        const { resources, outputs } = await run();
        const credentials = resources.filter((resource) => resource.type === "azure-native:managedidentity:FederatedIdentityCredential");
        expect([...outputs.federatedCredentialIds, ...outputs.previewFederatedCredentialIds].sort()).toEqual(credentials.map((credential) => credential.id).sort());
        expect(outputs.federatedCredentialIds.length).toBeGreaterThan(0);
        // The same IDs reach the weekly review as a repository variable, in the shape --bootstrap-outputs reads.
        const line = outputs.ghCommands.split("\n").find((command) => command.startsWith("gh variable set KEYLESS_BOOTSTRAP_OUTPUTS "))!;
        const value = JSON.parse(line.replace(/^.* --body '(.*)'$/, "$1"));
        expect(value).toEqual(expect.objectContaining({ principalId: outputs.principalId, federatedCredentialIds: outputs.federatedCredentialIds }));
    });

    it("refuses a retention outside 30-730 days and an unknown key", async () => {
        const config = (evidence: unknown) => ({ ...example.config, [`${project}:evidence`]: JSON.stringify(evidence) });
        // One mock run at a time: the runtime's state is global.
        await expect(runUnderMocks(() => deployBootstrap(readBootstrapConfig()), { project, stack: "bootstrap", config: config({ retentionDays: 7 }) })).rejects.toThrow(/evidence\.retentionDays: expected 30 to 730 days/);
        await expect(runUnderMocks(() => deployBootstrap(readBootstrapConfig()), { project, stack: "bootstrap", config: config({ signIns: true }) })).rejects.toThrow(/evidence: unknown key "signIns"/);
    });
});
