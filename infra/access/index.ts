export * from "./roles";
export * from "./grants";
export * from "./RoleAssignments";
export * from "./targets";
