export * from "./mocks";
export * from "./credentials";
export * from "./policy";
