import { fixture } from "../../testing/fixtures";
import { describeResourceRule } from "../../testing";
import { keyVaultPublicNetworkDisabled } from "./keyvault-public-network-disabled";
import { keyVaultSecretExpiry } from "./keyvault-secret-expiry";

describeResourceRule(
    keyVaultPublicNetworkDisabled,
    fixture("kv"),
    [
        { path: "properties.publicNetworkAccess", value: "Enabled", message: 'Vault "kv" properties.publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.' },
        {
            path: "properties.publicNetworkAccess",
            value: undefined,
            message: 'Vault "kv" properties.publicNetworkAccess: is not set, and Azure\'s default is Enabled; set it to "Disabled" and reach it through a private endpoint.',
        },
    ],
    "properties.publicNetworkAccess",
);

describeResourceRule(
    keyVaultSecretExpiry,
    fixture("db"),
    [
        {
            path: "properties.attributes",
            value: undefined,
            message: 'Secret "db" properties.attributes.expires: is not set, and Key Vault secrets never expire by default; set an expiry and rotate before it.',
        },
    ],
    "properties.attributes.expires",
);
