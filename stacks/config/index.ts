// The one place stack config is read and validated. See parse.ts for the pass that reports every problem at once.
export * from "./parse";
export * from "./read";
export * from "./grants";
export * from "./sections";
export { configNamespace } from "./format";
export type { WorkloadConfig } from "../workloads/registry";
export type { AppSettingConfig } from "../workloads/settings";
export type { SecretSourceConfig } from "./fields";
