import { accessEdges } from "./edges";
import {
    armId,
    cluster,
    containerGroup,
    containerId,
    grant,
    identity,
    privateEndpoint,
    queueId,
    roles,
    secretId,
    site,
    storage,
    storageId,
    subnetId,
    urn,
    vault,
    vaultId,
    vm,
    vnet,
    workflow,
    workflowId,
} from "./fixtures";
import { AccessEdge, NetworkResource } from "./types";

const net = () => vnet("vnet", [{ name: "apps", endpoints: ["Microsoft.KeyVault", "Microsoft.Storage"] }, { name: "bare" }]);
const apps = subnetId("vnet", "apps");
const bare = subnetId("vnet", "bare");

function only(resources: NetworkResource[], kind?: AccessEdge["kind"]): AccessEdge {
    const edges = accessEdges(resources).filter((edge) => !kind || edge.kind === kind);
    expect(edges).toHaveLength(1);
    return edges[0];
}

/** A VM in `subnet` granted Key Vault Secrets User on a secret of `vaultResource`. */
function vmToVault(subnet: string, vaultResource: NetworkResource, extra: NetworkResource[] = []): AccessEdge {
    return only([net(), identity("app"), ...vm("app", subnet, "app"), vaultResource, grant("g", "p-app", secretId("kv", "s")), ...extra]);
}

describe("reachability: service endpoints and virtual network rules", () => {
    it("admits a VM whose subnet is in the vault's rules and has the Microsoft.KeyVault endpoint", () => {
        const edge = vmToVault(apps, vault("kv", { defaultAction: "Deny", subnets: [apps] }));
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "service-endpoint" });
        expect(edge).toMatchObject({ source: { name: "app" }, target: { name: "kv", service: "vault" } });
    });

    it("refuses a rule on a subnet without the service endpoint, naming the endpoint to add", () => {
        const edge = vmToVault(bare, vault("kv", { defaultAction: "Deny", subnets: [bare] }));
        expect(edge.verdict).toMatchObject({ status: "unreachable" });
        expect(edge.verdict.status === "unreachable" && edge.verdict.reason).toContain("lacks the Microsoft.KeyVault service endpoint");
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("add the Microsoft.KeyVault service endpoint to subnet vnet/bare");
    });

    it("reads subnets declared as separate Subnet resources", () => {
        const separate: NetworkResource[] = [
            { type: "azure-native:network:VirtualNetwork", name: "vnet", urn: urn("azure-native:network:VirtualNetwork", "vnet"), props: { virtualNetworkName: "vnet" } },
            { type: "azure-native:network:Subnet", name: "apps", urn: urn("azure-native:network:Subnet", "apps"), props: { subnetName: "apps", virtualNetworkName: "vnet", serviceEndpoints: [{ service: "Microsoft.Storage" }] } },
        ];
        const edge = only([...separate, identity("app"), ...vm("app", apps, "app"), storage("st", { defaultAction: "Deny", subnets: [apps] }), grant("g", "p-app", containerId("st", "c"), roles.blobReader)]);
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "service-endpoint" });
        expect(edge.target?.service).toBe("blob");
    });

    it("refuses a subnet the firewall does not list, offering a rule or a private endpoint", () => {
        const edge = vmToVault(bare, vault("kv", { defaultAction: "Deny", subnets: [apps] }));
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("add a virtual network rule for subnet vnet/bare");
    });
});

describe("reachability: private endpoints", () => {
    const closed = () => vault("kv", { publicNetworkAccess: "Disabled" });

    it("admits a caller in the endpoint's VNet when the privatelink zone is linked to it", () => {
        const edge = vmToVault(bare, closed(), privateEndpoint("pe-kv", apps, vaultId("kv"), "vault", { name: "privatelink.vaultcore.azure.net", linkedVnet: "vnet" }));
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "private-endpoint" });
    });

    it("refuses when the zone is not linked to the VNet: the name resolves to the closed public endpoint", () => {
        const edge = vmToVault(bare, closed(), privateEndpoint("pe-kv", apps, vaultId("kv"), "vault", { name: "privatelink.vaultcore.azure.net" }));
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.reason).toContain("no DNS zone group with privatelink.vaultcore.azure.net linked");
    });

    it("refuses an endpoint with the wrong group ID for the service called", () => {
        const edge = only([
            net(),
            identity("app"),
            ...vm("app", apps, "app"),
            storage("st", { publicNetworkAccess: "Disabled" }),
            grant("g", "p-app", queueId("st", "q"), roles.queueProcessor),
            ...privateEndpoint("pe-st", apps, storageId("st"), "blob", { name: "privatelink.blob.core.windows.net", linkedVnet: "vnet" }),
        ]);
        expect(edge.target?.service).toBe("queue");
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("group queue");
    });

    it("refuses a caller in another VNet", () => {
        const other = vnet("other", [{ name: "pe" }]);
        const edge = vmToVault(bare, closed(), [other, ...privateEndpoint("pe-kv", subnetId("other", "pe"), vaultId("kv"), "vault", { name: "privatelink.vaultcore.azure.net", linkedVnet: "other" })]);
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.reason).toContain("is in VNet other, not vnet");
    });

    it("Key Vault references of a Linux app reach a private endpoint only with route-all", () => {
        const stack = (routeAll: boolean) => [
            net(),
            identity("web"),
            site("web", { subnet: apps, identity: "web", routeAll, settings: { KEY: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/s)" } }),
            closed(),
            ...privateEndpoint("pe-kv", apps, vaultId("kv"), "vault", { name: "privatelink.vaultcore.azure.net", linkedVnet: "vnet" }),
        ];
        const off = only(stack(false), "keyvault-reference");
        expect(off.verdict.status).toBe("unreachable");
        expect(off.verdict.status === "unreachable" && off.verdict.fix).toContain("vnetRouteAllEnabled");
        expect(off.identity).toBe("web");
        expect(only(stack(true), "keyvault-reference").verdict).toMatchObject({ status: "reachable", via: "private-endpoint" });
    });
});

describe("reachability: trusted services and resource instance rules", () => {
    const logicToStorage = (firewall: Parameters<typeof storage>[1]) =>
        only([workflow("flow"), storage("st", firewall), grant("g", "p-flow", containerId("st", "reports"), roles.blobReader)]);

    it("storage trusts a Logic App's managed identity when the bypass allows trusted services", () => {
        expect(logicToStorage({ defaultAction: "Deny", bypass: "AzureServices" }).verdict).toMatchObject({ status: "reachable", via: "trusted-service" });
    });

    it("a resource instance rule admits the workflow without the bypass, even with public access disabled", () => {
        const edge = logicToStorage({ publicNetworkAccess: "Disabled", defaultAction: "Deny", resourceRules: [workflowId("flow")] });
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "trusted-service" });
        expect(edge.verdict.reason).toContain("resource instance rule");
    });

    it("Key Vault does not trust Logic Apps, whatever the bypass", () => {
        const edge = only([workflow("flow"), vault("kv", { defaultAction: "Deny", bypass: "AzureServices" }), grant("g", "p-flow", secretId("kv", "s"))]);
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.reason).toContain("Logic Apps' multi-tenant service");
    });

    it("a registry trusts Container Instances' image pull only with the AzureServices bypass", () => {
        const registry = (bypass: string): NetworkResource => ({
            type: "azure-native:containerregistry:Registry",
            name: "cr",
            urn: urn("azure-native:containerregistry:Registry", "cr"),
            props: { registryName: "cr", networkRuleBypassOptions: bypass, networkRuleSet: { defaultAction: "Deny", ipRules: [] } },
        });
        const stack = (bypass: string) => [identity("job"), containerGroup("job", "job"), registry(bypass), grant("g", "p-job", armId("Microsoft.ContainerRegistry/registries", "cr"), roles.acrPull)];
        expect(only(stack("AzureServices")).verdict).toMatchObject({ status: "reachable", via: "trusted-service" });
        expect(only(stack("None")).verdict.status).toBe("unreachable");
    });
});

describe("reachability: public endpoints and IP rules", () => {
    it("a target without a firewall is reachable publicly", () => {
        expect(vmToVault(bare, vault("kv")).verdict).toMatchObject({ status: "reachable", via: "public" });
    });

    it("an app without VNet integration passes an IP rule covering all its outbound addresses, and fails one that misses some", () => {
        const stack = (ips: string[]) => [identity("web"), site("web", { identity: "web", outboundIps: "198.51.100.7,198.51.100.9" }), vault("kv", { defaultAction: "Deny", ips }), grant("g", "p-web", secretId("kv", "s"))];
        expect(only(stack(["198.51.100.0/24"]), "role-assignment").verdict).toMatchObject({ status: "reachable", via: "firewall-ip" });
        expect(only(stack(["198.51.100.7"]), "role-assignment").verdict.status).toBe("unreachable");
    });
});

describe("reachability: SQL, Service Bus", () => {
    const server = (publicNetworkAccess: string): NetworkResource => ({ type: "azure-native:sql:Server", name: "sql", urn: urn("azure-native:sql:Server", "sql"), props: { serverName: "sql-x", publicNetworkAccess } });
    const rule = (type: string, name: string, props: Record<string, unknown>): NetworkResource => ({ type, name, urn: urn(type, name), props });
    const sqlNet = () => vnet("vnet", [{ name: "apps", endpoints: ["Microsoft.Sql"] }, { name: "bare" }]);

    function dbEdge(resources: NetworkResource[]): AccessEdge {
        const edges = accessEdges(resources, [{ workload: "web", identity: "web", server: "sql", database: "db" }]).filter((edge) => edge.kind === "database-grant");
        expect(edges).toHaveLength(1);
        return edges[0];
    }

    it("a database grant to a server with public access disabled and no private endpoint is unreachable", () => {
        const edge = dbEdge([sqlNet(), identity("web"), site("web", { subnet: apps, identity: "web" }), server("Disabled")]);
        expect(edge.verdict.status).toBe("unreachable");
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("privatelink.database.windows.net");
    });

    it("a SQL virtual network rule admits a subnet with the Microsoft.Sql endpoint; no rule at all admits nobody", () => {
        const base = [sqlNet(), identity("web"), site("web", { subnet: apps, identity: "web" }), server("Enabled")];
        expect(dbEdge([...base, rule("azure-native:sql:VirtualNetworkRule", "vr", { serverName: "sql-x", virtualNetworkSubnetId: apps })]).verdict).toMatchObject({
            status: "reachable",
            via: "service-endpoint",
        });
        expect(dbEdge(base).verdict.status).toBe("unreachable");
    });

    it("SQL's 0.0.0.0 firewall rule lets callers inside Azure through", () => {
        const edge = dbEdge([sqlNet(), identity("web"), site("web", { subnet: bare, identity: "web" }), server("Enabled"), rule("azure-native:sql:FirewallRule", "azure", { serverName: "sql-x", startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" })]);
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "trusted-service" });
    });

    it("a Service Bus rule set admits a listed subnet with the endpoint and refuses the others", () => {
        const sbNet = vnet("vnet", [{ name: "apps", endpoints: ["Microsoft.ServiceBus"] }, { name: "bare" }]);
        const namespace: NetworkResource = { type: "azure-native:servicebus:Namespace", name: "bus", urn: urn("azure-native:servicebus:Namespace", "bus"), props: { namespaceName: "sb-x" } };
        const ruleSet = rule("azure-native:servicebus:NamespaceNetworkRuleSet", "bus-rules", { namespaceName: "sb-x", defaultAction: "Deny", virtualNetworkRules: [{ subnet: { id: apps } }] });
        const stack = (subnet: string) => [sbNet, identity("job"), containerGroup("job", "job", subnet), namespace, ruleSet, grant("g", "p-job", armId("Microsoft.ServiceBus/namespaces", "sb-x", "queues", "q"), roles.sbSender)];
        expect(only(stack(apps)).verdict).toMatchObject({ status: "reachable", via: "service-endpoint" });
        expect(only(stack(bare)).verdict.status).toBe("unreachable");
    });
});

describe("reachability: the four unreachable cases of the reference environment, as small stacks", () => {
    const firewalled = (name: string) => storage(name, { defaultAction: "Deny", bypass: "None", subnets: [apps] });

    it("a Function app without VNet integration cannot open its host storage or its queue", () => {
        const fn = site("fn", { identity: "fn", settings: { AzureWebJobsStorage__accountName: "host", ORDERS__queueServiceUri: "https://data.queue.core.windows.net/" } });
        const edges = accessEdges([net(), identity("fn"), fn, firewalled("host"), firewalled("data"), grant("q", "p-fn", queueId("data", "orders"), roles.queueProcessor)]);
        expect(edges.map((edge) => `${edge.kind} ${edge.target?.name}/${edge.target?.service} ${edge.verdict.status}`).sort()).toEqual([
            "identity-connection data/queue unreachable",
            "identity-connection host/blob unreachable",
            "identity-connection host/queue unreachable",
            "identity-connection host/table unreachable",
            "role-assignment data/queue unreachable",
        ]);
        expect(edges.every((edge) => edge.verdict.status === "unreachable" && edge.verdict.fix.includes("virtualNetworkSubnetId"))).toBe(true);
    });

    it("a SQL server with public access disabled and no private endpoint", () => {
        const edges = accessEdges([net(), identity("web"), site("web", { subnet: apps, identity: "web" }), { type: "azure-native:sql:Server", name: "sql", urn: urn("azure-native:sql:Server", "sql"), props: { serverName: "sql", publicNetworkAccess: "Disabled" } }], [
            { workload: "web", identity: "web", server: "sql", database: "db" },
        ]);
        expect(edges[0].verdict.status === "unreachable" && edges[0].verdict.reason).toContain("publicNetworkAccess Disabled");
    });

    it("AKS nodes in the AKS-managed VNet cannot reach a vault that admits only stack subnets; in a stack subnet they can", () => {
        const stack = (subnet?: string) => [net(), identity("kubelet"), identity("api"), cluster("aks", "kubelet", subnet), vault("kv", { defaultAction: "Deny", subnets: [apps] }), federated("api", "aks"), grant("g", "p-api", secretId("kv", "s"))];
        const managed = only(stack());
        expect(managed.source?.name).toBe("aks");
        expect(managed.verdict.status === "unreachable" && managed.verdict.reason).toContain("AKS-managed VNet");
        expect(only(stack(apps)).verdict).toMatchObject({ status: "reachable", via: "service-endpoint" });
    });

    it("a Consumption Logic App gets nothing through bypass None", () => {
        const edge = only([workflow("flow"), firewalled("data"), grant("g", "p-flow", containerId("data", "reports"), roles.blobReader)]);
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("bypass AzureServices or a resource instance rule");
    });
});

function federated(identityName: string, clusterName: string): NetworkResource {
    return {
        type: "azure-native:managedidentity:FederatedIdentityCredential",
        name: `${identityName}-fic`,
        urn: urn("azure-native:managedidentity:FederatedIdentityCredential", `${identityName}-fic`),
        props: { resourceName: `id-${identityName}`, issuer: `https://westeurope.oic.prod-aks.azure.com/t/${clusterName}/`, subject: "system:serviceaccount:ns:sa" },
    };
}

describe("reachability: values unknown at preview, followed through property dependencies", () => {
    const UNKNOWN = Symbol.for("keyless.policy.unknown");

    it("finds the scope, the principal and the subnet from the engine's dependencies when their IDs are unknown", () => {
        const secret: NetworkResource = { type: "azure-native:keyvault:Secret", name: "s", urn: urn("azure-native:keyvault:Secret", "s"), props: { vaultName: UNKNOWN, secretName: "s" }, propertyDependencies: { vaultName: [urn("azure-native:keyvault:Vault", "kv")] } };
        const id = { ...identity("app"), props: { resourceName: "id-app", principalId: UNKNOWN } };
        const network = vnet("vnet", [{ name: "apps", endpoints: ["Microsoft.KeyVault"] }]);
        const machine = vm("app", apps, "app");
        machine[0] = { ...machine[0], props: { networkInterfaceName: "nic-app", ipConfigurations: [{ name: "ip", subnet: { id: UNKNOWN } }] }, propertyDependencies: { ipConfigurations: [network.urn!] } };
        machine[1] = { ...machine[1], props: { ...machine[1].props, identity: { type: "UserAssigned", userAssignedIdentities: UNKNOWN } }, propertyDependencies: { identity: [id.urn!] } };
        const kv = vault("kv", { defaultAction: "Deny", subnets: [apps] });
        const assignment = grant("g", "x", "x", roles.secretsUser, { propertyDependencies: { scope: [secret.urn!], principalId: [id.urn!] } });
        assignment.props.scope = UNKNOWN;
        assignment.props.principalId = UNKNOWN;
        const edge = only([network, id, ...machine, kv, secret, assignment]);
        expect(edge).toMatchObject({ identity: "app", source: { name: "app" }, target: { name: "kv" } });
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "service-endpoint" });
    });

    it("answers unknown, not unreachable, when an unknown subnet could be one that passes or one that fails", () => {
        const network = vnet("vnet", [{ name: "apps", endpoints: ["Microsoft.KeyVault"] }, { name: "bare" }]);
        const machine = vm("app", apps, "app");
        machine[0] = { ...machine[0], props: { networkInterfaceName: "nic-app", ipConfigurations: [{ name: "ip", subnet: { id: UNKNOWN } }] }, propertyDependencies: { ipConfigurations: [network.urn!] } };
        const edge = only([network, identity("app"), ...machine, vault("kv", { defaultAction: "Deny", subnets: [apps] }), grant("g", "p-app", secretId("kv", "s"))]);
        expect(edge.verdict.status).toBe("unknown");
    });

    it("a CI job signing in through a GitHub federated credential calls from outside Azure", () => {
        const credential: NetworkResource = { ...federated("deploy", "none"), props: { resourceName: "id-deploy", issuer: "https://token.actions.githubusercontent.com", subject: "repo:o/r:environment:prod" } };
        const edge = only([identity("deploy"), credential, vault("kv", { defaultAction: "Deny" }), grant("g", "p-deploy", vaultId("kv"))]);
        expect(edge.source?.name).toBe("GitHub Actions repo:o/r:environment:prod");
        expect(edge.verdict.status === "unreachable" && edge.verdict.fix).toContain("runner inside the VNet");
    });

    it("a grant on something that is not a network-guarded data service is a control-plane edge", () => {
        const edge = only([identity("app"), grant("g", "p-app", armId("Microsoft.ManagedIdentity/userAssignedIdentities", "id-x"), "f1a07417-d97a-45cb-824c-7a7467783830")]);
        expect(edge.verdict).toMatchObject({ status: "reachable", via: "control-plane" });
    });
});
