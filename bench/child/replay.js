"use strict";
/**
 * SDK-only baselines of the fleet benchmark. `replay` declares the resources a fleet run recorded (same types, names,
 * parents and inputs, through the same provider classes) with no project code at all: no config parsing, no
 * components' logic, no Outputs flowing between resources. What this costs under the mock runtime is the SDK's
 * share; the fleet run's time above it is the project's.
 */
const path = require("path");

const classes = new Map();

/**
 * Records (or bare resources) declared between two turns of the event loop. The program declares one identity or
 * workload a turn (stacks/turns.ts), about ten resources; the baselines do the same, so that they measure the SDK
 * and not the cost of holding every registration pending through one synchronous pass.
 */
const perTurn = 10;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function classFor(type) {
    if (classes.has(type)) {
        return classes.get(type);
    }
    let found;
    const azure = /^azure-native:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
    const random = /^random:index\/[A-Za-z0-9]+:([A-Za-z0-9]+)$/.exec(type);
    const root = process.cwd();
    if (azure) {
        found = require(require.resolve(`@pulumi/azure-native/${azure[1]}`, { paths: [root] }))[azure[2]];
    } else if (random) {
        found = require(require.resolve("@pulumi/random", { paths: [root] }))[random[1]];
    }
    classes.set(type, found);
    return found;
}

/** Declares `records` (as run-program.js writes them), parents before children, `perTurn` a turn. Resolves to the number declared. */
async function replay(records) {
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
    const byUrn = new Map();
    const known = new Set(records.map((r) => r.urn));
    let pending = records;
    let visited = 0;
    while (pending.length > 0) {
        const next = [];
        for (const record of pending) {
            if (++visited % perTurn === 0) {
                await nextTurn();
            }
            const parentKnown = record.parentUrn && known.has(record.parentUrn);
            if (parentKnown && !byUrn.has(record.parentUrn)) {
                next.push(record);
                continue;
            }
            const opts = parentKnown ? { parent: byUrn.get(record.parentUrn) } : {};
            let resource;
            if (!record.custom) {
                resource = new pulumi.ComponentResource(record.type, record.name, {}, opts);
                resource.registerOutputs({});
            } else {
                const Class = classFor(record.type);
                resource = Class ? new Class(record.name, record.inputs, opts) : new pulumi.CustomResource(record.type, record.name, record.inputs, opts);
            }
            byUrn.set(record.urn, resource);
        }
        if (next.length === pending.length) {
            throw new Error(`replay: ${next.length} resources whose parents never appear, such as ${next[0].urn}`);
        }
        pending = next;
    }
    return { declared: byUrn.size, path: path.basename(__filename) };
}

/**
 * The smallest SDK baseline: `n` bare custom resources with four inputs each, no provider class, no parent,
 * `perTurn` a turn. How its time grows with `n` is the SDK's own scaling under the mock monitor.
 */
async function bare(n) {
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
    for (let i = 0; i < n; i++) {
        if (i > 0 && i % perTurn === 0) {
            await nextTurn();
        }
        new pulumi.CustomResource("keyless:bench:Bare", `bare-${i}`, { name: `bare-${i}`, location: "westeurope", tags: { environment: "bench" }, properties: { index: i } });
    }
    return { declared: n };
}

module.exports = { replay, bare };
