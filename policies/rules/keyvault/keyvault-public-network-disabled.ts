import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const keyVaultPublicNetworkDisabled = publicNetworkAccessRule({
    name: "keyvault-public-network-disabled",
    service: "keyvault",
    label: "Key vaults",
    resourceTypes: [types.vault],
    path: "properties.publicNetworkAccess",
    builtins: [
        { id: "405c5871-3e91-4644-8a63-58e19d68ff5b", displayName: "Azure Key Vault should disable public network access" },
    ],
    classicTypes: [classic.keyVault],
    reachThrough: "a private endpoint",
});
