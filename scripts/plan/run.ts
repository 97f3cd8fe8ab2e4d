import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { configNamespace, namespacedConfig, parseStackConfig, StackConfig, targetLabel } from "../../stacks/config";
import { loadStackFile, StackFile } from "../../offline/stackFile";
import { valueOf } from "../../offline/mocks";
import { PackConfig, ruleEntry } from "../../policies/lib/config";
import { allRules } from "../../policies/rules";
import { ExpectedGrant } from "./access";
import { buildPlan } from "./build";
import { evaluatePolicy } from "./policy";
import { PlanDocument } from "./types";

/** Bad input the user can fix (a policy config, an option): reported as its message, exit code 2. */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}

export interface PlanOptions {
    /** Directory holding `Pulumi.<stack>.yaml`. */
    root: string;
    stack: string;
    /** The repository, for the default policy config `policies/config.<stack>.json`. */
    repoRoot: string;
    /** A `--policy-pack-config` file; defaults to `policies/config.<stack>.json` when it exists. */
    policyConfig?: string;
    /** Add `generatedAt`. Off by default, so that plans of the same code are identical. */
    timestamp?: boolean;
    /** Progress lines (stderr in the CLI). */
    log?: (line: string) => void;
    /** Changes the stack file before the run (tests). */
    edit?: (file: StackFile) => StackFile;
}

/** The config's grants in the plan's terms: `system` becomes the workload's system-assigned identity. */
export function expectedGrants(config: Pick<StackConfig, "grants">): ExpectedGrant[] {
    return config.grants.map((grant) => ({
        identity: grant.identity === "system" ? grant.workload : grant.identity,
        identityKind: grant.identity === "system" ? "systemAssigned" : "userAssigned",
        role: grant.role,
        target: targetLabel(grant.target),
    }));
}

/** Validates the stack's config exactly as the program will, so that a ConfigError reaches the user unchanged. */
export function checkStackConfig(file: StackFile): StackConfig {
    const prefix = `${configNamespace}:`;
    const secretKeys = file.secretKeys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
    return parseStackConfig(namespacedConfig(file.config), { project: "keyless", secretKeys });
}

function readPolicyConfig(options: PlanOptions): { config: PackConfig; label: string | null } {
    const explicit = options.policyConfig !== undefined;
    const file = explicit ? path.resolve(options.policyConfig!) : path.join(options.repoRoot, "policies", `config.${options.stack}.json`);
    if (!fs.existsSync(file)) {
        if (explicit) {
            throw new PlanInputError(`Policy config ${options.policyConfig} does not exist; expected a --policy-pack-config JSON file such as policies/config.dev.json.`);
        }
        return { config: {}, label: null };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new PlanInputError(`Policy config ${path.basename(file)} is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new PlanInputError(`Policy config ${path.basename(file)} must be a JSON object mapping rule names to a level or { enforcementLevel, exemptions }.`);
    }
    const relative = path.relative(options.repoRoot, file);
    const label = (relative.startsWith("..") ? file : relative).split(path.sep).join("/");
    // The engine refuses a config naming an unknown policy or a bad level; so does the plan, before running anything.
    const known = new Set(allRules.map((rule) => rule.name));
    for (const [name, entry] of Object.entries(parsed as PackConfig)) {
        if (!known.has(name)) {
            throw new PlanInputError(`Policy config ${label}: unknown policy "${name}"; expected one of ${[...known].sort().join(", ")}.`);
        }
        try {
            ruleEntry(name, entry);
        } catch (error) {
            throw new PlanInputError(`Policy config ${label}: ${(error as Error).message}`);
        }
    }
    return { config: parsed as PackConfig, label };
}

/** Resolves an output value (an Output, or plain data holding Outputs) to plain data; gives up after `ms`. */
async function resolveOutput(value: unknown, ms = 10000): Promise<unknown> {
    const resolve = async (item: unknown, depth: number): Promise<unknown> => {
        if (depth > 20) {
            return undefined;
        }
        if (pulumi.Output.isInstance(item)) {
            return resolve(await valueOf(item as pulumi.Output<unknown>), depth + 1);
        }
        if (Array.isArray(item)) {
            return Promise.all(item.map((entry) => resolve(entry, depth + 1)));
        }
        if (item && typeof item === "object") {
            const entries = await Promise.all(Object.entries(item).map(async ([key, entry]) => [key, await resolve(entry, depth + 1)] as const));
            return Object.fromEntries(entries);
        }
        return item;
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((done) => {
        timer = setTimeout(() => done(undefined), ms);
    });
    try {
        return await Promise.race([resolve(value, 0), timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/** Runs the stack offline, evaluates the policy pack, and builds the plan document. */
export async function runPlan(options: PlanOptions): Promise<PlanDocument> {
    const log = options.log ?? (() => undefined);
    const loaded = loadStackFile(options.root, options.stack);
    const file = options.edit ? options.edit(loaded) : loaded;
    const config = checkStackConfig(file);
    const policy = readPolicyConfig(options);

    log(`Running stack ${options.stack} under Pulumi's mock runtime (no cloud, no CLI)...`);
    const started = Date.now();
    // The document goes to stdout: anything the program or the SDK prints goes to stderr.
    const saved = { log: console.log, info: console.info, debug: console.debug };
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
    let run;
    try {
        // Loaded here, so that bad input is reported without loading the program and the provider SDK.
        const { runStackOffline } = await import("../../offline/stack");
        run = await runStackOffline(options.root, options.stack, () => file);
    } finally {
        Object.assign(console, saved);
    }
    log(`Declared ${run.resources.length} resources in ${Date.now() - started} ms. Evaluating the policy pack...`);
    const outputs = run.outputs as unknown as Record<string, unknown>;
    const databaseGrants = outputs && "databaseGrants" in outputs ? await resolveOutput(outputs.databaseGrants) : undefined;
    const findings = evaluatePolicy(run.resources, policy.config);
    return buildPlan({
        stack: options.stack,
        resources: run.resources,
        outputs: { databaseGrants },
        expectedGrants: expectedGrants(config),
        findings,
        policyConfig: policy.label,
        ...(options.timestamp ? { generatedAt: new Date().toISOString() } : {}),
    });
}
