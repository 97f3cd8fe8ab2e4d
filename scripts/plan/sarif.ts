import { createHash } from "crypto";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { RuleMetadata, Severity } from "../../policies/lib/types";
import { SarifLevel, sarifLog, SarifResult, SarifRule } from "../sarif";
import { PlanDocument, PlanFinding } from "./types";

/**
 * The pack's findings on a plan as SARIF 2.1.0, for GitHub code scanning: one result per finding, located at the
 * line of `Pulumi.<stack>.yaml` that declares the resource at fault (its workload, vault, storage account, ...),
 * with a fingerprint that stays the same while the finding does, so an alert follows its resource across runs.
 */

export interface StackFileText {
    /** Relative to the repository root, with `/` separators: `Pulumi.dev.yaml`. */
    path: string;
    text: string;
}

/** GitHub ranks security alerts by `security-severity`: critical is 9.0 and up, high 7.0-8.9, medium 4.0-6.9. */
const securitySeverity: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** The 1-based line of each config entry a resource can come from, by its name in stack config. */
export function configLines(text: string): { lines: Map<string, number>; configLine: number } {
    const counter = new LineCounter();
    const document = parseDocument(text, { lineCounter: counter });
    const lines = new Map<string, number>();
    const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);
    let configLine = 1;
    const root = document.contents;
    if (!isMap(root)) {
        return { lines, configLine };
    }
    for (const top of root.items) {
        if (!isPair(top) || !isScalar(top.key) || top.key.value !== "config" || !isMap(top.value)) {
            continue;
        }
        configLine = lineOf(top.key.range?.[0]);
        for (const entry of top.value.items) {
            if (!isPair(entry) || !isScalar(entry.key)) {
                continue;
            }
            const [namespace, section] = String(entry.key.value).split(":");
            if (namespace !== "keyless" || !section) {
                continue;
            }
            lines.set(`section:${section}`, lineOf(entry.key.range?.[0]));
            const value = entry.value;
            if (isSeq(value)) {
                // Workloads: each item's `name:` line.
                for (const item of value.items) {
                    const name = isMap(item) ? item.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === "name") : undefined;
                    if (name && isPair(name) && isScalar(name.value)) {
                        lines.set(String(name.value.value), lineOf(name.key && isScalar(name.key) ? name.key.range?.[0] : undefined));
                    }
                }
            } else if (isMap(value) && ["vaults", "storage", "registries", "serviceBus", "eventHubs", "sqlServers", "identities"].includes(section)) {
                for (const pair of value.items) {
                    if (isPair(pair) && isScalar(pair.key)) {
                        lines.set(String(pair.key.value), lineOf(pair.key.range?.[0]));
                    }
                }
            }
        }
    }
    return { lines, configLine };
}

/** Components that stand for a config section rather than a named entry. */
const sectionOfComponent: Record<string, string> = { network: "network", monitoring: "monitoring", "resource-group": "resourceGroup" };

function locate(finding: PlanFinding, plan: PlanDocument, config: ReturnType<typeof configLines>): number {
    const resource = plan.resources.find((candidate) => candidate.name === finding.resource);
    const owner = resource?.component ?? resource?.name ?? finding.resource;
    return config.lines.get(owner) ?? config.lines.get(`section:${sectionOfComponent[owner] ?? ""}`) ?? config.configLine;
}

function sarifRule(rule: RuleMetadata): SarifRule {
    const builtIns = rule.builtins.map((builtIn) => `Azure Policy ${builtIn.id} "${builtIn.displayName}"${builtIn.coverage ? " (in part)" : ""}`);
    return {
        id: rule.name,
        description: rule.description,
        help: [rule.remediation, ...(builtIns.length ? [`Stands in for: ${builtIns.join("; ")}.`] : []), ...(rule.mcsb.length ? [`Microsoft cloud security benchmark: ${rule.mcsb.join(", ")}.`] : [])].join("\n"),
        level: rule.defaultLevel === "mandatory" ? "error" : "warning",
        properties: { tags: ["security", "azure", rule.service, ...rule.mcsb], "security-severity": securitySeverity[rule.severity] },
    };
}

export function renderSarif(plan: PlanDocument, rules: readonly RuleMetadata[], stackFile: StackFileText, version: string): string {
    const config = configLines(stackFile.text);
    const level = (finding: PlanFinding): SarifLevel => (finding.level === "mandatory" ? "error" : "warning");
    const results: SarifResult[] = plan.policy.violations.map((finding) => ({
        ruleId: finding.rule,
        level: level(finding),
        message: finding.resource ? `${finding.resource}: ${finding.message}` : finding.message,
        file: stackFile.path,
        line: locate(finding, plan, config),
        // The rule, the stack, the resource and what is wrong (a rule may find two things on one resource): stable
        // while the finding stands, whatever moves in the file. Messages are masked already.
        fingerprint: {
            name: "keylessFinding/v1",
            value: createHash("sha256").update([finding.rule, plan.stack, finding.resource, finding.message].join("\0")).digest("hex").slice(0, 32),
        },
        properties: { stack: plan.stack, level: finding.level },
    }));
    const used = new Set(results.map((result) => result.ruleId));
    const log = sarifLog(
        { name: "keyless-policies", version, rules: rules.filter((rule) => used.has(rule.name)).map(sarifRule) },
        results,
    );
    return `${JSON.stringify(log, null, 2)}\n`;
}
