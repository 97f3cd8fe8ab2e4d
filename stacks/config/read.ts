import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { configNamespace } from "./format";
import { parseStackConfig, StackConfig } from "./parse";

/** Parses a config value the way the Pulumi CLI passes it: structured values arrive as JSON text. */
export function decodeConfigValue(text: string): unknown {
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text;
        }
    }
    if (trimmed === "true" || trimmed === "false") {
        return trimmed === "true";
    }
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
        return Number(trimmed);
    }
    return text;
}

/**
 * Splits a flat `project:key` → text map, as `pulumi.runtime.allConfig()` returns it, into this project's
 * raw config. Keys of other namespaces (azure-native:location) are left out.
 */
export function namespacedConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, ...rest] = fullKey.split(":");
        if (namespace === configNamespace && rest.length > 0) {
            raw[rest.join(":")] = decodeConfigValue(text);
        }
    }
    return raw;
}

/** The provider's own location setting, which must agree with `keyless:location`. */
export const providerLocationKey = "azure-native:location";

/**
 * Reads this stack's config from the Pulumi runtime. Secret keys come from the engine, which tells the
 * program which values were `secure:` in the stack file.
 */
export function readStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const raw = namespacedConfig(all);
    const secretKeys = Object.keys(raw).filter((key) => isConfigSecret(`${configNamespace}:${key}`));
    return parseStackConfig(raw, { project: pulumi.getProject(), secretKeys, providerLocation: all[providerLocationKey] });
}

function isConfigSecret(fullKey: string): boolean {
    // The SDK tracks secret keys (PULUMI_CONFIG_SECRET_KEYS) but does not type the accessor.
    return (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(fullKey);
}
