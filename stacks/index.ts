export * from "./config";
export * from "./stackFile";
export * from "./environment";
export * from "./offline";
