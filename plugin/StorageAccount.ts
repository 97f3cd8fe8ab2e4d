import * as pulumi from "@pulumi/pulumi";
import { NetworkAccessArgs } from "@keyless/components/shared";
import { KeylessStorage } from "@keyless/components/storage";
import { diagnosticsTo } from "./plain";

/** Arguments of a storage account. */
export interface StorageAccountArgs {
    /** Resource group to create the account in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** Blob containers, created private. Names: 3-63 lowercase letters, digits and single hyphens. */
    containers?: string[];
    /** Queues. Names: 3-63 lowercase letters, digits and single hyphens. */
    queues?: string[];
    /** Tables. Names: 3-63 letters and digits, starting with a letter. */
    tables?: string[];
    /** Who may reach the account's public endpoints. Defaults to no public network access. */
    network?: NetworkAccessArgs;
    /** Log Analytics workspace that receives the account's logs. Defaults to none. */
    workspaceId?: pulumi.Input<string>;
}

/** A storage account reachable only with Entra ID tokens: shared keys (so account SAS and connection strings) off, blobs never public, HTTPS and TLS 1.2 only. */
export class StorageAccount extends pulumi.ComponentResource {
    /** Resource ID of the account, the scope of account-wide grants. */
    public readonly accountId: pulumi.Output<string>;
    /** Name of the account (what identity-based connections name). */
    public readonly accountName: pulumi.Output<string>;
    /** Blob service endpoint. */
    public readonly blobEndpoint: pulumi.Output<string>;
    /** Queue service endpoint. */
    public readonly queueEndpoint: pulumi.Output<string>;

    constructor(name: string, args: StorageAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless-azure:index:StorageAccount", name, {}, opts);
        const account = new KeylessStorage(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                containers: args.containers,
                queues: args.queues,
                tables: args.tables,
                network: args.network,
                diagnostics: diagnosticsTo(args.workspaceId),
            },
            { parent: this },
        );
        this.accountId = account.id;
        this.accountName = account.accountName;
        this.blobEndpoint = account.blobEndpoint;
        this.queueEndpoint = account.queueEndpoint;
        this.registerOutputs({ accountId: this.accountId, accountName: this.accountName, blobEndpoint: this.blobEndpoint, queueEndpoint: this.queueEndpoint });
    }
}
