export * from "./names";
export * from "./namespace";
export * from "./ServiceBusNamespace";
export * from "./EventHubsNamespace";
