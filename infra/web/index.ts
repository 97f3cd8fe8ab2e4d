export * from "./appSettings";
export * from "./plan";
export * from "./siteIdentity";
export * from "./siteSecurity";
export * from "./site";
export * from "./WebApp";
export * from "./FunctionApp";
