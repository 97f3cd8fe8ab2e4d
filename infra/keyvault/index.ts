export * from "./secretSource";
export * from "./VaultSecret";
export * from "./Vault";
export * from "./customerManagedKey";
