export * from "./types";
export { accessEdges } from "./edges";
export { privateDnsZones, targetTypes } from "./catalog";
export { describeVerdict, verdictCounts, verdictLabel } from "./summary";
