import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, valueOf } from "../testing";
import { ofType, one } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { KeylessStorage, KeylessStorageArgs } from "./KeylessStorage";

const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps";
const workspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-main";

describe("KeylessStorage", () => {
    it("declares a StorageV2 account reachable only with Entra ID tokens and closed to public networks", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const data = new KeylessStorage("data", { resourceGroupName: "rg" });
            return {
                id: data.id,
                accountName: data.accountName,
                blob: data.blobEndpoint,
                queue: data.queueEndpoint,
                table: data.tableEndpoint,
                target: data.asTarget(),
            };
        });
        const component = one(resources, "keyless:storage:KeylessStorage");
        const account = one(resources, "azure-native:storage:StorageAccount");
        expect(account.parentUrn).toBe(component.urn);
        expect(one(resources, "random:index/randomString:RandomString").inputs).toMatchObject({ length: 5, upper: false, special: false });
        expect(account.inputs).toMatchObject({
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            isLocalUserEnabled: false,
            allowBlobPublicAccess: false,
            allowCrossTenantReplication: false,
            minimumTlsVersion: "TLS1_2",
            enableHttpsTrafficOnly: true,
            publicNetworkAccess: "Disabled",
        });
        expect(account.inputs.networkRuleSet).toEqual({ defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] });
        expect(account.protect).toBe(false);
        expect(ofType(resources, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
        expect(ofType(resources, "azure-native:monitor:DiagnosticSetting")).toHaveLength(0);

        const accountName = await valueOf(outputs.accountName);
        expect(accountName).toMatch(/^stdata[a-z0-9]{5}$/);
        expect(account.inputs.accountName).toBe(accountName);
        expect(await valueOf(outputs.id)).toBe(account.id);
        expect(await valueOf(outputs.blob)).toBe(`https://${accountName}.blob.core.windows.net/`);
        expect(await valueOf(outputs.queue)).toBe(`https://${accountName}.queue.core.windows.net/`);
        expect(await valueOf(outputs.table)).toBe(`https://${accountName}.table.core.windows.net/`);
        expect(outputs.target).toMatchObject({ kind: "storageAccount", name: "data" });
        expect(await valueOf(pulumi.output(outputs.target.id))).toBe(account.id);
    });

    it("keeps long names within 24 lowercase letters and digits", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("Inventory-Tracking-Service", { resourceGroupName: "rg", sku: "Standard_ZRS" });
        });
        const account = one(resources, "azure-native:storage:StorageAccount");
        expect(account.inputs.accountName).toMatch(/^stinventorytracking[a-z0-9]{5}$/);
        expect(String(account.inputs.accountName).length).toBeLessThanOrEqual(24);
        expect(account.inputs.sku).toEqual({ name: "Standard_ZRS" });
    });

    it("creates private containers, queues and tables and exposes each as a narrow grant target", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const data = new KeylessStorage("data", { resourceGroupName: "rg", containers: ["stock", "reports"], queues: ["orders"], tables: ["Inventory"] });
            const container = data.containerTarget("stock");
            const queue = data.queueTarget("orders");
            const table = data.tableTarget("Inventory");
            return { container, queue, table, accountName: data.accountName };
        });
        const component = one(resources, "keyless:storage:KeylessStorage");
        const accountName = await valueOf(outputs.accountName);
        const containers = ofType(resources, "azure-native:storage:BlobContainer");
        expect(containers.map((c) => c.inputs.containerName)).toEqual(["stock", "reports"]);
        for (const container of containers) {
            expect(container.inputs.publicAccess).toBe("None");
            expect(container.inputs.accountName).toBe(accountName);
            expect(container.parentUrn).toBe(component.urn);
        }
        const queue = one(resources, "azure-native:storage:Queue");
        expect(queue.inputs).toMatchObject({ queueName: "orders", accountName, resourceGroupName: "rg" });
        const table = one(resources, "azure-native:storage:Table");
        expect(table.inputs).toMatchObject({ tableName: "Inventory", accountName, resourceGroupName: "rg" });

        expect(outputs.container).toMatchObject({ kind: "container", name: "data/stock" });
        expect(await valueOf(pulumi.output(outputs.container.id))).toBe(containers[0].id);
        expect(String(containers[0].id)).toMatch(new RegExp(`/storageAccounts/${accountName}/blobServices/default/containers/stock$`));
        expect(outputs.queue).toMatchObject({ kind: "queue", name: "data/orders" });
        expect(await valueOf(pulumi.output(outputs.queue.id))).toBe(queue.id);
        expect(outputs.table).toMatchObject({ kind: "table", name: "data/Inventory" });
        expect(await valueOf(pulumi.output(outputs.table.id))).toBe(table.id);
    });

    it("refuses a grant target on a container, queue or table the account does not declare", async () => {
        await runUnderMocks(() => {
            const data = new KeylessStorage("data", { resourceGroupName: "rg", containers: ["stock"] });
            expect(() => data.containerTarget("stocks")).toThrow(
                new ProblemsError('KeylessStorage "data"', ['containers has no "stocks"; declared: stock. Add it to containers to grant on it.']),
            );
            expect(() => data.queueTarget("orders")).toThrow(new ProblemsError('KeylessStorage "data"', ['queues has no "orders"; declared: none. Add it to queues to grant on it.']));
            expect(() => data.tableTarget("toString")).toThrow(new ProblemsError('KeylessStorage "data"', ['tables has no "toString"; declared: none. Add it to tables to grant on it.']));
        });
    });

    it("refuses bad container, queue and table names before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new KeylessStorage("data", { resourceGroupName: "rg", containers: ["Stock_Items"] })).toThrow(
                new ProblemsError('KeylessStorage "data"', [
                    'containers[0]: container name "Stock_Items" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.',
                ]),
            );
            expect(() => new KeylessStorage("data", { resourceGroupName: "rg", queues: ["ok-queue", "q"] })).toThrow(
                new ProblemsError('KeylessStorage "data"', [
                    'queues[1]: queue name "q" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.',
                ]),
            );
            expect(() => new KeylessStorage("data", { resourceGroupName: "rg", tables: ["order-lines"] })).toThrow(
                new ProblemsError('KeylessStorage "data"', ['tables[0]: table name "order-lines" must be 3-63 letters and digits, starting with a letter.']),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("opens the public endpoint only to listed public addresses and subnets, refusing forms Storage rejects", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", network: { allowedIps: ["203.0.113.7", "198.51.100.0/24"], allowedSubnetIds: [subnetId] } });
            expect(() => new KeylessStorage("bad", { resourceGroupName: "rg", network: { allowedIps: ["203.0.113.7/32"] } })).toThrow(
                new ProblemsError('KeylessStorage "bad"', [
                    'network.allowedIps[0] "203.0.113.7/32": Azure Storage does not accept /31 or /32 ranges; write single addresses without a prefix (e.g. "203.0.113.7").',
                ]),
            );
            expect(() => new KeylessStorage("bad", { resourceGroupName: "rg", network: { allowedIps: ["not-an-ip"] } })).toThrow(
                new ProblemsError('KeylessStorage "bad"', ['network.allowedIps[0] must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "not-an-ip".']),
            );
        });
        const account = one(resources, "azure-native:storage:StorageAccount");
        expect(account.inputs.publicNetworkAccess).toBe("Enabled");
        expect(account.inputs.networkRuleSet).toEqual({
            defaultAction: "Deny",
            bypass: "None",
            ipRules: [
                { iPAddressOrRange: "203.0.113.7", action: "Allow" },
                { iPAddressOrRange: "198.51.100.0/24", action: "Allow" },
            ],
            virtualNetworkRules: [{ virtualNetworkResourceId: subnetId, action: "Allow" }],
        });
    });

    it("opens to all networks only on an explicit dev switch, which cannot be mixed with allowances", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("dev", { resourceGroupName: "rg", network: { allowAllNetworks: true } });
            expect(() => new KeylessStorage("bad", { resourceGroupName: "rg", network: { allowAllNetworks: true, allowedIps: ["203.0.113.7"] } })).toThrow(
                new ProblemsError('KeylessStorage "bad"', [
                    "network.allowAllNetworks opens the public endpoint to every network; it cannot be combined with allowedIps, " +
                        "allowedSubnetIds or publicNetworkAccess: false. Use one or the other.",
                ]),
            );
        });
        const account = one(resources, "azure-native:storage:StorageAccount");
        expect(account.inputs.publicNetworkAccess).toBe("Enabled");
        expect(account.inputs.networkRuleSet).toMatchObject({ defaultAction: "Allow", bypass: "None" });
        // Shared keys stay off whatever the network.
        expect(account.inputs.allowSharedKeyAccess).toBe(false);
    });

    it("refuses an unknown SKU", async () => {
        const { resources } = await runUnderMocks(() => {
            const args = { resourceGroupName: "rg", sku: "Premium_LRS" } as unknown as KeylessStorageArgs;
            expect(() => new KeylessStorage("data", args)).toThrow(
                new ProblemsError('KeylessStorage "data"', [
                    'sku must be one of Standard_LRS, Standard_ZRS, Standard_GRS, Standard_RAGRS, Standard_GZRS, Standard_RAGZRS; got "Premium_LRS".',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("reports two bad inputs in one error, before declaring anything", async () => {
        const { resources } = await runUnderMocks(() => {
            const args = { resourceGroupName: "rg", containers: ["stock", "stock"], network: { allowedIps: ["10.1.2.3"] } } as KeylessStorageArgs;
            expect(() => new KeylessStorage("appdata", args)).toThrow(
                new ProblemsError('KeylessStorage "appdata"', [
                    'containers[1]: container "stock" is listed twice.',
                    'network.allowedIps[0] "10.1.2.3" is a private (RFC 1918) address, which never reaches a public endpoint; allow its subnet through allowedSubnetIds instead.',
                ]),
            );
        });
        expect(resources).toHaveLength(0);
    });

    it("declares a lock and protects the account when asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", lock: { kind: "CanNotDelete", notes: "Holds stock history." }, protect: true });
        });
        const account = one(resources, "azure-native:storage:StorageAccount");
        expect(account.protect).toBe(true);
        const lock = one(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs).toMatchObject({ scope: account.id, level: "CanNotDelete", notes: "Holds stock history." });
    });

    it("sends blob read, write and delete logs when diagnostics are asked for, and queue/table logs when those exist", async () => {
        const { resources } = await runUnderMocks(() => {
            new KeylessStorage("data", { resourceGroupName: "rg", containers: ["stock"], diagnostics: { workspaceId } });
            new KeylessStorage("jobs", { resourceGroupName: "rg", queues: ["orders"], tables: ["Audit"], diagnostics: { workspaceId, categories: ["StorageWrite"] } });
        });
        const [dataAccount, jobsAccount] = ofType(resources, "azure-native:storage:StorageAccount");
        const settings = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        const byUri = Object.fromEntries(settings.map((setting) => [String(setting.inputs.resourceUri), setting]));
        expect(Object.keys(byUri).sort()).toEqual(
            [
                `${dataAccount.id}/blobServices/default`,
                `${jobsAccount.id}/blobServices/default`,
                `${jobsAccount.id}/queueServices/default`,
                `${jobsAccount.id}/tableServices/default`,
            ].sort(),
        );
        expect(byUri[`${dataAccount.id}/blobServices/default`].inputs.logs).toEqual([
            { category: "StorageRead", enabled: true },
            { category: "StorageWrite", enabled: true },
            { category: "StorageDelete", enabled: true },
        ]);
        expect(byUri[`${dataAccount.id}/blobServices/default`].inputs.workspaceId).toBe(workspaceId);
        expect(byUri[`${jobsAccount.id}/queueServices/default`].inputs.logs).toEqual([{ category: "StorageWrite", enabled: true }]);
    });
});
