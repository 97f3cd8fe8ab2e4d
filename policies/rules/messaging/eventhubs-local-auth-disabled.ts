import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { requireBoolean } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

export const eventHubsLocalAuthDisabled: ResourceRule = {
    name: "eventhubs-local-auth-disabled",
    description: "Event Hubs namespaces refuse SAS keys (disableLocalAuth: true).",
    severity: "high",
    remediation:
        "Set `disableLocalAuth: true`; producers and consumers use `fullyQualifiedNamespace` with a managed identity holding Azure Event Hubs Data Sender/Receiver.",
    anchors: {
        psrule: ["Azure.EventHub.DisableLocalAuth"],
    },
    builtins: [
        { id: "5d4e3c65-4873-47be-94f3-6f8b953a3598", displayName: "Azure Event Hub namespaces should have local authentication methods disabled" },
    ],
    mcsb: ["IM-1"],
    service: "messaging",
    defaultLevel: "mandatory",
    justification: "Shared access keys are namespace-wide bearer secrets that never expire; with local auth off only Entra identities can send or receive.",
    resourceTypes: [types.eventHubNamespace, classic.eventHubNamespace],
    check: (resource) =>
        resource.type === classic.eventHubNamespace
            ? checkSetting(resource, classicFlag("localAuthenticationEnabled", false, true))
            : requireBoolean(resource, "disableLocalAuth", true, "set it to true (Azure's default keeps SAS keys working)."),
};
