import * as pulumi from "@pulumi/pulumi";
import { Vault as KeylessVault } from "@keyless/components/keyvault";
import { NetworkAccessArgs } from "@keyless/components/shared";
import { diagnosticsTo } from "./plain";

/** Arguments of a Key Vault. */
export interface VaultArgs {
    /** Resource group to create the vault in. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Defaults to the provider's location. */
    location?: pulumi.Input<string>;
    /** Entra tenant of the vault. Defaults to the signed-in tenant. */
    tenantId?: pulumi.Input<string>;
    /** Who may reach the vault's public endpoint. Defaults to no public network access. */
    network?: NetworkAccessArgs;
    /** Log Analytics workspace that receives the vault's audit logs. Defaults to none. */
    workspaceId?: pulumi.Input<string>;
}

/** A Key Vault on Azure RBAC (no access policies), purge-protected, closed to public networks unless allowed. */
export class Vault extends pulumi.ComponentResource {
    /** Resource ID of the vault, the scope of its role grants. */
    public readonly vaultId: pulumi.Output<string>;
    /** Name of the vault. */
    public readonly vaultName: pulumi.Output<string>;
    /** `https://<name>.vault.azure.net/`: secret URIs are `<vaultUri>secrets/<name>`. */
    public readonly vaultUri: pulumi.Output<string>;

    constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("keyless-azure:index:Vault", name, {}, opts);
        const vault = new KeylessVault(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                tenantId: args.tenantId,
                network: args.network,
                diagnostics: diagnosticsTo(args.workspaceId),
            },
            { parent: this },
        );
        this.vaultId = vault.id;
        this.vaultName = vault.vaultName;
        this.vaultUri = vault.vaultUri;
        this.registerOutputs({ vaultId: this.vaultId, vaultName: this.vaultName, vaultUri: this.vaultUri });
    }
}
