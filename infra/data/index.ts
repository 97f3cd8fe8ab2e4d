export * from "./grantScript";
export * from "./SqlServer";
