/**
 * Test helpers: the plugin run as the CLI runs it (`run-plugin <folder> <engine>`, a gRPC ResourceProvider), an
 * engine it may log to, and a resource monitor that records what `construct` registers, as the engine would.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engine from "@pulumi/pulumi/proto/engine_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resource from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { mockSubscriptionId, mockTenantId } from "../offline/mocks";

export const pluginDir = __dirname;
export const project = "consumer";
export const stack = "dev";

export interface Registration {
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

async function listen(server: grpc.Server): Promise<string> {
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return `127.0.0.1:${port}`;
}

/** Features the monitor reports as supported; the SDK asks before it sends secrets and resource references. */
const supportedFeatures = new Set(["secrets", "resourceReferences", "aliasSpecs", "deletedWith"]);

/** A resource monitor that accepts every registration, answers with the inputs as state, and records each one. */
export class RecordingMonitor {
    readonly registrations: Registration[] = [];
    private readonly server = new grpc.Server();

    async start(): Promise<string> {
        const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
        this.server.addService(resourceRpc.ResourceMonitorService, {
            supportsFeature: (call: grpc.ServerUnaryCall<resource.SupportsFeatureRequest, resource.SupportsFeatureResponse>, callback: grpc.sendUnaryData<resource.SupportsFeatureResponse>) =>
                callback(null, new resource.SupportsFeatureResponse().setHassupport(supportedFeatures.has(call.request.getId()))),
            registerResource: (call: grpc.ServerUnaryCall<resource.RegisterResourceRequest, resource.RegisterResourceResponse>, callback: grpc.sendUnaryData<resource.RegisterResourceResponse>) => {
                const request = call.request;
                const inputs = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                this.registrations.push({ type: request.getType(), name: request.getName(), parent: request.getParent(), custom: request.getCustom(), inputs });
                const response = new resource.RegisterResourceResponse().setUrn(urnOf(request.getType(), request.getName()));
                if (request.getCustom()) {
                    response.setId(`${request.getName()}-id`);
                }
                callback(null, response.setObject(Struct.fromJavaScript(inputs as Record<string, never>)));
            },
            registerResourceOutputs: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
            invoke: (call: grpc.ServerUnaryCall<resource.ResourceInvokeRequest, resource.ResourceInvokeResponse>, callback: grpc.sendUnaryData<resource.ResourceInvokeResponse>) => {
                const result =
                    call.request.getTok() === "azure-native:authorization:getClientConfig"
                        ? { subscriptionId: mockSubscriptionId, tenantId: mockTenantId, clientId: "client", objectId: "object" }
                        : ((call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, never>);
                callback(null, new resource.ResourceInvokeResponse().setReturn(Struct.fromJavaScript(result as Record<string, never>)));
            },
        });
        return listen(this.server);
    }

    stop(): void {
        this.server.forceShutdown();
    }
}

/** An engine that only takes the plugin's log messages. */
export class QuietEngine {
    readonly logs: string[] = [];
    private readonly server = new grpc.Server();

    async start(): Promise<string> {
        this.server.addService(engineRpc.EngineService, {
            log: (call: grpc.ServerUnaryCall<engine.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
                this.logs.push(call.request.getMessage());
                callback(null, new Empty());
            },
        });
        return listen(this.server);
    }

    stop(): void {
        this.server.forceShutdown();
    }
}

export interface RunningPlugin {
    client: providerRpc.ResourceProviderClient;
    child: ChildProcess;
    stderr: () => string;
}

/** Starts the plugin as the Node.js language host does and connects to the port it prints. */
export function startPlugin(engineAddress: string, timeoutMs: number): Promise<RunningPlugin> {
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [pluginDir] });
    const child = spawn(process.execPath, [runPlugin, pluginDir, engineAddress], { cwd: pluginDir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the plugin printed no port within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        child.on("exit", (code) => reject(new Error(`the plugin exited with ${code} before printing a port:\n${stderr}`)));
        child.stdout.on("data", (chunk) => {
            stdout += chunk;
            const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
            if (port) {
                clearTimeout(timer);
                const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
                resolve({ client, child, stderr: () => stderr });
            }
        });
    });
}

/** `Construct` of one component over gRPC; resolves with the component's URN and state. */
export function construct(
    plugin: RunningPlugin,
    monitorAddress: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Promise<{ urn: string; state: Record<string, unknown> }> {
    const request = new provider.ConstructRequest()
        .setProject(project)
        .setStack(stack)
        .setDryrun(true)
        .setParallel(4)
        .setMonitorendpoint(monitorAddress)
        .setType(type)
        .setName(name)
        .setInputs(Struct.fromJavaScript(inputs as Record<string, never>));
    return new Promise((resolve, reject) =>
        plugin.client.construct(request, (error, response) =>
            error ? reject(new Error(`${error.message}\n${plugin.stderr()}`)) : resolve({ urn: response.getUrn(), state: (response.getState()?.toJavaScript() ?? {}) as Record<string, unknown> }),
        ),
    );
}

export function pluginPath(...parts: string[]): string {
    return path.join(pluginDir, ...parts);
}
