import { githubToken, runUnderMocks } from "../testing";
import { ofType, thrownBy } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { builtInRoles } from "../access/roles";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { LogicApp, LogicAppArgs } from "./LogicApp";
import { blobReaderWorkflow } from "./workflowDefinition";

const blobUrl = "https://stapp.blob.core.windows.net/reports/daily.csv";
const containerId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stapp/blobServices/default/containers/reports";

describe("LogicApp", () => {
    it("declares a Consumption workflow that reads a blob with its user-assigned identity", async () => {
        const { resources } = await runUnderMocks(() => {
            const identity = new ManagedIdentity("reports", {
                resourceGroupName: "rg",
                grants: [{ role: "Storage Blob Data Reader", target: { kind: "container", name: "stapp/reports", id: containerId } }],
            });
            new LogicApp("reports", {
                resourceGroupName: "rg",
                identity: { userAssigned: [identity] },
                definition: blobReaderWorkflow({ blobUrl, identityId: identity.id }),
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
                lock: { kind: "CanNotDelete" },
            });
        });
        const [component] = ofType(resources, "keyless:logic:LogicApp");
        const [workflow] = ofType(resources, "azure-native:logic:Workflow");
        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        expect(workflow.parentUrn).toBe(component.urn);
        expect(workflow.inputs.workflowName).toBe("logic-reports");
        expect(workflow.inputs.state).toBe("Enabled");
        expect(workflow.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        const definition = workflow.inputs.definition as { actions: { Read_blob: { inputs: Record<string, unknown> } } };
        expect(definition.actions.Read_blob.inputs.authentication).toEqual({
            type: "ManagedServiceIdentity",
            identity: identity.id,
            audience: "https://storage.azure.com/",
        });
        expect(definition.actions.Read_blob.inputs.headers).toEqual({ "x-ms-version": "2023-11-03" });
        // The workflow is created after the identity's read grant exists.
        const [grant] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(workflow.dependencies).toContain(grant.urn);
        expect(ofType(resources, "azure-native:web:Connection")).toHaveLength(0);
        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diagnostics.inputs.logs).toEqual([{ category: "WorkflowRuntime", enabled: true }]);
        expect(ofType(resources, "azure-native:authorization:ManagementLockByScope")).toHaveLength(1);
    });

    it("grants roles to the system-assigned identity through its principal ID", async () => {
        const { resources } = await runUnderMocks(() => {
            new LogicApp("sys", {
                resourceGroupName: "rg",
                identity: { systemAssigned: true },
                definition: blobReaderWorkflow({ blobUrl }),
                grants: [{ role: "Storage Blob Data Reader", target: { kind: "container", name: "stapp/reports", id: containerId } }],
            });
        });
        const [workflow] = ofType(resources, "azure-native:logic:Workflow");
        expect(workflow.inputs.identity).toEqual({ type: "SystemAssigned" });
        const [assignment] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(assignment.inputs.principalId).toBe((workflow.state.identity as { principalId: string }).principalId);
        expect(assignment.inputs.scope).toBe(containerId);
        expect(String(assignment.inputs.roleDefinitionId)).toMatch(new RegExp(`${builtInRoles["Storage Blob Data Reader"].id}$`));
    });

    const basicAuthDefinition = () => {
        const definition = blobReaderWorkflow({ blobUrl });
        (definition.actions as Record<string, { inputs: Record<string, unknown> }>).Read_blob.inputs.authentication = { type: "Basic", username: "svc", password: "p" };
        return definition;
    };
    const tokenHeaderDefinition = () => {
        const definition = blobReaderWorkflow({ blobUrl });
        const inputs = (definition.actions as Record<string, { inputs: { headers: Record<string, string> } }>).Read_blob.inputs;
        inputs.headers = { ...inputs.headers, "X-Greeting": githubToken().text };
        return definition;
    };
    const invalid: [string, () => Partial<LogicAppArgs> & Record<string, unknown>, RegExp | RegExp[]][] = [
        ["the Standard plan", () => ({ plan: "Standard" }), /plan "Standard" is not supported: .*Azure Files share, which is reached with a storage account key/],
        [
            "a workflow without an identity",
            () => ({ identity: {} }),
            [
                /^identity must enable systemAssigned or list at least one userAssigned identity; got neither: /,
                /^definition\.actions\.Read_blob: authentication uses the system-assigned identity \(no identity given\) but the workflow has none; /,
            ],
        ],
        ["both identity kinds", () => ({ identity: { systemAssigned: true, userAssigned: [new ManagedIdentity("u", { resourceGroupName: "rg" })] } }), /either the system-assigned identity or one user-assigned identity, not both/],
        ["grants without a system-assigned identity", () => ({ identity: { userAssigned: [new ManagedIdentity("u", { resourceGroupName: "rg" })] }, definition: blobReaderWorkflow({ blobUrl, identityId: "/x" }), grants: [{ role: "Storage Blob Data Reader", target: { kind: "container", name: "c", id: containerId } }] }), /grants apply to the system-assigned identity, which is off/],
        ["an HTTP action with Basic authentication", () => ({ definition: basicAuthDefinition() }), /definition\.actions\.Read_blob: authentication type "Basic" stores a user name and password/],
        ["a token in a header with an innocuous name", () => ({ definition: tokenHeaderDefinition() }), /^definition\.actions\.Read_blob: header "X-Greeting" holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)\.$/],
        ["a privileged grant", () => ({ grants: [{ role: "Contributor", target: { kind: "container", name: "c", id: containerId } }] }), /"Contributor" on container "c" is privileged/],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            const args = { resourceGroupName: "rg", identity: { systemAssigned: true }, definition: blobReaderWorkflow({ blobUrl }), ...extra() } as LogicAppArgs;
            const thrown = thrownBy(() => new LogicApp("bad", args));
            expect(thrown).toBeInstanceOf(ProblemsError);
            expect((thrown as ProblemsError).subject).toBe('LogicApp "bad"');
            expect((thrown as ProblemsError).problems).toEqual((Array.isArray(message) ? message : [message]).map((line) => expect.stringMatching(line)));
        });
        expect(ofType(resources, "keyless:logic:LogicApp")).toHaveLength(0);
        expect(ofType(resources, "azure-native:logic:Workflow")).toHaveLength(0);
    });
});
