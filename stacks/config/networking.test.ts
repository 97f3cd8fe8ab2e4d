import { ConfigError, parseStackConfig } from ".";
import { runUnderMocks } from "../../infra/testing";
import { configProblems, Raw, stackRaw } from "./testing";
import { deployEnvironment } from "../environment";

/** The network checks of the stack config: every message names the key, the value and what is expected. */

const workload = (raw: Raw, name: string) => (raw.workloads as Raw[]).find((item) => item.name === name)!;
const zone = (name: string) => `/subscriptions/0000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${name}`;

const problems = configProblems;

describe("private endpoints in stack config", () => {
    it("refuses an endpoint on a subnet outside the stack's network, and declares nothing", async () => {
        const outside = "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/endpoints";
        const edit = (raw: Raw) => (raw.vaults["app-secrets"].privateEndpoints = [{ subnet: outside }]);
        expect(problems("prod", edit)).toEqual([
            `keyless.vaults.app-secrets.privateEndpoints[0].subnet: "${outside}" is outside the stack's virtual network; ` +
                "expected one of its subnets (workloads, apps, containers, functions, aks, endpoints, runners): its workloads resolve and reach only endpoints in their own network",
        ]);
        const { resources } = await runUnderMocks(() => {
            const raw = stackRaw("prod");
            edit(raw);
            expect(() => deployEnvironment(parseStackConfig(raw, { project: "keyless" }))).toThrow(ConfigError);
        });
        expect(resources).toEqual([]);
    });

    it("refuses an endpoint on a delegated or unknown subnet", () => {
        expect(problems("dev", (raw) => (raw.storage.appdata.privateEndpoints = [{ subnet: "apps", service: "blob" }, { subnet: "edge", service: "queue" }]))).toEqual([
            'keyless.storage.appdata.privateEndpoints[0].subnet: subnet "apps" is delegated to Microsoft.Web/serverFarms, which takes no private endpoints; expected a subnet without a delegation',
            'keyless.storage.appdata.privateEndpoints[1].subnet: unknown subnet "edge"; expected one of the stack\'s subnets (workloads, apps, containers, functions, aks, endpoints, runners)',
        ]);
    });

    it("refuses a DNS zone that does not match the service, and a sub-service the target does not offer", () => {
        expect(
            problems("dev", (raw) => {
                raw.storage.appdata.privateEndpoints = [{ subnet: "endpoints", service: "queue", privateDnsZone: zone("privatelink.blob.core.windows.net") }];
                raw.vaults["app-secrets"].privateEndpoints = [{ subnet: "endpoints", service: "secrets" }];
            }),
        ).toEqual([
            'keyless.vaults.app-secrets.privateEndpoints[0].service "secrets" is not a private link sub-resource of this service; expected vault.',
            'keyless.storage.appdata.privateEndpoints[0].privateDnsZone names zone "privatelink.blob.core.windows.net", but a queue endpoint registers in "privatelink.queue.core.windows.net"; clients would resolve the public address.',
        ]);
    });

    it("refuses an endpoint on a dev registry below Premium", () => {
        expect(problems("dev", (raw) => (raw.registries.images.privateEndpoints = [{ subnet: "endpoints" }]))).toEqual([
            'keyless.registries.images.privateEndpoints need sku "Premium": Azure offers private endpoints for registries on Premium only; got sku "Standard".',
        ]);
    });

    it("needs an endpoint subnet without a delegation where endpoints are declared", () => {
        expect(problems("prod", (raw) => delete raw.network.endpointSubnet)).toEqual([
            "keyless.network.endpointSubnet: missing; hardening.privateNetwork reaches every data service through a private endpoint, so name the subnet they go in " +
                "(one of workloads, apps, containers, functions, aks, endpoints, runners, without a delegation)",
        ]);
        expect(problems("dev", (raw) => delete raw.network.endpointSubnet)).toEqual([
            "keyless.network.endpointSubnet: missing; a SQL server has no public endpoint and is reached through a private endpoint, so name the subnet they go in " +
                "(one of workloads, apps, containers, functions, aks, endpoints, runners, without a delegation)",
        ]);
        expect(problems("dev", (raw) => (raw.network.endpointSubnet = "containers"))).toEqual([
            'keyless.network.endpointSubnet: subnet "containers" is delegated to Microsoft.ContainerInstance/containerGroups, which takes no private endpoints; expected a subnet without a delegation',
        ]);
    });

    it("plans an endpoint for every SQL server in dev, and for every sub-service a workload uses in prod", () => {
        const planned = (stack: string) =>
            parseStackConfig(stackRaw(stack), { project: "keyless" })
                .privateEndpoints.map((endpoint) => `${endpoint.section}/${endpoint.name}/${endpoint.service} in ${endpoint.subnet}`)
                .sort();
        expect(planned("dev")).toEqual(["sqlServers/inventory-sql/sqlServer in endpoints"]);
        expect(planned("prod")).toEqual([
            "registries/images/registry in endpoints",
            "serviceBus/orders-bus/namespace in endpoints",
            "sqlServers/inventory-sql/sqlServer in endpoints",
            "storage/appdata/blob in endpoints",
            "storage/appdata/queue in endpoints",
            "storage/appdata/table in endpoints",
            "storage/fnhost/blob in endpoints",
            "storage/fnhost/queue in endpoints",
            "storage/fnhost/table in endpoints",
            "vaults/app-secrets/vault in endpoints",
            "vaults/keys/vault in endpoints",
        ]);
    });

    it("adds the endpoints a service lists to the derived ones", () => {
        const config = parseStackConfig(
            (() => {
                const raw = stackRaw("dev");
                raw.storage.appdata.privateEndpoints = [{ subnet: "endpoints", service: "file", privateDnsZone: zone("privatelink.file.core.windows.net") }];
                return raw;
            })(),
            { project: "keyless" },
        );
        expect(config.privateEndpoints).toContainEqual({ section: "storage", name: "appdata", service: "file", subnet: "endpoints", privateDnsZone: zone("privatelink.file.core.windows.net") });
    });
});

describe("privateNetwork stacks", () => {
    it("refuses a multi-tenant source that no network rule can let in, naming the alternative", () => {
        expect(
            problems("prod", (raw) => workload(raw, "orders-logic").access.push({ role: "Key Vault Secrets User", vault: "app-secrets", secret: "stock-api-key" })),
        ).toEqual([
            'keyless.workloads[orders-logic].access: Key Vault Secrets User on vault "app-secrets" is unreachable from a Consumption Logic App, which joins no virtual network ' +
                "and which a vault admits neither as a trusted service nor by a resource instance rule; use a Logic App Standard or a Function app with VNet integration instead",
        ]);
    });

    it("refuses a Consumption Logic App a database grant, in every stack", () => {
        const edit = (raw: Raw) => workload(raw, "orders-logic").access.push({ sqlDatabase: "inventory-sql/inventory", roles: ["db_datareader"] });
        const message =
            "keyless.workloads[orders-logic].access[1]: inventory-sql/inventory is unreachable from a Consumption Logic App: the SQL server has no public endpoint and " +
            "the workflow joins no virtual network; use a Logic App Standard or a Function app with VNet integration instead";
        // The grant also lacks a user-assigned identity; both are reported.
        const identity =
            'keyless.workloads[orders-logic].access[1].identity: a database grant needs a user-assigned identity, whose name the T-SQL CREATE USER can refer to; workload "orders-logic" resolves to its system-assigned identity';
        expect(problems("prod", edit)).toEqual([identity, message]);
        expect(problems("dev", edit)).toEqual([identity, message]);
    });

    it("needs registries and Service Bus namespaces on a sku that takes private endpoints", () => {
        expect(
            problems("prod", (raw) => {
                raw.registries.images.sku = "Standard";
                raw.serviceBus["orders-bus"].sku = "Standard";
            }),
        ).toEqual([
            'keyless.registries.images.sku: "Standard" takes no private endpoint, and hardening.privateNetwork closes the public one; expected Premium',
            'keyless.serviceBus.orders-bus.sku: "Standard" takes no private endpoint, and hardening.privateNetwork closes the public one; expected Premium',
            'keyless.serviceBus.orders-bus.sku: "Standard" cannot take a customer-managed key (Service Bus encrypts with one on Premium only), and hardening.encryption.customerManagedKeys is on; ' +
                "expected Premium, or customerManagedKey: false on it",
        ]);
    });

    it("needs every web app, Function app, container group and cluster in a subnet of the right kind", () => {
        expect(
            problems("prod", (raw) => {
                delete workload(raw, "storefront").subnet;
                workload(raw, "order-processor").subnet = "workloads";
                delete workload(raw, "ingest").subnet;
                workload(raw, "inventory-aks").subnet = "apps";
            }),
        ).toEqual([
            "keyless.workloads[storefront].subnet: missing; its grants are usable only from the stack's network, so set subnet to one of the stack's subnets delegated to Microsoft.Web/serverFarms",
            'keyless.workloads[order-processor].subnet: subnet "workloads" is not delegated; expected a subnet delegated to Microsoft.Web/serverFarms',
            "keyless.workloads[ingest].subnet: missing; hardening.privateNetwork leaves only private endpoints to reach its targets, so set subnet to one of the stack's subnets delegated to Microsoft.ContainerInstance/containerGroups",
            'keyless.workloads[inventory-aks].subnet: subnet "apps" is delegated to Microsoft.Web/serverFarms; expected a subnet without a delegation',
        ]);
    });

    it("refuses operator ranges, which would admit nothing", () => {
        expect(problems("prod", (raw) => (raw.network.allowedIps = ["20.31.47.112/29"]))).toEqual([
            "keyless.network.allowedIps: hardening.privateNetwork closes every public endpoint, so these ranges would admit nothing; remove them (operators work through the network, see docs/deploy.md)",
        ]);
    });
});

describe("dev stacks: public endpoints behind firewalls", () => {
    it("requires the operators' range where the deploy needs a data plane, and says how to set it", () => {
        expect(problems("dev", (raw) => (raw.network.allowedIps = []))).toEqual([
            'keyless.network.allowedIps: missing; vault "app-secrets" holds secrets the deploy writes, and replacing or deleting them goes through its data plane, ' +
                "which without hardening.privateNetwork admits the stack's subnets and the operators' public egress ranges only; " +
                "expected at least one range (set it with `pulumi config set --path 'keyless:network.allowedIps[0]' <range>`, see docs/deploy.md)",
            "keyless.workloads[inventory-aks]: the API server admits only network.allowedIps outside a privateNetwork stack (where it is private), and none are listed; " +
                "expected the operators' public egress ranges in network.allowedIps, or hardening.privateNetwork: true",
        ]);
    });

    it("refuses documentation and benchmarking ranges", () => {
        expect(problems("dev", (raw) => (raw.network.allowedIps = ["203.0.113.0/24", "198.51.100.7", "20.31.47.112/29", "198.19.4.0/24"]))).toEqual([
            "keyless.network.allowedIps[0]: 203.0.113.0/24 lies in 203.0.113.0/24, a documentation or benchmarking range that no operator's traffic comes from; expected your operators' public egress range",
            "keyless.network.allowedIps[1]: 198.51.100.7 lies in 198.51.100.0/24, a documentation or benchmarking range that no operator's traffic comes from; expected your operators' public egress range",
            "keyless.network.allowedIps[3]: 198.19.4.0/24 lies in 198.18.0.0/15, a documentation or benchmarking range that no operator's traffic comes from; expected your operators' public egress range",
        ]);
    });

    it("needs the Function app in a subnet in every stack: its host storage admits only the network", () => {
        expect(problems("dev", (raw) => delete workload(raw, "order-processor").subnet)).toEqual([
            'keyless.workloads[order-processor].subnet: missing; its host reaches storage account "fnhost" only from the stack\'s network, so set subnet to one of the stack\'s subnets delegated to Microsoft.Web/serverFarms',
        ]);
    });
});
