// The IPv4 parser lives in infra/shared (firewall rules use it too); re-exported here for existing imports.
export * from "../shared/cidr";
export * from "./layout";
export * from "./Network";
export * from "./privateEndpoints";
export * from "./PrivateDnsZones";
