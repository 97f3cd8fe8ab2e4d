export * from "./cidr";
export * from "./layout";
export * from "./Network";
