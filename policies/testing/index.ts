import { randomBytes } from "crypto";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { toPolicy } from "../lib/adapter";
import { ResourceRule, RuleResource, StackRule } from "../lib/types";
import { materializeProps } from "../lib/unknown";

/**
 * Test helpers: present props exactly as `@pulumi/policy` does inside the engine (protobuf Struct → the SDK's own
 * deserializer → its unknown-checking proxy), and run rules through the adapter. Not imported by the pack.
 */

/** What the engine sends for a value not known at preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

interface SdkInternals {
    deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
    unknownCheckingProxy<T>(value: T): T;
}

function sdk(): SdkInternals {
    // These modules are the SDK's runtime internals (no public types); loading them keeps the simulation faithful.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const deserialize = require("@pulumi/policy/deserialize") as Pick<SdkInternals, "deserializeProperties">;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy") as Pick<SdkInternals, "unknownCheckingProxy">;
    return { deserializeProperties: deserialize.deserializeProperties, unknownCheckingProxy: proxy.unknownCheckingProxy };
}

/** Props as a policy sees them in the engine: through a protobuf Struct, the SDK's deserializer and its proxy. */
export function policyView(props: Record<string, unknown>): Record<string, unknown> {
    const { deserializeProperties, unknownCheckingProxy } = sdk();
    const struct = Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
    return unknownCheckingProxy(deserializeProperties(struct, false));
}

/** Props as a remediation sees them in the engine: secrets kept as the SDK's `Secret` wrappers, behind both proxies. */
export function remediationView(props: Record<string, unknown>): Record<string, unknown> {
    const { deserializeProperties, unknownCheckingProxy } = sdk();
    const struct = Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
    return unknownCheckingProxy(deserializeProperties(struct, true));
}

export interface Fixture {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::keyless::${type}::${name}`;
}

/** Runs a rule's check directly on plain props; returns the messages. */
export function check(rule: ResourceRule, fixture: Fixture): string[] {
    const resource: RuleResource = { ...fixture, urn: fixture.urn ?? urnOf(fixture.type, fixture.name), props: materializeProps(fixture.props) };
    return rule.check(resource).map((violation) => violation.message);
}

/** Runs a rule through `toPolicy` with engine-shaped props and config; returns the reported messages. */
export async function runResourcePolicy(rule: ResourceRule, fixture: Fixture, config: Record<string, unknown> = {}): Promise<string[]> {
    const policy = toPolicy(rule);
    const messages: string[] = [];
    const report: ReportViolation = (message) => {
        messages.push(message);
    };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    const args = {
        type: fixture.type,
        name: fixture.name,
        urn: fixture.urn ?? urnOf(fixture.type, fixture.name),
        props: policyView(fixture.props),
        getConfig: () => config,
    } as unknown as ResourceValidationArgs;
    for (const validate of validations) {
        await validate(args, report);
    }
    return messages;
}

export interface StackFixture extends Fixture {
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** Runs a stack rule through `toPolicy` with engine-shaped resources; returns messages and URNs. */
export async function runStackPolicy(
    rule: StackRule,
    fixtures: StackFixture[],
    config: Record<string, unknown> = {},
): Promise<{ message: string; urn?: string }[]> {
    const policy = toPolicy(rule);
    const resources = fixtures.map((fixture) => ({
        type: fixture.type,
        name: fixture.name,
        urn: fixture.urn ?? urnOf(fixture.type, fixture.name),
        props: policyView(fixture.props),
        dependencies: [] as PolicyResource[],
        propertyDependencies: {} as Record<string, PolicyResource[]>,
    }));
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    fixtures.forEach((fixture, index) => {
        resources[index].dependencies = (fixture.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((r) => r !== undefined) as PolicyResource[];
        for (const [key, urns] of Object.entries(fixture.propertyDependencies ?? {})) {
            resources[index].propertyDependencies[key] = urns.map((urn) => byUrn.get(urn)).filter((r) => r !== undefined) as PolicyResource[];
        }
    });
    const found: { message: string; urn?: string }[] = [];
    const args = { resources, getConfig: () => config } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message, urn) => {
        found.push({ message, urn });
    });
    return found;
}

/** A copy of `value` with the dotted path (`siteConfig.appSettings[0].value`) set; `undefined` deletes it. */
export function withPath<T>(value: T, path: string, replacement: unknown): T {
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let current: Record<string, unknown> = copy;
    keys.slice(0, -1).forEach((key, index) => {
        if (current[key] === undefined || current[key] === null || typeof current[key] !== "object") {
            current[key] = /^\d+$/.test(keys[index + 1]) ? [] : {};
        }
        current = current[key] as Record<string, unknown>;
    });
    const last = keys[keys.length - 1];
    if (replacement === undefined) {
        delete current[last];
    } else {
        current[last] = replacement;
    }
    return copy as T;
}

function storageKey(): string {
    return randomBytes(64).toString("base64");
}

/** Key material generated per run, so no credential-shaped literal sits in the repository. */
export const secrets = {
    storageKey,
    storageConnectionString: (key: string = storageKey()): string =>
        ["DefaultEndpointsProtocol=https;AccountName=acct;Account", "Key=", key, ";EndpointSuffix=core.windows.net"].join(""),
    serviceBusConnectionString: (key = randomBytes(32).toString("base64")): string =>
        ["Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;Shared", "AccessKey=", key].join(""),
    password: (): string => randomBytes(18).toString("base64"),
    entraClientSecret: (): string => {
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const pick = (n: number, set: string) => Array.from(randomBytes(n), (b) => set[b % set.length]).join("");
        return pick(3, alphabet) + String(randomBytes(1)[0] % 10) + "Q~" + pick(34, alphabet + "_-.~");
    },
};

/** True when `text` contains any 5-character run of `secret`: a message may show at most 4. */
export function leaksMoreThanFour(text: string, secret: string): boolean {
    for (let i = 0; i + 5 <= secret.length; i++) {
        if (text.includes(secret.slice(i, i + 5))) {
            return true;
        }
    }
    return false;
}

/** A variant of a compliant fixture with one field changed, and the exact message the rule must give. */
export interface OneChange {
    path: string;
    value: unknown;
    message: string;
}

/**
 * The standard tests of a resource rule: the compliant fixture passes (directly and through the adapter), each
 * one-change variant fails with exactly its message, and a value unknown at preview is skipped.
 */
export function describeResourceRule(rule: ResourceRule, compliant: Fixture, changes: OneChange[], unknownPath: string): void {
    describe(rule.name, () => {
        it("passes the compliant fixture", async () => {
            expect(check(rule, compliant)).toEqual([]);
            expect(await runResourcePolicy(rule, compliant)).toEqual([]);
        });

        it.each(changes.map((change) => [change.path, change.value, change.message] as const))("fails when %s is %p", (path, value, message) => {
            expect(check(rule, { ...compliant, props: withPath(compliant.props, path, value) })).toEqual([message]);
        });

        it(`skips ${unknownPath} when it is unknown at preview`, async () => {
            const broken = { ...compliant, props: withPath(compliant.props, changes[0].path, changes[0].value) };
            expect(await runResourcePolicy(rule, { ...broken, props: withPath(broken.props, unknownPath, UNKNOWN_STRING) })).toEqual([]);
        });
    });
}
