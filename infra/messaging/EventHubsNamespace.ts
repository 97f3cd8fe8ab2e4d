import * as pulumi from "@pulumi/pulumi";
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as random from "@pulumi/random";
import { GrantTarget } from "../access/grants";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { entityNameProblem, fullyQualifiedNamespace, MessagingSku, messagingSkus, namespaceNameProblem } from "./names";

export interface EventHubArgs {
    /** Partitions, 1-32 (1-100 on Premium). Defaults to 2. */
    partitionCount?: number;
    /** Days events are kept: at most 1 on Basic, 7 on Standard, 90 on Premium. Defaults to 1. */
    messageRetentionInDays?: number;
    /** Consumer groups besides `$Default`, by name. Not on Basic. Defaults to none. */
    consumerGroups?: string[];
}

export interface EventHubsNamespaceArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
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
    /** A management lock on the namespace. Defaults to none. */
    lock?: LockArgs;
    /** Sends OperationalLogs (and RuntimeAuditLogs on Premium) to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    tags?: Tags;
}

const maxRetention: Record<MessagingSku, number> = { Basic: 1, Standard: 7, Premium: 90 };
const maxPartitions: Record<MessagingSku, number> = { Basic: 32, Standard: 32, Premium: 100 };
const maxCapacity: Record<MessagingSku, number> = { Basic: 40, Standard: 40, Premium: 16 };

/** Checks every argument; returns one message per problem. */
export function eventHubsNamespaceProblems(name: string, args: EventHubsNamespaceArgs): string[] {
    const owner = `EventHubsNamespace "${name}"`;
    const problems: string[] = [];
    const raw = args as unknown as Record<string, unknown>;
    if (raw.disableLocalAuth !== undefined) {
        problems.push(`${owner} disableLocalAuth is not accepted: SAS keys are always disabled, clients authenticate with Entra ID.`);
    }
    const sku = args.sku ?? "Standard";
    if (!messagingSkus.includes(sku)) {
        problems.push(`${owner} sku must be one of ${messagingSkus.join(", ")}; got "${String(sku)}".`);
        return problems;
    }
    if (args.capacity !== undefined && (!Number.isInteger(args.capacity) || args.capacity < 1 || args.capacity > maxCapacity[sku])) {
        problems.push(`${owner} capacity must be an integer from 1 to ${maxCapacity[sku]} on ${sku}; got ${JSON.stringify(args.capacity)}.`);
    }
    const access = args.publicNetworkAccess ?? "Enabled";
    if (access !== "Enabled" && access !== "Disabled") {
        problems.push(`${owner} publicNetworkAccess must be "Enabled" or "Disabled"; got "${String(access)}".`);
    } else if (access === "Disabled" && sku === "Basic") {
        problems.push(
            `${owner} publicNetworkAccess "Disabled" needs sku "Standard" or "Premium": Event Hubs offers no private endpoints on Basic, ` +
                `so the namespace would be unreachable.`,
        );
    }
    if (args.namespaceName !== undefined) {
        const problem = namespaceNameProblem(`${owner} namespaceName`, args.namespaceName);
        if (problem) {
            problems.push(problem);
        }
    }
    for (const [hub, settings] of Object.entries(args.eventHubs ?? {})) {
        const key = `${owner} eventHubs.${hub}`;
        const problem = entityNameProblem(`${owner} eventHubs`, hub, 256);
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
        const problems = eventHubsNamespaceProblems(name, args);
        if (problems.length > 0) {
            throw new Error(problems.length === 1 ? problems[0] : `EventHubsNamespace "${name}":\n  - ${problems.join("\n  - ")}`);
        }
        super("keyless:messaging:EventHubsNamespace", name, {}, opts);
        this.name = name;
        this.sku = args.sku ?? "Standard";

        let namespaceName: pulumi.Input<string>;
        if (args.namespaceName !== undefined) {
            namespaceName = args.namespaceName;
        } else {
            const suffix = new random.RandomString(`${name}-suffix`, { length: 6, special: false, upper: false }, { parent: this });
            namespaceName = suffix.result.apply((value) => physicalName("eventHubsNamespace", name, value));
        }
        const namespace = new eventhub.Namespace(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                namespaceName,
                sku: { name: this.sku, tier: this.sku, capacity: args.capacity ?? 1 },
                disableLocalAuth: true,
                minimumTlsVersion: "1.2",
                publicNetworkAccess: args.publicNetworkAccess ?? "Enabled",
                tags: args.tags,
            },
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

        // Runtime audit logs (who sent or received, with which identity) exist on Premium only.
        const categories = this.sku === "Premium" ? ["OperationalLogs", "RuntimeAuditLogs"] : ["OperationalLogs"];
        sendDiagnostics(name, namespace.id, args.diagnostics, categories, this);
        lockScope(name, namespace.id, args.lock, this);

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
            throw new Error(`EventHubsNamespace "${this.name}" has no event hub "${hub}"; declared: ${Object.keys(this.eventHubs).join(", ") || "none"}.`);
        }
        return { kind: "eventHubInstance", name: `${this.name}/${hub}`, id: created.id };
    }
}
