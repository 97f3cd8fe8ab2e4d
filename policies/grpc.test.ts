import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engine from "@pulumi/pulumi/proto/engine_pb";
import Ajv from "ajv";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { allRules } from "./rules";
import { classicFixture, fixture, wellConfigured, wellConfiguredClassic } from "./testing/fixtures";
import { leaksMoreThanFour, secrets, StackFixture, UNKNOWN_STRING, urnOf } from "./testing";
import { previewStack, previewUrns } from "./testing/previewStack";

/**
 * Runs the pack the way `pulumi preview --policy-pack policies` does: `run-policy-pack <engine-address> .` with the
 * pack directory as working directory (ts-node type-checks the pack as it loads), then drives it over gRPC in the
 * engine's order: Handshake (the Node SDK does not implement it; the engine falls back), ConfigureStack,
 * GetAnalyzerInfo, GetPluginInfo, Configure, Analyze per resource, AnalyzeStack.
 */

const packDir = __dirname;
// Resolved from the pack directory, as the CLI's `pulumi-analyzer-policy` shim does (finds the hoisted workspace copy).
const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
const LOAD_TIMEOUT_MS = 150_000;
const CALL_TIMEOUT_MS = 30_000;

const secretSig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const stackName = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${stackName}::keyless::${type}::${name}`;

let engineServer: grpc.Server;
const engineLogs: { severity: number; message: string }[] = [];
let child: ChildProcess | undefined;
let stderr = "";
let client: analyzerRpc.AnalyzerClient;
let loadSeconds = 0;

/** A fake engine: the pack may log to it (and ask for the root resource); nothing else. */
async function startEngine(): Promise<string> {
    engineServer = new grpc.Server();
    engineServer.addService(engineRpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<engine.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
            engineLogs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
            callback(null, new Empty());
        },
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engine.GetRootResourceResponse>) => callback(null, new engine.GetRootResourceResponse()),
        setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engine.SetRootResourceResponse>) => callback(null, new engine.SetRootResourceResponse()),
        startDebugging: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<engine.RequirePulumiVersionResponse>) =>
            callback(null, new engine.RequirePulumiVersionResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        engineServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return `127.0.0.1:${port}`;
}

/** Starts the pack and resolves with the port it prints on stdout. */
function startPack(engineAddress: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        child = spawn(process.execPath, [runPolicyPack, engineAddress, "."], {
            cwd: packDir,
            // As the CLI's constructEnv does for a Node pack.
            env: { ...process.env, PULUMI_NODEJS_PROJECT: "keyless", PULUMI_NODEJS_STACK: stackName, PULUMI_NODEJS_DRY_RUN: "true" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        const timer = setTimeout(() => reject(new Error(`policy pack printed no port within ${LOAD_TIMEOUT_MS} ms; stderr:\n${stderr}`)), LOAD_TIMEOUT_MS);
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) {
                clearTimeout(timer);
                loadSeconds = (Date.now() - started) / 1000;
                resolve(Number(match[1]));
            }
        });
        child.stderr?.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`policy pack exited with ${code} before printing a port; stderr:\n${stderr}`));
        });
    });
}

function deadline(): grpc.CallOptions {
    return { deadline: Date.now() + CALL_TIMEOUT_MS };
}

function unary<Req, Res>(method: (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        method.call(client, request, new grpc.Metadata(), deadline(), (error: grpc.ServiceError | null, response: Res) => (error ? reject(error) : resolve(response)));
    });
}

function options(): analyzer.AnalyzerResourceOptions {
    return new analyzer.AnalyzerResourceOptions();
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): analyzer.AnalyzeRequest {
    const request = new analyzer.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(urn(type, name));
    request.setProperties(Struct.fromJavaScript(props as never));
    request.setOptions(options());
    return request;
}

interface Diagnostic {
    policy: string;
    level: analyzer.EnforcementLevel;
    message: string;
    urn: string;
}

/** The SDK prefixes each message with the policy's description and a newline; the finding is the last line. */
function finding(message: string): string {
    return message.split("\n").pop() ?? message;
}

async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diagnostic[]> {
    const response = await unary<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze, analyzeRequest(type, name, props));
    return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage(), urn: d.getUrn() }));
}

async function configure(config: Record<string, { level: analyzer.EnforcementLevel; properties?: Record<string, unknown> }>): Promise<void> {
    const request = new analyzer.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
        // The engine always sends each configured policy's level; an unset level would read as ADVISORY (0).
        const policyConfig = new analyzer.PolicyConfig();
        policyConfig.setEnforcementlevel(entry.level);
        policyConfig.setProperties(Struct.fromJavaScript((entry.properties ?? {}) as never));
        map.set(name, policyConfig);
    }
    await unary(client.configure, request);
}

const compliantAccount = fixture("st").props;

beforeAll(async () => {
    const engineAddress = await startEngine();
    const port = await startPack(engineAddress);
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    // Type-checking the pack at load is the slow part; report it so regressions are visible.
    console.log(`policy pack loaded (ts-node type-check included) in ${loadSeconds.toFixed(1)} s`);
}, LOAD_TIMEOUT_MS + 10_000);

afterAll(async () => {
    client?.close();
    if (child && child.exitCode === null) {
        const running = child;
        let timer: NodeJS.Timeout | undefined;
        const exited = new Promise((resolve) => running.once("exit", resolve));
        running.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
        clearTimeout(timer);
        if (running.exitCode === null && running.signalCode === null) {
            running.kill("SIGKILL");
        }
    }
    await new Promise<void>((resolve) => engineServer.tryShutdown(() => resolve()));
});

describe("policy pack over the analyzer protocol", () => {
    it("answers the engine's start-up calls: Handshake is unimplemented (the engine falls back), ConfigureStack and GetPluginInfo succeed", async () => {
        const handshake = new analyzer.AnalyzerHandshakeRequest();
        handshake.setEngineAddress("127.0.0.1:1");
        await expect(unary(client.handshake, handshake)).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
        const stack = new analyzer.AnalyzerStackConfigureRequest();
        stack.setStack(stackName);
        stack.setProject("keyless");
        stack.setDryRun(true);
        await expect(unary(client.configureStack, stack)).resolves.toBeDefined();
        const info = await unary<Empty, { getVersion(): string }>(client.getPluginInfo, new Empty());
        expect(info.getVersion()).toMatch(/^v?\d+\.\d+\.\d+/);
    });

    it("GetAnalyzerInfo lists every rule with its level, severity and exemptions schema", async () => {
        const info = await unary<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        expect(info.getName()).toBe("keyless");
        expect(info.getVersion()).toBe("0.1.0");
        expect(info.getSupportsconfig()).toBe(true);
        const policies = info.getPoliciesList();
        expect(policies.map((p) => p.getName()).sort()).toEqual(allRules.map((r) => r.name).sort());
        const level = (name: string) => policies.find((p) => p.getName() === name)?.getEnforcementlevel();
        expect(level("no-hardcoded-secrets")).toBe(analyzer.EnforcementLevel.MANDATORY);
        expect(level("workload-managed-identity")).toBe(analyzer.EnforcementLevel.MANDATORY);
        expect(level("keyvault-network-deny-by-default")).toBe(analyzer.EnforcementLevel.ADVISORY);
        expect(level("keyvault-admin-to-workload")).toBe(analyzer.EnforcementLevel.ADVISORY);
        const stackPolicy = policies.find((p) => p.getName() === "identities-used-and-granted");
        expect(stackPolicy?.getPolicyType()).toBe(analyzer.PolicyType.POLICY_TYPE_STACK);
        for (const policy of policies) {
            const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, { items: { required: string[] } }>;
            expect(schema.exemptions.items.required).toEqual(["resource", "reason"]);
            expect(policy.getRemediationSteps()).not.toBe("");
        }
    });

    it("validates configs against the advertised schema as the engine does: an exemption needs a reason", async () => {
        const info = await unary<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        const policy = info.getPoliciesList().find((p) => p.getName() === "storage-shared-key-disabled");
        const properties = policy?.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, unknown>;
        // The engine adds enforcementLevel to each policy's schema and validates the whole entry.
        const schema = {
            type: "object",
            properties: { ...properties, enforcementLevel: { type: "string", enum: ["advisory", "mandatory", "remediate", "disabled"] } },
        };
        const validate = new Ajv().compile(schema);
        expect(validate({ enforcementLevel: "mandatory", exemptions: [{ resource: "st-legacy", reason: "Consumption plan content share" }] })).toBe(true);
        expect(validate({ exemptions: [{ resource: "st-legacy" }] })).toBe(false);
        expect(validate({ exemptions: [{ resource: "st-legacy", reason: "" }] })).toBe(false);
        expect(validate({ exemptions: [{ resource: "st-legacy", reason: "   " }] })).toBe(false);
        for (const file of ["config.dev.json", "config.prod.json"]) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const config = require(path.join(packDir, file)) as Record<string, unknown>;
            for (const [name, entry] of Object.entries(config)) {
                expect(validate(entry)).toBe(true);
                expect(info.getPoliciesList().some((p) => p.getName() === name)).toBe(true);
            }
        }
    });

    it("Analyze passes a compliant resource", async () => {
        expect(await analyze("azure-native:storage:StorageAccount", "st", compliantAccount)).toEqual([]);
    });

    it("Analyze reports a credential sent as a Pulumi secret in a non-sink property, masked, while another field is unknown", async () => {
        const key = secrets.storageKey();
        const props = {
            httpsOnly: true,
            identity: { type: "SystemAssigned" },
            siteConfig: {
                minTlsVersion: "1.2",
                ftpsState: "Disabled",
                appSettings: [
                    { name: "Storage", value: { ...secretSig, value: secrets.storageConnectionString(key) } },
                    { name: "Later", value: UNKNOWN_STRING },
                ],
            },
        };
        const diagnostics = await analyze("azure-native:web:WebApp", "api", props);
        const leak = diagnostics.find((d) => d.policy === "no-hardcoded-secrets");
        expect(leak).toBeDefined();
        expect(leak?.level).toBe(analyzer.EnforcementLevel.MANDATORY);
        expect(leak?.message).toContain('WebApp "api" siteConfig.appSettings[0].value: Storage account connection string');
        expect(leak?.message).toContain(`${key.slice(0, 4)}…`);
        for (const diagnostic of diagnostics) {
            expect(leaksMoreThanFour(diagnostic.message, key)).toBe(false);
            // No policy was skipped as a whole because of the unknown field.
            expect(diagnostic.message).not.toMatch(/can't run policy/);
        }
        expect(diagnostics.find((d) => d.policy === "web-no-connection-string-with-key")?.level).toBe(analyzer.EnforcementLevel.MANDATORY);
    });

    it("Analyze accepts a secret in a sink (Key Vault secret value)", async () => {
        const props = { vaultName: "kv", resourceGroupName: "rg", properties: { value: { ...secretSig, value: secrets.storageConnectionString() }, attributes: { expires: 1893456000 } } };
        expect(await analyze("azure-native:keyvault:Secret", "storage", props)).toEqual([]);
    });

    it("reports an advisory rule at its default level, and Configure changes levels and adds exemptions", async () => {
        const vault = {
            properties: { enableRbacAuthorization: true, enablePurgeProtection: true, networkAcls: { defaultAction: "Allow" }, publicNetworkAccess: "Disabled", tenantId: "t", sku: { family: "A", name: "standard" } },
        };
        const { publicNetworkAccess: _left, ...publicByDefault } = vault.properties;
        const before = await analyze("azure-native:keyvault:Vault", "kv", { properties: publicByDefault });
        // Both rules are advisory by default, the public network access one included (lib/levels.ts).
        expect(before.map((d) => [d.policy, d.level])).toEqual([
            ["keyvault-network-deny-by-default", analyzer.EnforcementLevel.ADVISORY],
            ["keyvault-public-network-disabled", analyzer.EnforcementLevel.ADVISORY],
        ]);

        await configure({
            "keyvault-network-deny-by-default": { level: analyzer.EnforcementLevel.MANDATORY },
            "keyvault-public-network-disabled": { level: analyzer.EnforcementLevel.MANDATORY },
            "storage-shared-key-disabled": {
                level: analyzer.EnforcementLevel.MANDATORY,
                properties: { exemptions: [{ resource: "st-legacy", reason: "Consumption plan content share needs a key" }] },
            },
        });
        const after = await analyze("azure-native:keyvault:Vault", "kv", { properties: publicByDefault });
        expect(after.map((d) => [d.policy, d.level])).toEqual([
            ["keyvault-network-deny-by-default", analyzer.EnforcementLevel.MANDATORY],
            ["keyvault-public-network-disabled", analyzer.EnforcementLevel.MANDATORY],
        ]);
        expect(finding(after[1].message)).toBe(
            'Vault "kv" properties.publicNetworkAccess: is not set, and Azure\'s default is Enabled; set it to "Disabled" and reach it through a private endpoint.',
        );

        const open = { ...compliantAccount, allowSharedKeyAccess: true };
        expect(await analyze("azure-native:storage:StorageAccount", "st-legacy", open)).toEqual([]);
        const other = await analyze("azure-native:storage:StorageAccount", "st-other", open);
        expect(other.map((d) => [d.policy, d.level])).toEqual([["storage-shared-key-disabled", analyzer.EnforcementLevel.MANDATORY]]);
        expect(other[0].message).toContain('StorageAccount "st-other" allowSharedKeyAccess: is true');
    });

    it("rejects an exemption without a reason even when the engine's schema check is bypassed", async () => {
        await configure({ "storage-shared-key-disabled": { level: analyzer.EnforcementLevel.MANDATORY, properties: { exemptions: [{ resource: "st-legacy" }] } } });
        await expect(analyze("azure-native:storage:StorageAccount", "st-legacy", compliantAccount)).rejects.toThrow(
            /Policy "storage-shared-key-disabled" config: exemptions\[0\]\.reason must be a non-empty explanation/,
        );
        await configure({});
        expect(await analyze("azure-native:storage:StorageAccount", "st", compliantAccount)).toEqual([]);
    });

    it("AnalyzeStack runs the stack rule on outputs", async () => {
        const identity = new analyzer.AnalyzerResource();
        identity.setType("azure-native:managedidentity:UserAssignedIdentity");
        identity.setName("orphan-id");
        identity.setUrn(urn("azure-native:managedidentity:UserAssignedIdentity", "orphan-id"));
        identity.setProperties(Struct.fromJavaScript({ name: "id-orphan", principalId: "00000000-0000-4000-8000-0000000000e5" }));
        identity.setOptions(options());
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList([identity]);
        const response = await unary<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack, request);
        const diagnostics = response.getDiagnosticsList();
        expect(diagnostics.map((d) => d.getPolicyname())).toEqual(["identities-used-and-granted", "identities-used-and-granted"]);
        expect(diagnostics.every((d) => d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY)).toBe(true);
        expect(diagnostics.every((d) => d.getUrn() === identity.getUrn())).toBe(true);
        expect(diagnostics[0].getMessage()).toContain('UserAssignedIdentity "orphan-id" (usage): is not attached to any workload');
    });
    it("passes every well-configured resource that relies on Azure defaults, azure-native v2 tokens included", async () => {
        for (const resource of wellConfigured()) {
            expect({ name: resource.name, diagnostics: await analyze(resource.type, resource.name, resource.props) }).toEqual({ name: resource.name, diagnostics: [] });
        }
    });

    it("judges azure-native v2 tokens as their v3 twins (documentdb:DatabaseAccount is cosmosdb:)", async () => {
        const cosmos = fixture("cosmos");
        await configure({ "cosmosdb-public-network-disabled": { level: analyzer.EnforcementLevel.ADVISORY } });
        const diagnostics = await analyze("azure-native:documentdb:DatabaseAccount", "cosmos", { ...cosmos.props, disableLocalAuth: false, publicNetworkAccess: "Enabled" });
        expect(diagnostics.map((d) => [d.policy, d.level])).toEqual([
            ["cosmosdb-local-auth-disabled", analyzer.EnforcementLevel.MANDATORY],
            ["cosmosdb-public-network-disabled", analyzer.EnforcementLevel.ADVISORY],
        ]);
        expect(finding(diagnostics[1].message)).toBe('DatabaseAccount "cosmos" publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.');
        await configure({});
    });

    it("reports one-change violations of new rules at their levels: a registry password on a container app, TLS 1.0 on storage", async () => {
        const app = fixture("web");
        const password = { ...app.props, configuration: { ...(app.props.configuration as object), registries: [{ server: "acr.azurecr.io", username: "acr", passwordSecretRef: "pw" }] } };
        expect((await analyze(app.type, "web", password)).map((d) => [d.policy, d.level])).toEqual([["container-app-registry-identity", analyzer.EnforcementLevel.MANDATORY]]);
        const weak = await analyze("azure-native:storage:StorageAccount", "st", { ...compliantAccount, minimumTlsVersion: "TLS1_0" });
        expect(weak.map((d) => [d.policy, finding(d.message)])).toEqual([["storage-min-tls-12", 'StorageAccount "st" minimumTlsVersion: is "TLS1_0"; set it to "TLS1_2".']]);
    });

    it("judges classic @pulumi/azure resources in their own shape, by that provider's defaults", async () => {
        const account = classicFixture("st");
        const { sharedAccessKeyEnabled: _key, ...keyByDefault } = account.props;
        const diagnostics = await analyze(account.type, "st", keyByDefault);
        expect(diagnostics.map((d) => [d.policy, d.level, finding(d.message)])).toEqual([
            [
                "storage-shared-key-disabled",
                analyzer.EnforcementLevel.MANDATORY,
                'Account "st" sharedAccessKeyEnabled: is not set, and the classic provider\'s default is true; set it to false and use Entra ID with data-plane roles.',
            ],
        ]);
        for (const resource of wellConfiguredClassic()) {
            expect({ name: resource.name, diagnostics: await analyze(resource.type, resource.name, resource.props) }).toEqual({ name: resource.name, diagnostics: [] });
        }
    });

    it("Remediate applies a safe fix only for a rule configured as remediate, keeping secrets secret", async () => {
        const site = fixture("api");
        const value = secrets.storageConnectionString();
        const props = { ...site.props, httpsOnly: false, tags: { note: { ...secretSig, value } } };
        const request = analyzeRequest(site.type, "api", props);
        const none = await unary<analyzer.AnalyzeRequest, analyzer.RemediateResponse>(client.remediate, request);
        expect(none.getRemediationsList()).toEqual([]);

        await configure({ "web-https-only": { level: analyzer.EnforcementLevel.REMEDIATE } });
        const response = await unary<analyzer.AnalyzeRequest, analyzer.RemediateResponse>(client.remediate, request);
        const remediations = response.getRemediationsList();
        expect(remediations.map((r) => r.getPolicyname())).toEqual(["web-https-only"]);
        const fixed = remediations[0].getProperties()?.toJavaScript() as Record<string, unknown>;
        expect(fixed.httpsOnly).toBe(true);
        expect(fixed.tags).toEqual({ note: { ...secretSig, value } });
        expect(fixed.siteConfig).toEqual(site.props.siteConfig);
        await configure({});
    });

    it("AnalyzeStack reports a site with no WebAppFtpAllowed: Azure's default leaves FTP basic auth on", async () => {
        const site = new analyzer.AnalyzerResource();
        site.setType("azure-native:web:WebApp");
        site.setName("api");
        site.setUrn(urn("azure-native:web:WebApp", "api"));
        site.setProperties(Struct.fromJavaScript({ ...fixture("api").props } as never));
        site.setOptions(options());
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList([site]);
        const response = await unary<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack, request);
        const basicAuth = response.getDiagnosticsList().filter((d) => d.getPolicyname() === "web-basic-publishing-disabled");
        expect(basicAuth.map((d) => [d.getEnforcementlevel(), d.getUrn(), finding(d.getMessage())])).toEqual(
            ["ftp", "scm"].map((kind) => [
                analyzer.EnforcementLevel.MANDATORY,
                site.getUrn(),
                `WebApp "api" basicPublishingCredentialsPolicies/${kind}: no WebApp${kind === "ftp" ? "Ftp" : "Scm"}Allowed is declared, and Azure's default leaves ${kind.toUpperCase()} basic-auth publishing on; declare one with allow: false.`,
            ]),
        );
    });

    it("AnalyzeStack decides reachability at preview from unknown IDs and the engine's property dependencies", async () => {
        const toResource = (fixture: StackFixture) => {
            const resource = new analyzer.AnalyzerResource();
            resource.setType(fixture.type);
            resource.setName(fixture.name);
            resource.setUrn(urnOf(fixture.type, fixture.name));
            resource.setProperties(Struct.fromJavaScript(fixture.props as never));
            resource.setOptions(options());
            for (const [key, urns] of Object.entries(fixture.propertyDependencies ?? {})) {
                resource.getPropertydependenciesMap().set(key, new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns));
            }
            resource.setDependenciesList([...new Set(Object.values(fixture.propertyDependencies ?? {}).flat())]);
            return resource;
        };
        const reachability = async (fixtures: StackFixture[]) => {
            const request = new analyzer.AnalyzeStackRequest();
            request.setResourcesList(fixtures.map(toResource));
            const response = await unary<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack, request);
            return response.getDiagnosticsList().filter((d) => d.getPolicyname() === "grants-reachable");
        };
        // Private endpoint with linked DNS, AKS nodes in the stack subnet: every edge resolved and reachable.
        expect(await reachability(previewStack({ dns: "linked", aksInStackSubnet: true }))).toEqual([]);
        // Nodes in the AKS-managed VNet: the pods' grant is unreachable, reported on it, and blocks (mandatory).
        const found = await reachability(previewStack({ dns: "linked", aksInStackSubnet: false }));
        expect(found.map((d) => d.getUrn())).toEqual([previewUrns.podGrant]);
        expect(found[0].getEnforcementlevel()).toBe(analyzer.EnforcementLevel.MANDATORY);
        expect(found[0].getMessage()).toContain("AKS-managed VNet");
    });
});
