/**
 * The default level of rules whose fix needs infrastructure a program may not have yet (private endpoints, VNet
 * integration, NAT gateways, a log destination): advisory, so that a program that installs the pack without a
 * config sees them without being blocked. `config.prod.json` makes the public network access rules mandatory.
 */
export const needsInfrastructure = "advisory" as const;
