import * as pulumi from "@pulumi/pulumi";
import * as servicebus from "@pulumi/azure-native/servicebus";
import { GrantTarget } from "../access/grants";
import { entityNameProblem, fullyQualifiedNamespace, MessagingSku } from "./names";
import { MessagingNamespaceArgs, namespaceProblems, namespaceProperties, watchAndLockNamespace } from "./namespace";
import { Problems, ProblemsError } from "../shared/problems";

export interface ServiceBusQueueArgs {
    /** Deliveries before a message is dead-lettered. Defaults to 10. */
    maxDeliveryCount?: number;
    /** ISO 8601 peek-lock duration, at most PT5M. Defaults to PT1M. */
    lockDuration?: string;
    /** Sessions (ordered, grouped messages). Not on Basic. Defaults to false. */
    requiresSession?: boolean;
    /** Dead-letter messages that expire. Defaults to false. */
    deadLetteringOnMessageExpiration?: boolean;
}

export interface ServiceBusTopicArgs {
    /** Subscriptions by name. Defaults to none. */
    subscriptions?: string[];
}

export interface ServiceBusNamespaceArgs extends MessagingNamespaceArgs {
    /** Defaults to `Standard`. Basic has no topics or sessions; private endpoints need Premium. */
    sku?: MessagingSku;
    /** Messaging units, Premium only: 1, 2, 4, 8 or 16. Defaults to 1 on Premium. */
    capacity?: number;
    /**
     * `Disabled` leaves only private endpoints, which Service Bus offers on Premium only, so it needs
     * `sku: "Premium"`. Defaults to `Enabled` (clients still need an Entra token: SAS keys are disabled).
     */
    publicNetworkAccess?: "Enabled" | "Disabled";
    /** Queues by name. Defaults to none. */
    queues?: Record<string, ServiceBusQueueArgs>;
    /** Topics by name. Not on Basic. Defaults to none. */
    topics?: Record<string, ServiceBusTopicArgs>;
    /** Physical name, globally unique. Defaults to `sbns-<name>-<random suffix>`. */
    namespaceName?: string;
}

/** Seconds in an ISO 8601 duration of minutes and seconds (`PT30S`, `PT1M30S`), or undefined. */
function durationSeconds(value: string): number | undefined {
    const match = /^PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(value);
    if (!match || (match[1] === undefined && match[2] === undefined)) {
        return undefined;
    }
    return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** Checks every argument; returns one message per problem. */
export function serviceBusNamespaceProblems(args: ServiceBusNamespaceArgs): string[] {
    return namespaceProblems(args, {
        target: "serviceBus",
        service: "Service Bus",
        // https://learn.microsoft.com/azure/service-bus-messaging/private-link-service
        privateEndpointSkus: ["Premium"],
        stopAtUnknownSku: false,
        capacityProblem: (capacity, sku) => {
            if (sku !== "Premium") {
                return `capacity (messaging units) applies to sku "Premium" only; got sku "${sku}".`;
            }
            return [1, 2, 4, 8, 16].includes(capacity)
                ? undefined
                : `capacity must be 1, 2, 4, 8 or 16 messaging units; got ${JSON.stringify(capacity)}.`;
        },
        closedAccessProblem: (sku) =>
            sku !== "Premium"
                ? `publicNetworkAccess "Disabled" needs sku "Premium": Service Bus offers private endpoints on Premium only, ` +
                  `so a ${sku} namespace without public access would be unreachable.`
                : undefined,
        keySkuNote: "Service Bus takes a customer-managed key on Premium only (https://learn.microsoft.com/azure/service-bus-messaging/configure-customer-managed-key)",
        entityProblems: (sku) => queueAndTopicProblems(args, sku),
    });
}

function queueAndTopicProblems(args: ServiceBusNamespaceArgs, sku: MessagingSku): string[] {
    const problems: string[] = [];
    const queues = args.queues ?? {};
    const topics = args.topics ?? {};
    for (const [queue, settings] of Object.entries(queues)) {
        const key = `queues.${queue}`;
        const problem = entityNameProblem(`queues`, queue, 260);
        if (problem) {
            problems.push(problem);
        }
        if (settings?.requiresSession && sku === "Basic") {
            problems.push(`${key}.requiresSession needs sku "Standard" or "Premium": Basic has no sessions.`);
        }
        const count = settings?.maxDeliveryCount;
        if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
            problems.push(`${key}.maxDeliveryCount must be a positive integer; got ${JSON.stringify(count)}.`);
        }
        const lockSeconds = settings?.lockDuration === undefined ? undefined : durationSeconds(settings.lockDuration);
        if (settings?.lockDuration !== undefined && (lockSeconds === undefined || lockSeconds < 5 || lockSeconds > 300)) {
            problems.push(`${key}.lockDuration must be an ISO 8601 duration from PT5S to PT5M, such as PT30S or PT2M; got "${settings.lockDuration}".`);
        }
    }
    if (Object.keys(topics).length > 0 && sku === "Basic") {
        problems.push(`topics need sku "Standard" or "Premium": Basic has queues only.`);
    }
    for (const [topic, settings] of Object.entries(topics)) {
        const problem = entityNameProblem(`topics`, topic, 260);
        if (problem) {
            problems.push(problem);
        }
        if (Object.prototype.hasOwnProperty.call(queues, topic)) {
            problems.push(`topics.${topic} is also declared in queues; entity names are shared within a namespace, so give it another name.`);
        }
        const seen = new Set<string>();
        (settings?.subscriptions ?? []).forEach((subscription, index) => {
            const subscriptionProblem = entityNameProblem(`topics.${topic}.subscriptions[${index}]`, subscription, 50);
            if (subscriptionProblem) {
                problems.push(subscriptionProblem);
            } else if (seen.has(subscription)) {
                problems.push(`topics.${topic}.subscriptions[${index}] "${subscription}" is listed twice.`);
            }
            seen.add(subscription);
        });
    }
    return problems;
}

/**
 * A Service Bus namespace with SAS keys disabled (`disableLocalAuth: true`): senders and receivers use Entra
 * tokens and hold Azure Service Bus Data Sender/Receiver on the namespace, or better on one queue or topic
 * (`queueTarget`, `topicTarget`). Minimum TLS 1.2. No authorization rules are created.
 */
export class ServiceBusNamespace extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly namespaceName: pulumi.Output<string>;
    /** `<namespace>.servicebus.windows.net`, what SDK clients take together with a credential object. */
    public readonly fullyQualifiedNamespace: pulumi.Output<string>;
    public readonly sku: MessagingSku;
    public readonly queues: Record<string, servicebus.Queue>;
    public readonly topics: Record<string, servicebus.Topic>;
    public readonly subscriptions: Record<string, servicebus.Subscription>;

    constructor(name: string, args: ServiceBusNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`ServiceBusNamespace "${name}"`);
        problems.addAll(serviceBusNamespaceProblems(args));
        problems.throwIfAny();
        super("keyless:messaging:ServiceBusNamespace", name, {}, opts);
        this.name = name;
        this.sku = args.sku ?? "Standard";

        const capacity = this.sku === "Premium" ? (args.capacity ?? 1) : undefined;
        const namespace = new servicebus.Namespace(
            name,
            namespaceProperties("serviceBusNamespace", name, args, this.sku, capacity, this),
            { parent: this },
        );
        this.id = namespace.id;
        this.namespaceName = namespace.name;
        this.fullyQualifiedNamespace = namespace.serviceBusEndpoint.apply(fullyQualifiedNamespace);

        this.queues = {};
        for (const [queue, settings] of Object.entries(args.queues ?? {})) {
            this.queues[queue] = new servicebus.Queue(
                `${name}-queue-${queue}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    namespaceName: namespace.name,
                    queueName: queue,
                    maxDeliveryCount: settings?.maxDeliveryCount,
                    lockDuration: settings?.lockDuration,
                    requiresSession: settings?.requiresSession,
                    deadLetteringOnMessageExpiration: settings?.deadLetteringOnMessageExpiration,
                },
                { parent: this },
            );
        }
        this.topics = {};
        this.subscriptions = {};
        for (const [topic, settings] of Object.entries(args.topics ?? {})) {
            const created = new servicebus.Topic(
                `${name}-topic-${topic}`,
                { resourceGroupName: args.resourceGroupName, namespaceName: namespace.name, topicName: topic },
                { parent: this },
            );
            this.topics[topic] = created;
            for (const subscription of settings?.subscriptions ?? []) {
                this.subscriptions[`${topic}/${subscription}`] = new servicebus.Subscription(
                    `${name}-topic-${topic}-${subscription}`,
                    { resourceGroupName: args.resourceGroupName, namespaceName: namespace.name, topicName: created.name, subscriptionName: subscription },
                    { parent: this },
                );
            }
        }

        watchAndLockNamespace(name, namespace.id, args, this.sku, "serviceBus", this);

        this.registerOutputs({ id: this.id, namespaceName: this.namespaceName, fullyQualifiedNamespace: this.fullyQualifiedNamespace });
    }

    /** The whole namespace as a grant target. Prefer `queueTarget` or `topicTarget`. */
    public asTarget(): GrantTarget {
        return { kind: "serviceBus", name: this.name, id: this.id };
    }

    /** One queue as a grant target, e.g. Azure Service Bus Data Sender on `orders` only. */
    public queueTarget(queue: string): GrantTarget {
        const created = this.queues[queue];
        if (!created) {
            throw new ProblemsError(`ServiceBusNamespace "${this.name}"`, [`queues has no "${queue}"; declared: ${Object.keys(this.queues).join(", ") || "none"}.`]);
        }
        return { kind: "serviceBusQueue", name: `${this.name}/${queue}`, id: created.id };
    }

    /** One topic as a grant target (senders on the topic, receivers on the topic's subscriptions through it). */
    public topicTarget(topic: string): GrantTarget {
        const created = this.topics[topic];
        if (!created) {
            throw new ProblemsError(`ServiceBusNamespace "${this.name}"`, [`topics has no "${topic}"; declared: ${Object.keys(this.topics).join(", ") || "none"}.`]);
        }
        return { kind: "serviceBusTopic", name: `${this.name}/${topic}`, id: created.id };
    }
}
