// The offline runner: Pulumi's mock runtime, stack files read as the CLI reads them, and the policy pack's view of
// what a run declared. The plan CLI, the benchmarks and the tests share it; nothing here is a test helper.
export * from "./mocks";
export * from "./evaluate";
export * from "./stackFile";
export * from "./stack";
