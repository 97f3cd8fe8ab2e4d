export * from "./naming";
export * from "./KeylessStorage";
