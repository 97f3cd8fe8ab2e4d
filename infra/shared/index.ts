export * from "./naming";
export * from "./tags";
export * from "./secrets";
export * from "./plainValues";
export * from "./locks";
export * from "./regions";
export * from "./network";
export * from "./cidr";
