// Test helpers, for *.test.ts only. The mock runtime they build on is the offline runner's (offline/).
export * from "../../offline/mocks";
export * from "../../offline/evaluate";
export * from "./credentials";
