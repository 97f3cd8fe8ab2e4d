import { webHttpsOnly } from "../rules/web/web-https-only";
import { webMinTls12 } from "../rules/web/web-min-tls-12";
import { allRules } from "../rules";
import { toPolicy } from "./adapter";
import { evaluateResources } from "./evaluate";
import { fixture } from "../testing/fixtures";
import { check, remediationView, secrets, UNKNOWN_STRING, withPath } from "../testing";
import { isStackRule, ResourceRule } from "./types";
import { ResourceRemediation } from "@pulumi/policy";

/** For each rule with a safe fix: a well-configured fixture and the one change that breaks it. */
const broken: Record<string, [fixture: string, path: string, value: unknown]> = {
    "web-https-only": ["api", "httpsOnly", false],
    "web-min-tls-12": ["api", "siteConfig.minTlsVersion", "1.0"],
    "web-ftps-disabled": ["api", "siteConfig.ftpsState", "AllAllowed"],
    "web-remote-debugging-disabled": ["api", "siteConfig.remoteDebuggingEnabled", true],
    "storage-https-only": ["st", "enableHttpsTrafficOnly", false],
    "storage-min-tls-12": ["st", "minimumTlsVersion", "TLS1_0"],
    "sql-min-tls-12": ["sql", "minimalTlsVersion", "1.1"],
};

const withFix = allRules.filter((rule): rule is ResourceRule => !isStackRule(rule) && rule.fix !== undefined);

function remediate(rule: ResourceRule, type: string, props: Record<string, unknown>, config: Record<string, unknown> = {}) {
    const policy = toPolicy(rule);
    const args = { type, name: "r", urn: `urn:pulumi:dev::keyless::${type}::r`, props: remediationView(props), getConfig: () => config } as unknown as Parameters<ResourceRemediation>[0];
    return policy.remediateResource?.(args);
}

describe("safe fixes (remediate)", () => {
    it("exist exactly for the rules listed here, each saying why it is safe", () => {
        expect(withFix.map((rule) => rule.name).sort()).toEqual(Object.keys(broken).sort());
        for (const rule of withFix) {
            expect(rule.fix?.whySafe.length).toBeGreaterThan(40);
        }
    });

    it.each(Object.entries(broken))("%s: the fix repairs the broken fixture and changes nothing else", async (name, [fixtureName, path, value]) => {
        const rule = withFix.find((candidate) => candidate.name === name)!;
        const good = fixture(fixtureName);
        const bad = withPath(good.props, path, value);
        expect(check(rule, { ...good, props: bad })).toHaveLength(1);
        const fixed = (await remediate(rule, good.type, bad)) as Record<string, unknown>;
        expect(check(rule, { ...good, props: fixed })).toEqual([]);
        // Only the one setting differs from the broken input.
        expect(withPath(fixed, path, value)).toEqual(bad);
        // A compliant resource is left alone.
        expect(await remediate(rule, good.type, good.props)).toBeUndefined();
    });

    it("keeps values unknown at preview as they are, and leaves an unknown setting alone", async () => {
        const site = fixture("api");
        const props = withPath(withPath(site.props, "httpsOnly", false), "siteConfig.appSettings[0].value", UNKNOWN_STRING);
        const fixed = (await remediate(webHttpsOnly, site.type, props)) as Record<string, unknown>;
        expect(fixed.httpsOnly).toBe(true);
        expect(withPath(fixed, "httpsOnly", false)).toEqual(props);
        expect(await remediate(webHttpsOnly, site.type, withPath(site.props, "httpsOnly", UNKNOWN_STRING))).toBeUndefined();
    });

    it("keeps a Pulumi secret a secret: the engine gets the same wrapper back", async () => {
        const site = fixture("api");
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
        const value = secrets.storageConnectionString();
        const props = withPath(withPath(site.props, "httpsOnly", false), "siteConfig.appSettings[0].value", { ...sig, value });
        const fixed = (await remediate(webHttpsOnly, site.type, props)) as { siteConfig: { appSettings: { value: unknown }[] } };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { serializeProperties } = require("@pulumi/policy/deserialize") as { serializeProperties(props: unknown): Promise<Record<string, unknown>> };
        const wire = (await serializeProperties(fixed)) as { httpsOnly: boolean; siteConfig: { appSettings: Record<string, unknown>[] } };
        expect(wire.httpsOnly).toBe(true);
        expect(wire.siteConfig.appSettings[0].value).toEqual({ ...sig, value });
    });

    it("skips exempt resources and other types; rules without a fix offer none", async () => {
        const site = fixture("api");
        const bad = withPath(site.props, "siteConfig.minTlsVersion", "1.1");
        expect(await remediate(webMinTls12, site.type, bad, { exemptions: [{ resource: "r", reason: "legacy clients until March" }] })).toBeUndefined();
        expect(await remediate(webMinTls12, "azure-native:storage:StorageAccount", bad)).toBeUndefined();
        const withoutFix = allRules.filter((rule) => !isStackRule(rule) && !rule.fix).map((rule) => toPolicy(rule as ResourceRule));
        expect(withoutFix.every((policy) => policy.remediateResource === undefined)).toBe(true);
    });

    it("evaluateResources applies the fix at level remediate and reports what remains as mandatory", () => {
        const site = fixture("api");
        const bad = { ...site, props: withPath(site.props, "httpsOnly", false) };
        expect(evaluateResources([bad], { "web-https-only": "remediate" }, [webHttpsOnly])).toEqual([]);
        expect(evaluateResources([bad], {}, [webHttpsOnly]).map((finding) => finding.level)).toEqual(["mandatory"]);
        const rbac = allRules.find((rule) => rule.name === "keyvault-rbac-only")!;
        expect(() => evaluateResources([], { "keyvault-rbac-only": "remediate" }, [rbac])).toThrow(
            'Policy "keyvault-rbac-only": enforcementLevel "remediate" needs a rule with a safe fix; this one has none, use "mandatory".',
        );
    });
});
