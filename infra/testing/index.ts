export * from "./mocks";
export * from "./credentials";
