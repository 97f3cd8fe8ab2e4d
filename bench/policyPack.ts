import * as fs from "fs";
import * as path from "path";
import { evaluatedResources } from "../offline/evaluate";
import { evaluateResources } from "../policies/lib/evaluate";
import { analyze, analyzeRequest, analyzeStack, analyzeStackRequest, configureStack, pluginInfo, ResourceForAnalysis, startPack } from "./grpc";
import { detectorSpeed, DetectorSpeedResult, times } from "./detectorSpeed";
import { progress, repoRoot } from "./process";
import { formatMs, formatRatio, median, percentile, ratio, renderTable } from "./stats";

/**
 * Section 3: the secret detector's speed (detectorSpeed.ts), then the policy pack over the engine's real protocol
 * (gRPC, `run-policy-pack`) on the dev stack's resources.
 */

export interface PolicyResult extends DetectorSpeedResult {
    grpc?: {
        packLoadMs: number;
        policies: number;
        resources: number;
        rttMs: number;
        firstPassMs: number;
        passMs: number;
        perResourceMedianMs: number;
        perResourceP95Ms: number;
        slowest: { type: string; ms: number }[];
        analyzeStackMs: number;
        wholeStackMs: number;
        inProcessPassMs: number;
        inProcessPerResourceMs: number;
        diagnostics: number;
        stackDiagnostics: number;
    };
    grpcError?: string;
}

export async function policyPack(options: { seed: number; corpusBytes: number; devRecord: string; passes: number }): Promise<PolicyResult> {
    const result: PolicyResult = detectorSpeed(options);
    const { tables } = result;

    // ---- The pack over gRPC, on the dev stack's resources.
    type Recorded = ResourceForAnalysis & { custom: boolean };
    const recorded = (JSON.parse(fs.readFileSync(options.devRecord, "utf8")) as Recorded[]).filter((resource) => resource.custom);
    progress(`policy: starting the pack over gRPC (run-policy-pack; ts-node type-checks the pack as it loads)...`);
    let session;
    try {
        session = await startPack(path.join(repoRoot, "policies"), "dev");
    } catch (error) {
        result.grpcError = (error as Error).message.split("\n").slice(0, 6).join("\n");
        progress(`policy: the pack did not start: ${result.grpcError}`);
        tables.push(`gRPC path not measured: ${result.grpcError.split("\n")[0]}`);
        return result;
    }
    try {
        const policies = await configureStack(session, "dev");
        const rtt: number[] = [];
        for (let i = 0; i < 100; i++) {
            const started = process.hrtime.bigint();
            await pluginInfo(session);
            rtt.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const requests = recorded.map((resource) => ({ resource, request: analyzeRequest(resource) }));
        const pass = async (perCall?: { type: string; ms: number }[]) => {
            let diagnostics = 0;
            const started = process.hrtime.bigint();
            for (const { resource, request } of requests) {
                const callStarted = process.hrtime.bigint();
                diagnostics += await analyze(session, request);
                perCall?.push({ type: resource.type, ms: Number(process.hrtime.bigint() - callStarted) / 1e6 });
            }
            return { ms: Number(process.hrtime.bigint() - started) / 1e6, diagnostics };
        };
        progress(`policy: Analyze × ${requests.length} resources, ${options.passes + 1} passes...`);
        const first = await pass();
        const calls: { type: string; ms: number }[] = [];
        const passes: number[] = [];
        let diagnostics = first.diagnostics;
        for (let i = 0; i < options.passes; i++) {
            const run = await pass(calls);
            passes.push(run.ms);
            diagnostics = run.diagnostics;
        }
        const stackRequest = analyzeStackRequest(recorded);
        let stackDiagnostics = 0;
        const stackTimes: number[] = [];
        for (let i = 0; i < options.passes; i++) {
            const started = process.hrtime.bigint();
            stackDiagnostics = await analyzeStack(session, stackRequest);
            stackTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const byType = new Map<string, number[]>();
        for (const call of calls) {
            byType.set(call.type, [...(byType.get(call.type) ?? []), call.ms]);
        }
        const slowest = [...byType].map(([type, ms]) => ({ type, ms: median(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 3);

        // In-process reference: the same rules called directly (what the offline plan does), same resources.
        const evaluated = evaluatedResources(recorded);
        evaluateResources(evaluated);
        const inProcess = median(times(options.passes, () => evaluateResources(evaluated)));

        const passMs = median(passes);
        const analyzeStackMs = median(stackTimes);
        result.grpc = {
            packLoadMs: session.loadMs,
            policies,
            resources: requests.length,
            rttMs: median(rtt),
            firstPassMs: first.ms,
            passMs,
            perResourceMedianMs: median(calls.map((call) => call.ms)),
            perResourceP95Ms: percentile(
                calls.map((call) => call.ms),
                95,
            ),
            slowest,
            analyzeStackMs,
            wholeStackMs: passMs + analyzeStackMs,
            inProcessPassMs: inProcess,
            inProcessPerResourceMs: inProcess / requests.length,
            diagnostics,
            stackDiagnostics,
        };
        const g = result.grpc;
        tables.push(
            renderTable(
                ["policy pack over gRPC (dev stack)", "value", "vs baseline"],
                [
                    ["pack load (run-policy-pack, ts-node type check)", formatMs(g.packLoadMs), ""],
                    [`policies / resources analysed`, `${g.policies} / ${g.resources}`, ""],
                    ["baseline: GetPluginInfo round trip", formatMs(g.rttMs), "1×"],
                    ["Analyze, per resource (median)", formatMs(g.perResourceMedianMs), formatRatio(ratio(g.perResourceMedianMs, g.rttMs))],
                    ["Analyze, per resource (p95)", formatMs(g.perResourceP95Ms), formatRatio(ratio(g.perResourceP95Ms, g.rttMs))],
                    [`slowest type: ${g.slowest[0]?.type ?? "-"}`, formatMs(g.slowest[0]?.ms ?? Number.NaN), formatRatio(ratio(g.slowest[0]?.ms ?? Number.NaN, g.rttMs))],
                    ["Analyze, whole stack (first pass, cold JIT)", formatMs(g.firstPassMs), ""],
                    ["Analyze, whole stack (median pass)", formatMs(g.passMs), ""],
                    ["AnalyzeStack (stack rules, all resources)", formatMs(g.analyzeStackMs), ""],
                    ["whole dev stack through the pack", formatMs(g.wholeStackMs), ""],
                    ["in-process: every rule, every resource (no gRPC)", formatMs(g.inProcessPassMs), `gRPC ${formatRatio(ratio(g.passMs + g.analyzeStackMs, g.inProcessPassMs))} slower`],
                    ["diagnostics (Analyze / AnalyzeStack)", `${g.diagnostics} / ${g.stackDiagnostics}`, ""],
                ],
            ),
        );
    } finally {
        await session.close();
    }
    return result;
}
