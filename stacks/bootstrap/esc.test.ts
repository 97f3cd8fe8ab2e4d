import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { runUnderMocks, valueOf } from "../../offline/mocks";
import { loadStackFile } from "../../offline/stackFile";
import { escEnvironment } from "./esc";

const login = {
    clientId: "00000000-0000-4000-8000-0000000000c1",
    tenantId: "00000000-0000-4000-8000-000000000002",
    subscriptionId: "00000000-0000-4000-8000-000000000001",
};

describe("ESC environment for the deploy identity", () => {
    it("opens azure-login with OIDC for the deploy identity and hands its outputs to the ARM_* variables", () => {
        const parsed = YAML.parse(escEnvironment(login)) as { values: Record<string, Record<string, unknown>> };
        expect(parsed.values.azure).toEqual({ login: { "fn::open::azure-login": { ...login, oidc: true } } });
        expect(parsed.values.environmentVariables).toEqual({
            ARM_USE_OIDC: "true",
            ARM_CLIENT_ID: "${azure.login.clientId}",
            ARM_TENANT_ID: "${azure.login.tenantId}",
            ARM_SUBSCRIPTION_ID: "${azure.login.subscriptionId}",
            ARM_OIDC_TOKEN: "${azure.login.oidc.token}",
        });
        expect(escEnvironment(login)).not.toMatch(/clientSecret/);
    });

    it("is a stack output of the bootstrap, for the deploy identity (not the preview one)", async () => {
        const example = loadStackFile(__dirname, "bootstrap");
        const { outputs } = await runUnderMocks(
            async () => {
                let program: Record<string, pulumi.Output<string>> = {};
                jest.isolateModules(() => {
                    // eslint-disable-next-line @typescript-eslint/no-require-imports
                    program = require("./index") as Record<string, pulumi.Output<string>>;
                });
                return { esc: await valueOf(program.escEnvironment), clientId: await valueOf(program.clientId), previewClientId: await valueOf(program.previewClientId) };
            },
            { project: "keyless-bootstrap", stack: "bootstrap", config: example.config },
        );
        const login = (YAML.parse(outputs.esc) as { values: { azure: { login: Record<string, { clientId: string }> } } }).values.azure.login["fn::open::azure-login"];
        expect(login.clientId).toBe(outputs.clientId);
        expect(login.clientId).not.toBe(outputs.previewClientId);
    });

    it("names each value that is not a GUID", () => {
        expect(() => escEnvironment({ ...login, subscriptionId: "/subscriptions/x", tenantId: "contoso" })).toThrow(/tenantId, subscriptionId must be GUIDs/);
    });
});
