/**
 * The default level of rules whose fix needs infrastructure a program may not have yet (private endpoints, VNet
 * integration, NAT gateways, a log destination): off until the policy config turns them on. `config.dev.json`
 * makes them advisory and `config.prod.json` makes the public network access rules mandatory.
 */
export const needsInfrastructure = "disabled" as const;
