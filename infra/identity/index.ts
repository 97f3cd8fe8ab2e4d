export * from "./federated";
export * from "./identityShape";
export * from "./ManagedIdentity";
