import { runUnderMocks, valueOf } from "../testing";
import { ofType } from "../testing/fixtures";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { ServiceBusNamespace, ServiceBusNamespaceArgs } from "./ServiceBusNamespace";
import { ProblemsError } from "../shared/problems";

describe("ServiceBusNamespace", () => {
    it("declares a namespace without SAS keys, its queues and topics, and narrow grant targets", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const bus = new ServiceBusNamespace("orders", {
                resourceGroupName: "rg",
                queues: { incoming: { maxDeliveryCount: 5, lockDuration: "PT30S" } },
                topics: { events: { subscriptions: ["billing", "audit"] } },
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
                lock: { kind: "CanNotDelete" },
            });
            new ManagedIdentity("sender", {
                resourceGroupName: "rg",
                grants: [
                    { role: "Azure Service Bus Data Sender", target: bus.queueTarget("incoming") },
                    { role: "Azure Service Bus Data Receiver", target: bus.topicTarget("events") },
                ],
            });
            return { namespace: bus.asTarget(), queue: bus.queueTarget("incoming"), host: bus.fullyQualifiedNamespace };
        });
        const [component] = ofType(resources, "keyless:messaging:ServiceBusNamespace");
        const [namespace] = ofType(resources, "azure-native:servicebus:Namespace");
        expect(namespace.parentUrn).toBe(component.urn);
        expect(namespace.inputs.disableLocalAuth).toBe(true);
        expect(namespace.inputs.minimumTlsVersion).toBe("1.2");
        expect(namespace.inputs.publicNetworkAccess).toBe("Enabled");
        expect(namespace.inputs.sku).toEqual({ name: "Standard", tier: "Standard" });
        expect(namespace.inputs.namespaceName).toMatch(/^sbns-orders-[a-z0-9]{6}$/);
        expect(ofType(resources, "azure-native:servicebus:NamespaceAuthorizationRule")).toHaveLength(0);

        const [queue] = ofType(resources, "azure-native:servicebus:Queue");
        expect(queue.inputs).toMatchObject({ queueName: "incoming", namespaceName: namespace.inputs.namespaceName, maxDeliveryCount: 5, lockDuration: "PT30S" });
        const [topic] = ofType(resources, "azure-native:servicebus:Topic");
        expect(topic.inputs.topicName).toBe("events");
        expect(ofType(resources, "azure-native:servicebus:Subscription").map((s) => [s.inputs.topicName, s.inputs.subscriptionName])).toEqual([
            ["events", "billing"],
            ["events", "audit"],
        ]);

        const assignments = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(assignments.map((assignment) => assignment.inputs.scope).sort()).toEqual([queue.id, topic.id].sort());
        expect(outputs.queue).toMatchObject({ kind: "serviceBusQueue", name: "orders/incoming" });
        expect(outputs.namespace.kind).toBe("serviceBus");
        expect(await valueOf(outputs.queue.id as never)).toBe(queue.id);
        expect(await valueOf(outputs.host)).toBe(`${namespace.inputs.namespaceName}.servicebus.windows.net`);

        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect(diagnostics.inputs.logs).toEqual([{ category: "OperationalLogs", enabled: true }]);
    });

    it("closes public access on Premium and audits runtime access there", async () => {
        const { resources } = await runUnderMocks(() => {
            new ServiceBusNamespace("private", {
                resourceGroupName: "rg",
                sku: "Premium",
                capacity: 2,
                publicNetworkAccess: "Disabled",
                diagnostics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log" },
            });
        });
        const [namespace] = ofType(resources, "azure-native:servicebus:Namespace");
        expect(namespace.inputs).toMatchObject({ publicNetworkAccess: "Disabled", sku: { name: "Premium", tier: "Premium", capacity: 2 } });
        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect((diagnostics.inputs.logs as { category: string }[]).map((log) => log.category)).toEqual(["OperationalLogs", "RuntimeAuditLogs"]);
    });

    it("names the declared entities when asked for an unknown one", async () => {
        await runUnderMocks(() => {
            const bus = new ServiceBusNamespace("orders", { resourceGroupName: "rg", queues: { incoming: {} } });
            expect(() => bus.queueTarget("outgoing")).toThrow(new ProblemsError('ServiceBusNamespace "orders"', ['queues has no "outgoing"; declared: incoming.']));
            expect(() => bus.topicTarget("events")).toThrow(new ProblemsError('ServiceBusNamespace "orders"', ['topics has no "events"; declared: none.']));
        });
    });

    const invalid: [string, Partial<ServiceBusNamespaceArgs> & Record<string, unknown>, string][] = [
        ["public access disabled below Premium", { publicNetworkAccess: "Disabled" }, 'publicNetworkAccess "Disabled" needs sku "Premium": Service Bus offers private endpoints on Premium only, so a Standard namespace without public access would be unreachable.'],
        ["SAS keys", { disableLocalAuth: false }, "disableLocalAuth is not accepted: SAS keys are always disabled, clients authenticate with Entra ID."],
        ["topics on Basic", { sku: "Basic", topics: { events: {} } }, 'topics need sku "Standard" or "Premium": Basic has queues only.'],
        ["sessions on Basic", { sku: "Basic", queues: { q: { requiresSession: true } } }, 'queues.q.requiresSession needs sku "Standard" or "Premium": Basic has no sessions.'],
        ["a queue and topic sharing a name", { queues: { events: {} }, topics: { events: {} } }, "topics.events is also declared in queues; entity names are shared within a namespace, so give it another name."],
        ["a bad queue name", { queues: { "-orders": {} } }, "queues \"-orders\" must be 1-260 letters, digits, '.', '_' or '-', starting and ending with a letter or digit."],
        ["a lock longer than five minutes", { queues: { q: { lockDuration: "PT10M" } } }, 'queues.q.lockDuration must be an ISO 8601 duration from PT5S to PT5M, such as PT30S or PT2M; got "PT10M".'],
        ["capacity below Premium", { capacity: 2 }, 'capacity (messaging units) applies to sku "Premium" only; got sku "Standard".'],
        ["a reserved namespace suffix", { namespaceName: "orders-prod-sb" }, 'namespaceName "orders-prod-sb" cannot end with "-sb" or "-mgmt" (reserved by Azure).'],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new ServiceBusNamespace("bad", { resourceGroupName: "rg", ...extra } as ServiceBusNamespaceArgs)).toThrow(new ProblemsError('ServiceBusNamespace "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });
});
