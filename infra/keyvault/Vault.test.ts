import { randomBytes } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { mockTenantId, runUnderMocks, valueOf } from "../testing";
import { ofType, one } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { Vault } from "./Vault";
import { VaultSecret } from "./VaultSecret";

const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps";
const workspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-main";

/** A throwaway credential built at test time, so nothing secret-looking is written in the repository. */
function generatedCredential(): string {
    return randomBytes(18).toString("base64");
}

interface VaultProperties {
    tenantId: string;
    sku: { family: string; name: string };
    enableRbacAuthorization: boolean;
    accessPolicies: unknown[];
    enableSoftDelete: boolean;
    softDeleteRetentionInDays: number;
    enablePurgeProtection: boolean;
    enabledForDeployment: boolean;
    enabledForTemplateDeployment: boolean;
    enabledForDiskEncryption: boolean;
    publicNetworkAccess: string;
    networkAcls: { defaultAction: string; bypass: string; ipRules: Array<{ value: string }>; virtualNetworkRules: Array<{ id: string }> };
}

describe("Vault", () => {
    it("declares an RBAC-only vault with purge protection, 90-day soft delete and no public access by default", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const vault = new Vault("app", { resourceGroupName: "rg-test" });
            return { vault, target: vault.asTarget(), vaultName: vault.vaultName, vaultUri: vault.vaultUri, id: vault.id };
        });
        const component = one(resources, "keyless:keyvault:Vault");
        const vault = one(resources, "azure-native:keyvault:Vault");
        const suffix = one(resources, "random:index/randomString:RandomString");
        expect(vault.parentUrn).toBe(component.urn);
        expect(suffix.parentUrn).toBe(component.urn);
        expect(suffix.inputs).toMatchObject({ length: 5, upper: false, special: false, lower: true, numeric: true });

        const properties = vault.inputs.properties as VaultProperties;
        expect(properties.enableRbacAuthorization).toBe(true);
        expect(properties.accessPolicies).toEqual([]);
        expect(properties.enableSoftDelete).toBe(true);
        expect(properties.softDeleteRetentionInDays).toBe(90);
        expect(properties.enablePurgeProtection).toBe(true);
        expect(properties.enabledForDeployment).toBe(false);
        expect(properties.enabledForTemplateDeployment).toBe(false);
        expect(properties.enabledForDiskEncryption).toBe(false);
        expect(properties.publicNetworkAccess).toBe("Disabled");
        expect(properties.networkAcls).toEqual({ defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] });
        expect(properties.sku).toEqual({ family: "A", name: "standard" });
        expect(properties.tenantId).toBe(mockTenantId);

        // Nothing optional unless asked for.
        expect(vault.protect).toBe(false);
        expect(ofType(resources, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
        expect(ofType(resources, "azure-native:monitor:DiagnosticSetting")).toHaveLength(0);
        expect(ofType(resources, "azure-native:keyvault:Secret")).toHaveLength(0);

        const vaultName = await valueOf(outputs.vaultName);
        expect(vaultName).toMatch(/^kv-app-[a-z0-9]{5}$/);
        expect(vault.inputs.vaultName).toBe(vaultName);
        expect(await valueOf(outputs.vaultUri)).toBe(`https://${vaultName}.vault.azure.net/`);
        expect(await valueOf(outputs.id)).toBe(vault.id);
        expect(outputs.target.kind).toBe("vault");
        expect(outputs.target.name).toBe("app");
        expect(await valueOf(pulumi.output(outputs.target.id))).toBe(vault.id);
    });

    it("keeps long names within 24 characters without cutting the random suffix", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("inventory-tracking-service", { resourceGroupName: "rg" });
        });
        const name = String(one(resources, "azure-native:keyvault:Vault").inputs.vaultName);
        expect(name.length).toBeLessThanOrEqual(24);
        expect(name).toMatch(/^kv-inventory-track-[a-z0-9]{5}$/);
    });

    it("uses the given tenant and SKU", async () => {
        const tenantId = "11111111-2222-4333-8444-555555555555";
        const { resources } = await runUnderMocks(() => {
            new Vault("app", { resourceGroupName: "rg", tenantId, sku: "premium" });
        });
        const properties = one(resources, "azure-native:keyvault:Vault").inputs.properties as VaultProperties;
        expect(properties.tenantId).toBe(tenantId);
        expect(properties.sku).toEqual({ family: "A", name: "premium" });
    });

    it("opens the public endpoint only to the listed addresses and subnets, denying the rest", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("app", {
                resourceGroupName: "rg",
                network: { allowedIps: ["203.0.113.7", "198.51.100.0/24"], allowedSubnetIds: [subnetId] },
            });
        });
        const properties = one(resources, "azure-native:keyvault:Vault").inputs.properties as VaultProperties;
        expect(properties.publicNetworkAccess).toBe("Enabled");
        expect(properties.networkAcls).toEqual({
            defaultAction: "Deny",
            bypass: "None",
            ipRules: [{ value: "203.0.113.7" }, { value: "198.51.100.0/24" }],
            virtualNetworkRules: [{ id: subnetId }],
        });
    });

    it("admits every network only when allowAllNetworks is set, and refuses it together with allowances", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("state", { resourceGroupName: "rg", network: { allowAllNetworks: true } });
            const mixed = new ProblemsError('Vault "bad"', [
                "network.allowAllNetworks opens the public endpoint to every network; it cannot be combined with allowedIps, " +
                    "allowedSubnetIds or publicNetworkAccess: false. Use one or the other.",
            ]);
            expect(() => new Vault("bad", { resourceGroupName: "rg", network: { allowAllNetworks: true, allowedIps: ["203.0.113.7"] } })).toThrow(mixed);
            expect(() => new Vault("bad", { resourceGroupName: "rg", network: { allowAllNetworks: true, publicNetworkAccess: false } })).toThrow(mixed);
        });
        expect(ofType(resources, "azure-native:keyvault:Vault")).toHaveLength(1);
        const properties = one(resources, "azure-native:keyvault:Vault").inputs.properties as VaultProperties;
        expect(properties.publicNetworkAccess).toBe("Enabled");
        expect(properties.networkAcls).toEqual({ defaultAction: "Allow", bypass: "None", ipRules: [], virtualNetworkRules: [] });
        // Opening the network changes nothing about who may read: RBAC only, no access policies.
        expect(properties.enableRbacAuthorization).toBe(true);
        expect(properties.accessPolicies).toEqual([]);
    });

    it("lets trusted Azure services through only when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("app", { resourceGroupName: "rg", network: { allowTrustedServices: true } });
        });
        const properties = one(resources, "azure-native:keyvault:Vault").inputs.properties as VaultProperties;
        expect(properties.networkAcls.bypass).toBe("AzureServices");
        expect(properties.publicNetworkAccess).toBe("Disabled");
    });

    it("refuses a malformed IP before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new Vault("app", { resourceGroupName: "rg", network: { allowedIps: ["203.0.113.300"] } })).toThrow(
                new ProblemsError('Vault "app"', ['network.allowedIps[0] must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "203.0.113.300".']),
            );
            expect(() => new Vault("app", { resourceGroupName: "rg", network: { allowedIps: ["10.0.0.0/8"] } })).toThrow(
                new ProblemsError('Vault "app"', [
                    'network.allowedIps[0] "10.0.0.0/8" is a private (RFC 1918) address, which never reaches a public endpoint; allow its subnet through allowedSubnetIds instead.',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("reports every bad input at once, the network's problems in the vault's own list", async () => {
        const { resources } = await runUnderMocks(() => {
            const args = {
                resourceGroupName: "rg",
                sku: "free",
                secrets: { pin: { generate: { length: 8 } } },
                network: { allowedIps: ["203.0.113.7", "203.0.113.7"] },
            } as unknown as ConstructorParameters<typeof Vault>[1];
            expect(() => new Vault("app", args)).toThrow(
                new ProblemsError('Vault "app"', [
                    'sku must be "standard" or "premium"; got "free".',
                    'secrets["pin"].generate.length must be an integer from 16 to 1024; got 8.',
                    'network.allowedIps[1] "203.0.113.7" is listed twice.',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("refuses access policies, an unknown SKU and a name Azure would refuse, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const withPolicies = { resourceGroupName: "rg", accessPolicies: [{ objectId: "x" }] } as unknown as ConstructorParameters<typeof Vault>[1];
            expect(() => new Vault("app", withPolicies)).toThrow(
                new ProblemsError('Vault "app"', ["accessPolicies are not supported; the vault uses Azure RBAC only. Grant a Key Vault role to an identity instead."]),
            );
            const badSku = { resourceGroupName: "rg", sku: "free" } as unknown as ConstructorParameters<typeof Vault>[1];
            expect(() => new Vault("app", badSku)).toThrow(new ProblemsError('Vault "app"', ['sku must be "standard" or "premium"; got "free".']));
            expect(() => new Vault("-", { resourceGroupName: "rg" })).toThrow(
                new ProblemsError('Vault "-"', ['name "-" gives the vault name "kv--aaaaa", which Azure refuses; use letters, digits and single hyphens, starting with a letter.']),
            );
            expect(() => new Vault("app", { resourceGroupName: "rg", tenantId: "contoso" })).toThrow(new ProblemsError('Vault "app"', ['tenantId must be a GUID; got "contoso".']));
        });
        expect(resources).toHaveLength(0);
    });

    it("generates a secret as a Pulumi secret and exposes its versionless URI and Key Vault reference", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const vault = new Vault("app", { resourceGroupName: "rg", secrets: { "session-key": { generate: {} } } });
            return {
                vaultName: vault.vaultName,
                uri: vault.secretUri("session-key"),
                reference: vault.referenceFor("session-key"),
                secretId: vault.secret("session-key").id,
                value: vault.secret("session-key").value,
            };
        });
        const password = one(resources, "random:index/randomPassword:RandomPassword");
        expect(password.inputs).toMatchObject({ length: 32, special: true, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 });

        const secretComponent = one(resources, "keyless:keyvault:VaultSecret");
        expect(secretComponent.parentUrn).toBe(one(resources, "keyless:keyvault:Vault").urn);
        const secret = one(resources, "azure-native:keyvault:Secret");
        expect(secret.parentUrn).toBe(secretComponent.urn);
        expect(password.parentUrn).toBe(secretComponent.urn);
        const vaultName = await valueOf(outputs.vaultName);
        expect(secret.inputs.vaultName).toBe(vaultName);
        expect(secret.inputs.secretName).toBe("session-key");
        expect(secret.inputs.resourceGroupName).toBe("rg");
        // The value went to the engine as a secret, so it is encrypted in state and masked in previews.
        expect(secret.secretPaths).toContain("properties");
        const stored = (secret.inputs.properties as { value: string }).value;
        expect(stored).toHaveLength(32);
        expect(await pulumi.isSecret(outputs.value)).toBe(true);

        const uri = await valueOf(outputs.uri);
        expect(uri).toBe(`https://${vaultName}.vault.azure.net/secrets/session-key`);
        expect(await valueOf(outputs.reference)).toBe(`@Microsoft.KeyVault(SecretUri=https://${vaultName}.vault.azure.net/secrets/session-key)`);
        // The reference names no secret value and is not itself a secret, so previews show it.
        expect(await pulumi.isSecret(outputs.reference)).toBe(false);
        expect(await valueOf(outputs.secretId)).toBe(secret.id);
    });

    it("honours the generated length and the punctuation switch, and refuses a short length", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("app", { resourceGroupName: "rg", secrets: { pin: { generate: { length: 20, special: false } } } });
            expect(() => new Vault("other", { resourceGroupName: "rg", secrets: { pin: { generate: { length: 8 } } } })).toThrow(
                new ProblemsError('Vault "other"', ['secrets["pin"].generate.length must be an integer from 16 to 1024; got 8.']),
            );
        });
        expect(one(resources, "random:index/randomPassword:RandomPassword").inputs).toMatchObject({ length: 20, special: false, minSpecial: 0 });
        expect(resources.filter((resource) => resource.name.startsWith("other"))).toHaveLength(0);
    });

    it("stores a value that arrives as a Pulumi secret from stack config", async () => {
        const credential = generatedCredential();
        const { resources } = await runUnderMocks(
            () => {
                const config = new pulumi.Config();
                new Vault("app", { resourceGroupName: "rg", secrets: { "partner-api-key": { value: config.requireSecret("partnerApiKey") } } });
            },
            { config: { "keyless:partnerApiKey": credential }, secretKeys: ["keyless:partnerApiKey"] },
        );
        const secret = one(resources, "azure-native:keyvault:Secret");
        expect(secret.secretPaths).toContain("properties");
        expect((secret.inputs.properties as { value: string }).value).toBe(credential);
    });

    it("refuses a plain-string secret value, naming the input, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const plain = { value: generatedCredential() } as unknown as { value: pulumi.Output<string> };
            expect(() => new Vault("app", { resourceGroupName: "rg", secrets: { "db-password": plain } })).toThrow(
                new ProblemsError('Vault "app"', [
                    'secrets["db-password"].value must be a Pulumi secret (from config.requireSecret, a secure: stack value, or a @pulumi/random value); ' +
                        "got a plain string, which would be stored and shown in clear text.",
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("fails the deployment when the value is an Output not marked secret", async () => {
        await expect(
            runUnderMocks(() => {
                new Vault("app", { resourceGroupName: "rg", secrets: { "db-password": { value: pulumi.output(generatedCredential()) } } });
            }),
        ).rejects.toThrow(
            /Vault "app" secret "db-password" \(1 problem\):\n {2}- source\.value must be a Pulumi secret; it resolved to a value that is not marked secret\. Wrap it with pulumi\.secret\(\) or read it with config\.requireSecret\(\)\.$/,
        );
    });

    it("refuses bad secret names and sources with both or neither of generate and value", async () => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new Vault("app", { resourceGroupName: "rg", secrets: { "db_password": { generate: {} } } })).toThrow(
                new ProblemsError('Vault "app"', ['secrets["db_password"]: the secret name must be 1-127 letters, digits or hyphens; got "db_password".']),
            );
            const long = "k".repeat(128);
            expect(() => new Vault("app", { resourceGroupName: "rg", secrets: { [long]: { generate: {} } } })).toThrow(
                new ProblemsError('Vault "app"', [`secrets["${long}"]: the secret name must be 1-127 letters, digits or hyphens; got "${long}".`]),
            );
            const both = { generate: {}, value: pulumi.secret("x") } as unknown as { generate: object };
            expect(() => new Vault("app", { resourceGroupName: "rg", secrets: { x: both } })).toThrow(
                new ProblemsError('Vault "app"', ['secrets["x"] must set exactly one of generate or value; got both.']),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("lets another component store its own secret in the vault, e.g. a VM admin password", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const vault = new Vault("app", { resourceGroupName: "rg" });
            const owner = new pulumi.ComponentResource("keyless:test:Owner", "vm");
            const stored = vault.storeSecret("vm-admin-password", pulumi.secret(generatedCredential()), { parent: owner, contentType: "password" });
            expect(() => vault.storeSecret("vm-admin-password", pulumi.secret("again"))).toThrow(
                new ProblemsError('Vault "app"', ['secrets["vm-admin-password"] is declared twice; each secret name is used once in a vault.']),
            );
            expect(() => vault.referenceFor("unknown")).toThrow(
                new ProblemsError('Vault "app"', ['secrets has no "unknown"; declared: vm-admin-password. For a secret created outside the program, use referenceForExternal.']),
            );
            return { stored, reference: vault.referenceFor("vm-admin-password"), ownerUrn: owner.urn };
        });
        expect(outputs.stored).toBeInstanceOf(VaultSecret);
        const component = one(resources, "keyless:keyvault:VaultSecret");
        expect(component.name).toBe("app-vm-admin-password");
        expect(component.parentUrn).toBe(await valueOf(outputs.ownerUrn));
        const secret = one(resources, "azure-native:keyvault:Secret");
        expect(secret.secretPaths).toContain("properties");
        expect((secret.inputs.properties as { contentType: string }).contentType).toBe("password");
        expect(await valueOf(outputs.reference)).toMatch(/^@Microsoft\.KeyVault\(SecretUri=https:\/\/kv-app-[a-z0-9]{5}\.vault\.azure\.net\/secrets\/vm-admin-password\)$/);
    });

    it("builds a reference to a secret managed outside the program", async () => {
        const { outputs } = await runUnderMocks(() => {
            const vault = new Vault("app", { resourceGroupName: "rg" });
            expect(() => vault.referenceForExternal("bad name")).toThrow(
                new ProblemsError('Vault "app"', ['secretName must be 1-127 letters, digits or hyphens; got "bad name".']),
            );
            return { reference: vault.referenceForExternal("partner-key"), vaultName: vault.vaultName };
        });
        const vaultName = await valueOf(outputs.vaultName);
        expect(await valueOf(outputs.reference)).toBe(`@Microsoft.KeyVault(SecretUri=https://${vaultName}.vault.azure.net/secrets/partner-key)`);
    });

    it("declares a lock on the vault and protects it when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("app", { resourceGroupName: "rg", lock: { kind: "CanNotDelete" }, protect: true });
        });
        const vault = one(resources, "azure-native:keyvault:Vault");
        expect(vault.protect).toBe(true);
        const lock = one(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs.scope).toBe(vault.id);
        expect(lock.inputs.level).toBe("CanNotDelete");
        expect(lock.parentUrn).toBe(one(resources, "keyless:keyvault:Vault").urn);
    });

    it("sends AuditEvent logs to Log Analytics when diagnostics are asked for", async () => {
        const { resources } = await runUnderMocks(() => {
            new Vault("app", { resourceGroupName: "rg", diagnostics: { workspaceId } });
        });
        const vault = one(resources, "azure-native:keyvault:Vault");
        const setting = one(resources, "azure-native:monitor:DiagnosticSetting");
        expect(setting.inputs.resourceUri).toBe(vault.id);
        expect(setting.inputs.workspaceId).toBe(workspaceId);
        expect(setting.inputs.logs).toEqual([{ category: "AuditEvent", enabled: true }]);
    });
});
