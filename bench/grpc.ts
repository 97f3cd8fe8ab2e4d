import { ChildProcess, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engine from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/**
 * A small analyzer-protocol client for the benchmark: a fake engine the pack can log to, the pack started as the
 * engine starts it (`run-policy-pack <engine-address> <pack-dir>`), and the calls the engine makes. The pack's
 * gRPC test (policies/grpc.test.ts) keeps its own helpers private to the test file, hence this copy of the
 * few lines it needs.
 */

const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const CALL_TIMEOUT_MS = 60_000;

export interface ResourceForAnalysis {
    type: string;
    name: string;
    urn: string;
    /** Inputs, with secrets unwrapped. */
    inputs: Record<string, unknown>;
    /** Dotted paths of inputs that were secrets: sent as the engine sends secrets. */
    secretPaths?: string[];
    /** Outputs, for the stack analysis. */
    state?: Record<string, unknown>;
    parentUrn?: string;
    dependencies?: string[];
}

/** Parses `a.b[2].c` into keys and indexes. */
export function parsePath(path: string): (string | number)[] {
    const parts: (string | number)[] = [];
    const pattern = /([^.[\]]+)|\[(\d+)\]/g;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(path)) !== null) {
        parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
    }
    return parts;
}

/** A deep copy of `value` with the values at `paths` wrapped as RPC secrets. Pure. */
export function wrapSecretsAt(value: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    for (const path of paths) {
        const parts = parsePath(path);
        if (parts.length === 0) {
            continue;
        }
        let holder: unknown = copy;
        for (const part of parts.slice(0, -1)) {
            holder = holder && typeof holder === "object" ? (holder as Record<string | number, unknown>)[part] : undefined;
        }
        const last = parts[parts.length - 1];
        if (holder && typeof holder === "object" && last in (holder as object)) {
            const target = holder as Record<string | number, unknown>;
            target[last] = { [secretSigKey]: secretSig, value: target[last] };
        }
    }
    return copy;
}

export interface PackSession {
    client: analyzerRpc.AnalyzerClient;
    /** From spawn to the port on stdout: the pack's load, ts-node type check included. */
    loadMs: number;
    close(): Promise<void>;
}

function unaryOn<Req, Res>(
    client: analyzerRpc.AnalyzerClient,
    method: (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        method.call(client, request, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (error: grpc.ServiceError | null, response: Res) =>
            error ? reject(error) : resolve(response),
        );
    });
}

/** Starts a fake engine and the pack; resolves once the pack listens. */
export async function startPack(packDir: string, stack: string, loadTimeoutMs = 300_000): Promise<PackSession> {
    const server = new grpc.Server();
    server.addService(engineRpc.EngineService, {
        log: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engine.GetRootResourceResponse>) => callback(null, new engine.GetRootResourceResponse()),
        setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engine.SetRootResourceResponse>) => callback(null, new engine.SetRootResourceResponse()),
        startDebugging: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<engine.RequirePulumiVersionResponse>) =>
            callback(null, new engine.RequirePulumiVersionResponse()),
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const started = Date.now();
    const child: ChildProcess = spawn(process.execPath, [runPolicyPack, `127.0.0.1:${enginePort}`, "."], {
        cwd: packDir,
        env: { ...process.env, PULUMI_NODEJS_PROJECT: "keyless", PULUMI_NODEJS_STACK: stack, PULUMI_NODEJS_DRY_RUN: "true" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => reject(new Error(`policy pack printed no port within ${loadTimeoutMs} ms; stderr:\n${stderr}`)), loadTimeoutMs);
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`policy pack exited with ${code} before printing a port; stderr:\n${stderr}`));
        });
    });
    const loadMs = Date.now() - started;
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        client,
        loadMs,
        async close() {
            client.close();
            if (child.exitCode === null && child.signalCode === null) {
                const exited = new Promise((resolve) => child.once("exit", resolve));
                child.kill("SIGTERM");
                let timer: NodeJS.Timeout | undefined;
                await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
                clearTimeout(timer);
                if (child.exitCode === null && child.signalCode === null) {
                    child.kill("SIGKILL");
                }
            }
            await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
        },
    };
}

/** The engine's start-up calls: ConfigureStack, then GetAnalyzerInfo (returns the number of policies). */
export async function configureStack(session: PackSession, stack: string): Promise<number> {
    const request = new analyzer.AnalyzerStackConfigureRequest();
    request.setStack(stack);
    request.setProject("keyless");
    request.setDryRun(true);
    await unaryOn(session.client, session.client.configureStack, request);
    const info = await unaryOn<Empty, analyzer.AnalyzerInfo>(session.client, session.client.getAnalyzerInfo, new Empty());
    return info.getPoliciesList().length;
}

/** One GetPluginInfo round trip: the transport floor an Analyze call cannot go below. */
export async function pluginInfo(session: PackSession): Promise<void> {
    await unaryOn(session.client, session.client.getPluginInfo, new Empty());
}

function options(): analyzer.AnalyzerResourceOptions {
    return new analyzer.AnalyzerResourceOptions();
}

/** Builds the request once, so that timing measures the call, not the protobuf encoding of the test data. */
export function analyzeRequest(resource: ResourceForAnalysis): analyzer.AnalyzeRequest {
    const request = new analyzer.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn);
    request.setProperties(Struct.fromJavaScript(wrapSecretsAt(resource.inputs, resource.secretPaths ?? []) as never));
    request.setOptions(options());
    return request;
}

/** Analyze: returns the number of diagnostics. */
export async function analyze(session: PackSession, request: analyzer.AnalyzeRequest): Promise<number> {
    const response = await unaryOn<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(session.client, session.client.analyze, request);
    return response.getDiagnosticsList().length;
}

export function analyzeStackRequest(resources: readonly ResourceForAnalysis[]): analyzer.AnalyzeStackRequest {
    const request = new analyzer.AnalyzeStackRequest();
    request.setResourcesList(
        resources.map((resource) => {
            const item = new analyzer.AnalyzerResource();
            item.setType(resource.type);
            item.setName(resource.name);
            item.setUrn(resource.urn);
            item.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(resource.state ?? resource.inputs)) as never));
            item.setOptions(options());
            if (resource.parentUrn) {
                item.setParent(resource.parentUrn);
            }
            item.setDependenciesList(resource.dependencies ?? []);
            return item;
        }),
    );
    return request;
}

/** AnalyzeStack: returns the number of diagnostics. */
export async function analyzeStack(session: PackSession, request: analyzer.AnalyzeStackRequest): Promise<number> {
    const response = await unaryOn<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(session.client, session.client.analyzeStack, request);
    return response.getDiagnosticsList().length;
}
