export * from "./names";
export * from "./ServiceBusNamespace";
export * from "./EventHubsNamespace";
