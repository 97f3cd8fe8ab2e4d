import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { GitHubRepository, maxFederatedCredentials } from "../../infra/identity/federated";
import { ipRuleProblem } from "../../infra/shared/network";
import { physicalName } from "../../infra/shared/naming";
import { ProblemsError } from "../../infra/shared/problems";
import { isAzureRegion, normalizeRegion } from "../../infra/shared/regions";
import { decodeConfigValue } from "../config";

/**
 * The bootstrap's config, read and checked in one place. Keys live under the bootstrap project's namespace
 * (`keyless-bootstrap:githubOwner`); `parseBootstrapConfig` turns them into typed values or throws one error
 * listing every problem (key path, bad value, what is expected) before any resource is declared.
 */

export const bootstrapNamespace = "keyless-bootstrap";

/** Every problem of the bootstrap's config, in the one shared format under the subject `Invalid bootstrap config`. */
export class BootstrapConfigError extends ProblemsError {
    constructor(problems: readonly string[]) {
        super("Invalid bootstrap config", problems);
        this.name = "BootstrapConfigError";
    }
}

/** The CLI hands `2048` over as a number; names made of digits are still names. */
const asText = (value: unknown) => (typeof value === "number" ? String(value) : value);
const githubName = z.preprocess(
    asText,
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "expected a GitHub name: letters, digits, '.', '_' or '-', starting with a letter or digit"),
);
const githubId = z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z
        .number({ error: "expected the numeric ID GitHub assigns (`gh api repos/OWNER/REPO --jq '.owner.id, .id'` prints both)" })
        .int("expected a whole number")
        .positive("expected a positive number"),
);
/** The same rule as the main stacks' `keyless:environment`, since the resource group is `rg-<project>-<stack>`. */
const stackName = z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "expected 2-10 lowercase letters or digits such as dev or prod (the main stack's keyless:environment)");
const region = z.string().refine(isAzureRegion, "expected an Azure region name such as westeurope or eastus2").transform(normalizeRegion);
const environmentName = z.preprocess(
    asText,
    z.string().regex(/^[^:\s][^:]{0,254}$/, "expected a GitHub environment name: 1-255 characters, without ':' and not starting with a space"),
);
const ipOrCidr = z.string().superRefine((value, ctx) => {
    // The same entries go to the vault and storage firewalls; storage is the stricter of the two.
    const problem = ipRuleProblem("allowed IP", value, { refuseHostPrefixes: true });
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});

/** `dev`, or `{ name: dev, location: northeurope }` when a stack's group lives elsewhere than `location`. */
const stackEntry = z.preprocess(
    (value) => (typeof value === "string" ? { name: value } : value),
    z.strictObject({ name: stackName, location: region.optional() }),
);

const networkSchema = z.strictObject({
    /**
     * Accept every network on the state account and the vault. GitHub-hosted runners have no fixed addresses, so
     * the workflows as written need it; access still takes an Entra ID token of one of the two identities and its role.
     */
    allowAllNetworks: z.boolean().default(true),
    /** With allowAllNetworks false: the public addresses of your runners and of the machine you run the bootstrap from. */
    allowedIps: z.array(ipOrCidr).default([]),
});

const schema = z.strictObject({
    githubOwner: githubName,
    githubRepo: githubName,
    githubOwnerId: githubId.optional(),
    githubRepoId: githubId.optional(),
    /** GitHub environments the deploy identity trusts (deploy.yml). Defaults to every stack. */
    environments: z.array(environmentName).min(1, "list at least one GitHub environment").optional(),
    /** GitHub environments the read-only preview identity trusts (drift.yml). Defaults to `<stack>-drift` for every stack. */
    driftEnvironments: z.array(environmentName).optional(),
    /** A credential for `pull_request` on the preview identity (previews run in no environment). Defaults to true. */
    pullRequests: z.boolean().default(true),
    stacks: z.array(stackEntry).min(1, "list at least one main stack, such as [dev, prod]"),
    location: region,
    /** Prefix of every name: `rg-<project>-<stack>`, `id-<project>-deploy`, `id-<project>-preview`. Defaults to keyless. */
    project: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,13}[a-z0-9]$/, "expected 2-15 lowercase letters, digits or '-', starting with a letter")
        .default("keyless"),
    network: networkSchema.default({ allowAllNetworks: true, allowedIps: [] }),
    keySize: z.union([z.literal(3072), z.literal(4096)], { error: "expected 3072 or 4096 (RSA key size in bits)" }).default(3072),
    /** Custom role names are unique in a tenant: set another one when a second subscription of the tenant runs a bootstrap. */
    lockOperatorRoleName: z
        .string()
        .regex(/^\S(?:.{0,126}\S)?$/, "expected 1-128 characters without leading or trailing spaces")
        .default("Keyless Lock Operator"),
    /** The preview identity's custom role for the app-setting drift check; unique in a tenant like lockOperatorRoleName. */
    appSettingsReaderRoleName: z
        .string()
        .regex(/^\S(?:.{0,126}\S)?$/, "expected 1-128 characters without leading or trailing spaces")
        .default("Keyless App Settings Reader"),
    /**
     * Registers the subscription feature Microsoft.Compute/EncryptionAtHost, which VMs with encryption at host (the
     * default) need. Set false when the subscription has it already and the bootstrap should not own it.
     */
    registerEncryptionAtHost: z.boolean().default(true),
    /** The audit workspace: the subscription's Activity Log, and Entra's sign-in logs when an Entra admin opts in. */
    evidence: z
        .strictObject({
            retentionDays: z.number().int().min(30, "expected 30 to 730 days").max(730, "expected 30 to 730 days").default(90),
            /** Declares the Entra ID diagnostic setting; the admin running the bootstrap then needs Security Administrator in Entra. */
            entraSignInLogs: z.boolean().default(false),
        })
        .default({ retentionDays: 90, entraSignInLogs: false }),
});

const topLevelKeys = Object.keys(schema.shape);

export interface BootstrapStack {
    /** The main stack's name and `keyless:environment`, such as `dev`. */
    name: string;
    location: string;
    /** `rg-<project>-<stack>`: what the main stack's `keyless:resourceGroup.name` must say. */
    resourceGroupName: string;
}

export interface BootstrapConfig {
    project: string;
    repository: GitHubRepository;
    /** Environments whose jobs sign in as the deploy identity. */
    environments: string[];
    /** Environments whose jobs sign in as the preview identity. */
    driftEnvironments: string[];
    /** Whether pull request previews sign in as the preview identity. */
    pullRequests: boolean;
    stacks: BootstrapStack[];
    location: string;
    /** The bootstrap's own group, for the identities, state and key; neither identity has a role on the group itself. */
    resourceGroupName: string;
    network: { allowAllNetworks: boolean; allowedIps: string[] };
    keySize: 3072 | 4096;
    lockOperatorRoleName: string;
    appSettingsReaderRoleName: string;
    registerEncryptionAtHost: boolean;
    evidence: { retentionDays: number; entraSignInLogs: boolean };
}

function formatPath(path: readonly PropertyKey[]): string {
    const [head, ...rest] = path;
    if (head === undefined) {
        return bootstrapNamespace;
    }
    return rest.reduce<string>(
        (out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${String(part)}`),
        `${bootstrapNamespace}:${String(head)}`,
    );
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    const text = JSON.stringify(value) ?? String(value);
    return `got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

function formatIssue(issue: z.core.$ZodIssue): string {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
        const where = issue.path.length === 0 ? bootstrapNamespace : path;
        return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}; expected ${
            issue.path.length === 0 ? `one of ${topLevelKeys.join(", ")}` : "only the documented keys"
        }`;
    }
    const input = (issue as { input?: unknown }).input;
    if (input === undefined && issue.code === "invalid_type") {
        const setting = issue.path.length === 1 ? `; set it with \`pulumi config set ${String(issue.path[0])} <value>\`` : "";
        return `${path}: missing; expected ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}${setting}`;
    }
    return `${path}: ${issue.message} (${describe(input)})`;
}

/** Lists the duplicates in a list, each once, in order of first repeat. */
function duplicates(values: readonly string[]): string[] {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const value of values) {
        if (seen.has(value)) {
            repeated.add(value);
        }
        seen.add(value);
    }
    return [...repeated];
}

/**
 * Validates the bootstrap's raw config: keys without the namespace, values parsed (structured values as objects,
 * numbers as numbers or numeric strings). Throws BootstrapConfigError listing every problem.
 */
export function parseBootstrapConfig(raw: Record<string, unknown>): BootstrapConfig {
    const parsed = schema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        throw new BootstrapConfigError(parsed.error.issues.map(formatIssue));
    }
    const data = parsed.data;
    const problems: string[] = [];

    if ((data.githubOwnerId === undefined) !== (data.githubRepoId === undefined)) {
        const missing = data.githubOwnerId === undefined ? "githubOwnerId" : "githubRepoId";
        problems.push(
            `${bootstrapNamespace}:${missing}: missing; the immutable subject repo:OWNER@OWNER_ID/REPO@REPO_ID needs both githubOwnerId and githubRepoId, or neither`,
        );
    }

    const stacks: BootstrapStack[] = data.stacks.map((entry) => {
        const { name, location } = entry;
        return { name, location: location ?? data.location, resourceGroupName: physicalName("resourceGroup", `${data.project}-${name}`) };
    });
    for (const name of duplicates(stacks.map((stack) => stack.name))) {
        problems.push(`${bootstrapNamespace}:stacks: "${name}" is listed twice; each main stack gets one resource group`);
    }
    if (stacks.some((stack) => stack.name === "bootstrap")) {
        problems.push(`${bootstrapNamespace}:stacks: "bootstrap" names the bootstrap's own resource group; choose another stack name`);
    }

    // Two identities: deploys sign in as one, previews and drift checks (which run code from any branch, or daily
    // without a reviewer) as the other, which can only read.
    const environments = data.environments ?? stacks.map((stack) => stack.name);
    const driftEnvironments = data.driftEnvironments ?? stacks.map((stack) => `${stack.name}-drift`);
    for (const name of duplicates(environments)) {
        problems.push(`${bootstrapNamespace}:environments: "${name}" is listed twice; each environment gets one federated credential`);
    }
    for (const name of duplicates(driftEnvironments)) {
        problems.push(`${bootstrapNamespace}:driftEnvironments: "${name}" is listed twice; each environment gets one federated credential`);
    }
    const driftOf = new Map(stacks.map((stack) => [`${stack.name}-drift`, stack.name]));
    environments.forEach((name, index) => {
        if (driftEnvironments.includes(name)) {
            problems.push(
                `${bootstrapNamespace}:environments[${index}]: "${name}" is also in driftEnvironments; an environment's jobs sign in as one identity, ` +
                    `so list it under environments (deploys) or driftEnvironments (read-only), not both`,
            );
        } else if (driftOf.has(name)) {
            problems.push(
                `${bootstrapNamespace}:environments[${index}]: "${name}" is the drift environment of stack ${driftOf.get(name)}, whose jobs sign in as the ` +
                    `read-only preview identity; move it to driftEnvironments`,
            );
        }
    });
    if (environments.length > maxFederatedCredentials) {
        problems.push(
            `${bootstrapNamespace}:environments: ${environments.length} environments make ${environments.length} federated credentials on the deploy identity; ` +
                `Azure allows at most ${maxFederatedCredentials} on one identity`,
        );
    }
    const previewCredentials = driftEnvironments.length + (data.pullRequests ? 1 : 0);
    if (previewCredentials > maxFederatedCredentials) {
        problems.push(
            `${bootstrapNamespace}:driftEnvironments: ${driftEnvironments.length} environments${data.pullRequests ? " plus the pull_request credential" : ""} make ` +
                `${previewCredentials} federated credentials on the preview identity; Azure allows at most ${maxFederatedCredentials} on one identity`,
        );
    }
    if (previewCredentials === 0) {
        problems.push(
            `${bootstrapNamespace}:driftEnvironments: empty while pullRequests is false, so nothing could sign in as the preview identity; ` +
                `list the drift environments or set pullRequests to true`,
        );
    }

    const { allowAllNetworks, allowedIps } = data.network;
    if (allowAllNetworks && allowedIps.length > 0) {
        problems.push(
            `${bootstrapNamespace}:network.allowedIps: listed while network.allowAllNetworks is true, which already admits every address; ` +
                `set allowAllNetworks to false to admit only these (${describe(allowedIps)})`,
        );
    }
    if (!allowAllNetworks && allowedIps.length === 0) {
        problems.push(
            `${bootstrapNamespace}:network.allowedIps: empty while network.allowAllNetworks is false, so no runner could reach the state or the key; ` +
                `list the public addresses of your runners and of this machine, or set allowAllNetworks to true`,
        );
    }

    if (problems.length > 0) {
        throw new BootstrapConfigError(problems);
    }
    return {
        project: data.project,
        repository: {
            owner: data.githubOwner,
            repo: data.githubRepo,
            ...(data.githubOwnerId !== undefined && data.githubRepoId !== undefined ? { ownerId: data.githubOwnerId, repoId: data.githubRepoId } : {}),
        },
        environments,
        driftEnvironments,
        pullRequests: data.pullRequests,
        stacks,
        location: data.location,
        resourceGroupName: physicalName("resourceGroup", `${data.project}-bootstrap`),
        network: { allowAllNetworks, allowedIps },
        keySize: data.keySize,
        lockOperatorRoleName: data.lockOperatorRoleName,
        appSettingsReaderRoleName: data.appSettingsReaderRoleName,
        registerEncryptionAtHost: data.registerEncryptionAtHost,
        evidence: data.evidence,
    };
}

/** This project's keys from a flat `namespace:key` → text map, as `pulumi.runtime.allConfig()` returns it. */
export function bootstrapRawConfig(all: Record<string, string>, namespace: string = bootstrapNamespace): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const separator = fullKey.indexOf(":");
        if (separator > 0 && fullKey.slice(0, separator) === namespace) {
            raw[fullKey.slice(separator + 1)] = decodeConfigValue(text);
        }
    }
    return raw;
}

/** Reads and validates the running stack's config. */
export function readBootstrapConfig(): BootstrapConfig {
    const project = pulumi.getProject();
    if (project !== bootstrapNamespace) {
        throw new BootstrapConfigError([`project must be "${bootstrapNamespace}" (stacks/bootstrap/Pulumi.yaml), the namespace of the bootstrap's keys; got "${project}".`]);
    }
    return parseBootstrapConfig(bootstrapRawConfig(pulumi.runtime.allConfig()));
}
