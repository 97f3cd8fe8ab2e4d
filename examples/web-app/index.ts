// A consumer of @keyless/components: one vault, one identity allowed to read its secrets, one web app that reads a
// secret through a Key Vault reference. Each domain is imported on its own, so the program loads only the
// azure-native modules those domains use.
import * as pulumi from "@pulumi/pulumi";
import { ManagedIdentity } from "@keyless/components/identity";
import { Vault } from "@keyless/components/keyvault";
import { WebApp } from "@keyless/components/web";

const config = new pulumi.Config();
const resourceGroupName = config.require("resourceGroupName");

const vault = new Vault("shop", { resourceGroupName });

const identity = new ManagedIdentity("shop", {
    resourceGroupName,
    grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "shop", id: vault.id } }],
});

const app = new WebApp("shop", {
    resourceGroupName,
    identity: { userAssigned: [identity] },
    linuxFxVersion: "NODE|20-lts",
    settings: {
        DB_PASSWORD: { keyVaultSecret: { secretUri: pulumi.interpolate`${vault.vaultUri}secrets/db-password` } },
    },
});

export const siteHostName = app.defaultHostName;
export const vaultUri = vault.vaultUri;
