// The components other Pulumi languages use, through the component provider that `pulumi package add` starts. Each
// is a thin facade over the TypeScript component of the same name with plain inputs (IDs, names, flags, maps):
// schema inference cannot express resource objects or union types, which the TypeScript API takes.
export { FunctionApp } from "./FunctionApp";
export type { FunctionAppArgs } from "./FunctionApp";
export { ManagedIdentity } from "./ManagedIdentity";
export type { ManagedIdentityArgs, IdentityGrant } from "./ManagedIdentity";
export { StorageAccount } from "./StorageAccount";
export type { StorageAccountArgs } from "./StorageAccount";
export { Vault } from "./Vault";
export type { VaultArgs } from "./Vault";
export { WebApp } from "./WebApp";
export type { WebAppArgs } from "./WebApp";
export type { AttachedIdentity } from "./plain";
