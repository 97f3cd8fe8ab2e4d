import { randomBytes } from "crypto";
import { githubToken, jsonWebToken, revealsMoreThan4, sasUrl } from "../testing/credentials";
import { blobReaderWorkflow, blobServiceVersion, storageAudience, workflowDefinitionProblems } from "./workflowDefinition";
import { ProblemsError } from "../shared/problems";

const blobUrl = "https://stapp.blob.core.windows.net/reports/daily.csv";
const identityId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-reports";
const userAssigned = { systemAssigned: false, userAssignedCount: 1 };
const systemAssigned = { systemAssigned: true, userAssignedCount: 0 };

function httpAction(inputs: Record<string, unknown>) {
    return { type: "Http", runAfter: {}, inputs: { method: "GET", uri: blobUrl, ...inputs } };
}

function definitionWith(actions: Record<string, unknown>, triggers: Record<string, unknown> = { Recurrence: { type: "Recurrence", recurrence: { frequency: "Hour", interval: 1 } } }) {
    return { ...blobReaderWorkflow({ blobUrl }), triggers, actions };
}

describe("blobReaderWorkflow", () => {
    it("reads the blob with an HTTP GET, the x-ms-version header and the user-assigned identity", () => {
        const definition = blobReaderWorkflow({ blobUrl, identityId });
        const action = (definition.actions as Record<string, { type: string; inputs: Record<string, unknown> }>).Read_blob;
        expect(action.type).toBe("Http");
        expect(action.inputs).toEqual({
            method: "GET",
            uri: blobUrl,
            headers: { "x-ms-version": blobServiceVersion },
            authentication: { type: "ManagedServiceIdentity", identity: identityId, audience: storageAudience },
        });
        expect(storageAudience).toBe("https://storage.azure.com/");
        expect(JSON.stringify(definition)).not.toMatch(/connection|password|secret|sig=/i);
        expect(workflowDefinitionProblems(definition, userAssigned)).toEqual([]);
    });

    it("uses the system-assigned identity when no identity is named", () => {
        const definition = blobReaderWorkflow({ blobUrl, recurrence: { frequency: "Day", interval: 1 } });
        const action = (definition.actions as Record<string, { inputs: { authentication: Record<string, unknown> } }>).Read_blob;
        expect(action.inputs.authentication).toEqual({ type: "ManagedServiceIdentity", audience: storageAudience });
        expect(workflowDefinitionProblems(definition, systemAssigned)).toEqual([]);
        expect(workflowDefinitionProblems(definition, userAssigned)).toEqual([
            expect.stringMatching(/^actions\.Read_blob: authentication uses the system-assigned identity .* but the workflow has none/),
        ]);
    });

    it("refuses a SAS URL without repeating its signature", () => {
        const signature = encodeURIComponent(randomBytes(32).toString("base64"));
        const sasUrl = `${blobUrl}?sv=2022-11-02&sp=r&${"si"}g=${signature}`;
        expect(() => blobReaderWorkflow({ blobUrl: sasUrl })).toThrow(
            new ProblemsError("blobReaderWorkflow", [`blobUrl must be https://<account>.blob.core.windows.net/<container>/<blob> without a query string; got "${blobUrl}?…".`]),
        );
        try {
            blobReaderWorkflow({ blobUrl: sasUrl });
        } catch (error) {
            expect((error as Error).message).not.toContain(signature);
        }
    });
});

describe("workflowDefinitionProblems", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["Basic authentication", httpAction({ authentication: { type: "Basic", username: "svc", password: "p" } }), /actions\.Call: authentication type "Basic" stores a user name and password/],
        ["a client certificate", httpAction({ authentication: { type: "ClientCertificate", pfx: "x", password: "p" } }), /authentication type "ClientCertificate" stores a client certificate/],
        ["an app registration secret", httpAction({ authentication: { type: "ActiveDirectoryOAuth", tenant: "t", audience: "a", clientId: "c", secret: "s" } }), /authentication type "ActiveDirectoryOAuth" stores an app registration's client secret/],
        ["a raw Authorization value", httpAction({ authentication: { type: "Raw", value: "Bearer x" } }), /authentication type "Raw" stores a literal Authorization header value/],
        ["a password beside the managed identity", httpAction({ authentication: { type: "ManagedServiceIdentity", audience: storageAudience, password: "p" } }), /authentication\.password is a stored credential/],
        ["no authentication", httpAction({}), /actions\.Call: HTTP calls must authenticate with the workflow's managed identity .* it has no authentication/],
        ["an Authorization header", httpAction({ authentication: { type: "ManagedServiceIdentity", audience: storageAudience }, headers: { Authorization: "Bearer x" } }), /header "Authorization" carries a credential/],
        ["a function key in the URL", httpAction({ uri: "https://func.azurewebsites.net/api/run?code=abc", authentication: { type: "ManagedServiceIdentity", audience: "api://func" } }), /the URI carries a key \("code=" in its query\)/],
    ];
    it.each(cases)("refuses %s, naming the step", (_case, action, message) => {
        const problems = workflowDefinitionProblems(definitionWith({ Call: action }), systemAssigned);
        expect(problems).toEqual([expect.stringMatching(message)]);
    });

    const managedIdentity = { type: "ManagedServiceIdentity", audience: storageAudience };
    it.each([
        ["a GitHub token", githubToken, /^actions\.Call: header "X-Greeting" holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)\.$/],
        ["a JSON Web Token", jsonWebToken, /^actions\.Call: header "X-Greeting" holds a credential: jwt \(JSON Web Token: eyJh…\(\d+ chars\)\)\.$/],
        ["a SAS URL", () => sasUrl(), /^actions\.Call: header "X-Greeting" holds a credential: sas-token \(Shared access signature \(sig=\): .{0,4}…\(\d+ chars\)\)\.$/],
    ])("refuses %s in a header with an innocuous name, showing at most 4 characters of it", (_case, make, message) => {
        const credential = make();
        const problems = workflowDefinitionProblems(
            definitionWith({ Call: httpAction({ authentication: managedIdentity, headers: { "x-ms-version": blobServiceVersion, "X-Greeting": credential.text } }) }),
            systemAssigned,
        );
        expect(problems).toEqual([expect.stringMatching(message)]);
        expect(revealsMoreThan4(problems[0], credential.secret)).toBe(false);
    });

    it("refuses a credential in the URI and names its kind", () => {
        const credential = sasUrl("stapp");
        const problems = workflowDefinitionProblems(definitionWith({ Call: httpAction({ uri: credential.text, authentication: managedIdentity }) }), systemAssigned);
        expect(problems).toEqual([expect.stringMatching(/^actions\.Call: the URI carries a credential: sas-token \(.*\); call the endpoint with the managed identity instead\.$/)]);
        expect(revealsMoreThan4(problems[0], credential.secret)).toBe(false);
    });

    it("finds HTTP actions nested in scopes, conditions and switches", () => {
        const basic = httpAction({ authentication: { type: "Basic", username: "svc", password: "p" } });
        const problems = workflowDefinitionProblems(
            definitionWith({
                Scope: { type: "Scope", actions: { Inner: basic } },
                Check: { type: "If", expression: {}, actions: {}, else: { actions: { Fallback: basic } } },
                Route: { type: "Switch", cases: { A: { actions: { CaseA: basic } } }, default: { actions: { Other: basic } } },
            }),
            systemAssigned,
        );
        expect(problems.map((problem) => problem.split(":")[0])).toEqual([
            "actions.Scope.actions.Inner",
            "actions.Check.else.actions.Fallback",
            "actions.Route.cases.A.actions.CaseA",
            "actions.Route.default.actions.Other",
        ]);
    });

    it("refuses SAS-signed Request triggers, HTTP triggers with keys, and managed API connections", () => {
        const problems = workflowDefinitionProblems(
            definitionWith(
                { Save: { type: "ApiConnection", inputs: { host: { connection: { name: "@parameters('$connections')['azureblob']['connectionId']" } } } } },
                { Manual: { type: "Request", kind: "Http" }, Poll: { type: "Http", inputs: { method: "GET", uri: blobUrl, authentication: { type: "Basic", username: "u", password: "p" } } } },
            ),
            systemAssigned,
        );
        expect(problems).toEqual([
            expect.stringMatching(/^triggers\.Manual: a Request trigger is called through a URL signed with a shared access signature/),
            expect.stringMatching(/^triggers\.Poll: authentication type "Basic"/),
            expect.stringMatching(/^actions\.Save: "ApiConnection" goes through a managed API connection/),
        ]);
    });

    it("refuses a user-assigned identity the workflow does not have", () => {
        const problems = workflowDefinitionProblems(blobReaderWorkflow({ blobUrl, identityId }), systemAssigned);
        expect(problems).toEqual([expect.stringMatching(/names a user-assigned identity but the workflow has none attached/)]);
    });

    it("refuses something that is not a definition", () => {
        expect(workflowDefinitionProblems("{}", systemAssigned)).toEqual([expect.stringMatching(/must be a workflow definition object/)]);
    });
});
