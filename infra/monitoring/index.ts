export * from "./diagnostics";
export * from "./Monitoring";
