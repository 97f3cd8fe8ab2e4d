import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const serviceBusLocalAuthDisabled: ResourceRule = {
    name: "servicebus-local-auth-disabled",
    description: "Service Bus namespaces refuse SAS keys (disableLocalAuth: true).",
    severity: "high",
    remediation:
        "Set `disableLocalAuth: true`; clients connect with `fullyQualifiedNamespace` and a managed identity holding Azure Service Bus Data Sender/Receiver.",
    anchors: {
        psrule: ["Azure.ServiceBus.DisableLocalAuth"],
    },
    builtins: [
        { id: "cfb11c26-f069-4c14-8e36-56c394dae5af", displayName: "Azure Service Bus namespaces should have local authentication methods disabled" },
    ],
    mcsb: ["IM-1"],
    service: "messaging",
    defaultLevel: "mandatory",
    justification: "Shared access keys are namespace-wide bearer secrets that never expire; with local auth off only Entra identities can send or receive.",
    resourceTypes: [types.serviceBusNamespace, classic.serviceBusNamespace],
    check: (resource) =>
        resource.type === classic.serviceBusNamespace
            ? checkSetting(resource, classicFlag("localAuthEnabled", false, true))
            : requireBoolean(resource, "disableLocalAuth", true, "set it to true (Azure's default keeps SAS keys working)."),
};
