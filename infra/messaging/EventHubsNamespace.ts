import * as pulumi from "@pulumi/pulumi";
import * as eventhub from "@pulumi/azure-native/eventhub";
import { GrantTarget } from "../access/grants";
import { entityNameProblem, fullyQualifiedNamespace, MessagingSku } from "./names";
import { MessagingNamespaceArgs, namespaceProblems, namespaceProperties, watchAndLockNamespace } from "./namespace";
import { Problems, ProblemsError } from "../shared/problems";

export interface EventHubArgs {
    /** Partitions, 1-32 (1-100 on Premium). Defaults to 2. */
    partitionCount?: number;
    /** Days events are kept: at most 1 on Basic, 7 on Standard, 90 on Premium. Defaults to 1. */
    messageRetentionInDays?: number;
    /** Consumer groups besides `$Default`, by name. Not on Basic. Defaults to none. */
    consumerGroups?: string[];
}

export interface EventHubsNamespaceArgs extends MessagingNamespaceArgs {
    /** Defaults to `Standard`. */
    sku?: MessagingSku;
    /** Throughput units (Basic, Standard: 1-40) or processing units (Premium: 1-16). Defaults to 1. */
    capacity?: number;
    /**
     * `Disabled` leaves only private endpoints, which Event Hubs does not offer on Basic. Defaults to `Enabled`
     * (clients still need an Entra token: SAS keys are disabled).
     */
    publicNetworkAccess?: "Enabled" | "Disabled";
    /** Event hubs by name. Defaults to none. */
    eventHubs?: Record<string, EventHubArgs>;
    /** Physical name, globally unique. Defaults to `evhns-<name>-<random suffix>`. */
    namespaceName?: string;
}

const maxRetention: Record<MessagingSku, number> = { Basic: 1, Standard: 7, Premium: 90 };
const maxPartitions: Record<MessagingSku, number> = { Basic: 32, Standard: 32, Premium: 100 };
const maxCapacity: Record<MessagingSku, number> = { Basic: 40, Standard: 40, Premium: 16 };

/** Checks every argument; returns one message per problem. */
export function eventHubsNamespaceProblems(args: EventHubsNamespaceArgs): string[] {
    return namespaceProblems(args, {
        target: "eventHub",
        service: "Event Hubs",
        // Not on Basic: https://learn.microsoft.com/azure/event-hubs/private-link-service
        privateEndpointSkus: ["Standard", "Premium"],
        stopAtUnknownSku: true,
        capacityProblem: (capacity, sku) =>
            !Number.isInteger(capacity) || capacity < 1 || capacity > maxCapacity[sku]
                ? `capacity must be an integer from 1 to ${maxCapacity[sku]} on ${sku}; got ${JSON.stringify(capacity)}.`
                : undefined,
        closedAccessProblem: (sku) =>
            sku === "Basic"
                ? `publicNetworkAccess "Disabled" needs sku "Standard" or "Premium": Event Hubs offers no private endpoints on Basic, ` +
                  `so the namespace would be unreachable.`
                : undefined,
        keySkuNote:
            "Event Hubs takes a customer-managed key on Premium or in a Dedicated cluster, which this component does not declare " +
            "(https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key)",
        entityProblems: (sku) => eventHubProblems(args.eventHubs ?? {}, sku),
    });
}

function eventHubProblems(eventHubs: Record<string, EventHubArgs>, sku: MessagingSku): string[] {
    const problems: string[] = [];
    for (const [hub, settings] of Object.entries(eventHubs)) {
        const key = `eventHubs.${hub}`;
        const problem = entityNameProblem(`eventHubs`, hub, 256);
        if (problem) {
            problems.push(problem);
        }
        const partitions = settings?.partitionCount;
        if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1 || partitions > maxPartitions[sku])) {
            problems.push(`${key}.partitionCount must be an integer from 1 to ${maxPartitions[sku]} on ${sku}; got ${JSON.stringify(partitions)}.`);
        }
        const retention = settings?.messageRetentionInDays;
        if (retention !== undefined && (!Number.isInteger(retention) || retention < 1 || retention > maxRetention[sku])) {
            problems.push(`${key}.messageRetentionInDays must be an integer from 1 to ${maxRetention[sku]} on ${sku}; got ${JSON.stringify(retention)}.`);
        }
        const groups = settings?.consumerGroups ?? [];
        if (groups.length > 0 && sku === "Basic") {
            problems.push(`${key}.consumerGroups need sku "Standard" or "Premium": Basic has only $Default.`);
        }
        const seen = new Set<string>();
        groups.forEach((group, index) => {
            const groupKey = `${key}.consumerGroups[${index}]`;
            if (group.toLowerCase() === "$default") {
                problems.push(`${groupKey} "$Default" exists on every event hub; do not declare it.`);
                return;
            }
            const groupProblem = entityNameProblem(groupKey, group, 50);
            if (groupProblem) {
                problems.push(groupProblem);
            } else if (seen.has(group)) {
                problems.push(`${groupKey} "${group}" is listed twice.`);
            }
            seen.add(group);
        });
    }
    return problems;
}

/**
 * An Event Hubs namespace with SAS keys disabled (`disableLocalAuth: true`): producers and consumers use Entra
 * tokens and hold Azure Event Hubs Data Sender/Receiver on the namespace, or better on one event hub
 * (`eventHubTarget`). Minimum TLS 1.2. No authorization rules are created.
 */
export class EventHubsNamespace extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly namespaceName: pulumi.Output<string>;
    /** `<namespace>.servicebus.windows.net`, what SDK clients (and Kafka clients with OAuth) connect to. */
    public readonly fullyQualifiedNamespace: pulumi.Output<string>;
    public readonly sku: MessagingSku;
    public readonly eventHubs: Record<string, eventhub.EventHub>;
    public readonly consumerGroups: Record<string, eventhub.ConsumerGroup>;

    constructor(name: string, args: EventHubsNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`EventHubsNamespace "${name}"`);
        problems.addAll(eventHubsNamespaceProblems(args));
        problems.throwIfAny();
        super("keyless:messaging:EventHubsNamespace", name, {}, opts);
        this.name = name;
        this.sku = args.sku ?? "Standard";

        const namespace = new eventhub.Namespace(
            name,
            namespaceProperties("eventHubsNamespace", name, args, this.sku, args.capacity ?? 1, this),
            { parent: this },
        );
        this.id = namespace.id;
        this.namespaceName = namespace.name;
        this.fullyQualifiedNamespace = namespace.serviceBusEndpoint.apply(fullyQualifiedNamespace);

        this.eventHubs = {};
        this.consumerGroups = {};
        for (const [hub, settings] of Object.entries(args.eventHubs ?? {})) {
            const created = new eventhub.EventHub(
                `${name}-hub-${hub}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    namespaceName: namespace.name,
                    eventHubName: hub,
                    partitionCount: settings?.partitionCount ?? 2,
                    messageRetentionInDays: settings?.messageRetentionInDays ?? 1,
                },
                { parent: this },
            );
            this.eventHubs[hub] = created;
            for (const group of settings?.consumerGroups ?? []) {
                this.consumerGroups[`${hub}/${group}`] = new eventhub.ConsumerGroup(
                    `${name}-hub-${hub}-${group}`,
                    { resourceGroupName: args.resourceGroupName, namespaceName: namespace.name, eventHubName: created.name, consumerGroupName: group },
                    { parent: this },
                );
            }
        }

        watchAndLockNamespace(name, namespace.id, args, this.sku, "eventHub", this);

        this.registerOutputs({ id: this.id, namespaceName: this.namespaceName, fullyQualifiedNamespace: this.fullyQualifiedNamespace });
    }

    /** The whole namespace as a grant target. Prefer `eventHubTarget`. */
    public asTarget(): GrantTarget {
        return { kind: "eventHub", name: this.name, id: this.id };
    }

    /** One event hub as a grant target, e.g. Azure Event Hubs Data Receiver on `telemetry` only. */
    public eventHubTarget(hub: string): GrantTarget {
        const created = this.eventHubs[hub];
        if (!created) {
            throw new ProblemsError(`EventHubsNamespace "${this.name}"`, [`eventHubs has no "${hub}"; declared: ${Object.keys(this.eventHubs).join(", ") || "none"}.`]);
        }
        return { kind: "eventHubInstance", name: `${this.name}/${hub}`, id: created.id };
    }
}
