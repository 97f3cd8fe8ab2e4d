export * from "./workflowDefinition";
export * from "./LogicApp";
