import { read, requireBoolean, show, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

export const redisAccessKeyAuthDisabled: ResourceRule = {
    name: "redis-access-key-auth-disabled",
    description: "Azure Cache for Redis and Azure Managed Redis databases refuse access keys and take Entra ID tokens only.",
    severity: "high",
    remediation:
        "On `redis.Redis` set `disableAccessKeyAuthentication: true` (with `redisConfiguration.aadEnabled`) and add an access policy assignment for the " +
        "workload's identity; on `redisenterprise.Database` set `accessKeysAuthentication: \"Disabled\"` and use access policy assignments.",
    anchors: {
        psrule: ["Azure.Redis.EntraID"],
    },
    builtins: [],
    mcsb: ["IM-1"],
    service: "data",
    defaultLevel: "mandatory",
    justification: "A Redis access key is a shared password to all data in the cache; Entra authentication ties every connection to an identity.",
    resourceTypes: [types.redis, types.redisEnterpriseDatabase],
    check(resource) {
        if (resource.type === types.redis) {
            return requireBoolean(resource, "disableAccessKeyAuthentication", true, "set it to true so only Entra ID tokens are accepted.");
        }
        const value = read(resource.props, "accessKeysAuthentication");
        if (isUnknown(value) || value === "Disabled") {
            return [];
        }
        return [violation(resource, "accessKeysAuthentication", `is ${show(value)}; set it to "Disabled" so only Entra ID tokens are accepted.`)];
    },
};
