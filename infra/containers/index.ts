export * from "./ContainerRegistry";
export * from "./ContainerGroup";
export * from "./AksCluster";
export * from "./workloadIdentityManifests";
export * from "./WorkloadIdentityBinding";
