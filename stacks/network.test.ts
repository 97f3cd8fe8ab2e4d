import * as path from "path";
import { builtInRoles } from "../infra/access/roles";
import { RecordedResource } from "../offline/mocks";
import { SharedRun, sharedStackRun } from "./testing/sharedRuns";

/** The reference stacks' network paths, as declared: private endpoints in prod, firewalls in dev, the subnets every workload runs in. */

const root = path.join(__dirname, "..");
type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ofType = (run: SharedRun, type: string): RecordedResource[] => run.resources.filter((resource) => resource.type === type);
const one = (run: SharedRun, type: string, name: string): RecordedResource => {
    const found = ofType(run, type).filter((resource) => resource.name === name);
    expect(found).toHaveLength(1);
    return found[0];
};
const inputs = (resource: RecordedResource) => resource.inputs as Inputs;

/** The data services and where each keeps its public network access flag. */
const dataServices: Record<string, (i: Inputs) => unknown> = {
    "azure-native:keyvault:Vault": (i) => i.properties.publicNetworkAccess,
    "azure-native:storage:StorageAccount": (i) => i.publicNetworkAccess,
    "azure-native:sql:Server": (i) => i.publicNetworkAccess,
    "azure-native:containerregistry:Registry": (i) => i.publicNetworkAccess,
    "azure-native:servicebus:Namespace": (i) => i.publicNetworkAccess,
    "azure-native:eventhub:Namespace": (i) => i.publicNetworkAccess,
};

const groupOf = (endpoint: RecordedResource) => inputs(endpoint).privateLinkServiceConnections[0].groupIds[0];
const zoneNames: Record<string, string> = {
    vault: "privatelink.vaultcore.azure.net",
    blob: "privatelink.blob.core.windows.net",
    queue: "privatelink.queue.core.windows.net",
    table: "privatelink.table.core.windows.net",
    sqlServer: "privatelink.database.windows.net",
    registry: "privatelink.azurecr.io",
    namespace: "privatelink.servicebus.windows.net",
};

describe.each(["dev", "prod"])("the %s stack's network", (stack) => {
    let run: SharedRun;
    let subnetId: (name: string) => string;
    beforeAll(async () => {
        run = await sharedStackRun(root, stack);
        const vnet = ofType(run, "azure-native:network:VirtualNetwork");
        expect(vnet).toHaveLength(1);
        subnetId = (name) => `${vnet[0].id}/subnets/${name}`;
    });

    it("registers every private endpoint, in the endpoint subnet, in the privatelink zone of its group, linked to the stack's network", () => {
        const endpoints = ofType(run, "azure-native:network:PrivateEndpoint");
        expect(endpoints.length).toBeGreaterThan(0);
        const zones = new Map(ofType(run, "azure-native:privatedns:PrivateZone").map((zone) => [zone.id, inputs(zone).privateZoneName as string]));
        const linked = new Set(ofType(run, "azure-native:privatedns:VirtualNetworkLink").filter((link) => inputs(link).virtualNetwork.id === subnetId("x").replace(/\/subnets\/x$/, "")).map((link) => inputs(link).privateZoneName));
        const groups = ofType(run, "azure-native:network:PrivateDnsZoneGroup");
        const declaredIds = new Set(run.resources.map((resource) => resource.id));
        for (const endpoint of endpoints) {
            expect(inputs(endpoint).subnet.id).toBe(subnetId("endpoints"));
            expect(declaredIds.has(inputs(endpoint).privateLinkServiceConnections[0].privateLinkServiceId)).toBe(true);
            const group = groups.filter((candidate) => inputs(candidate).privateEndpointName === inputs(endpoint).privateEndpointName);
            expect(group).toHaveLength(1);
            const zone = zones.get(inputs(group[0]).privateDnsZoneConfigs[0].privateDnsZoneId);
            expect({ endpoint: endpoint.name, zone }).toEqual({ endpoint: endpoint.name, zone: zoneNames[groupOf(endpoint)] });
            expect(linked.has(zone)).toBe(true);
        }
    });

    it("gives the SQL server, which has no public endpoint, a private endpoint", () => {
        const server = one(run, "azure-native:sql:Server", "inventory-sql");
        expect(inputs(server).publicNetworkAccess).toBe("Disabled");
        const endpoints = ofType(run, "azure-native:network:PrivateEndpoint").filter((endpoint) => inputs(endpoint).privateLinkServiceConnections[0].privateLinkServiceId === server.id);
        expect(endpoints.map(groupOf)).toEqual(["sqlServer"]);
    });

    it("integrates the Function app and the web app with their own subnets, routing all traffic through the network", () => {
        for (const [site, subnet] of [["order-processor", "functions"], ["storefront", "apps"]]) {
            const app = one(run, "azure-native:web:WebApp", site);
            expect(inputs(app).virtualNetworkSubnetId).toBe(subnetId(subnet));
            expect(inputs(app).siteConfig.vnetRouteAllEnabled).toBe(true);
        }
    });

    it("runs the AKS nodes in the stack's aks subnet, with Network Contributor for the control plane on that subnet only", () => {
        const cluster = one(run, "azure-native:containerservice:ManagedCluster", "inventory-aks");
        expect(inputs(cluster).agentPoolProfiles.map((pool: Inputs) => pool.vnetSubnetID)).toEqual([subnetId("aks")]);
        const controlPlane = one(run, "azure-native:managedidentity:UserAssignedIdentity", "inventory-aks-control-plane");
        const networkRoles = ofType(run, "azure-native:authorization:RoleAssignment").filter((assignment) =>
            String(inputs(assignment).roleDefinitionId).endsWith(builtInRoles["Network Contributor"].id),
        );
        expect(networkRoles.map((assignment) => ({ scope: inputs(assignment).scope, principalId: inputs(assignment).principalId }))).toEqual([
            { scope: subnetId("aks"), principalId: (controlPlane.state as Inputs).principalId },
        ]);
    });

    it("admits the Consumption Logic App to appdata by a resource instance rule naming its workflow", () => {
        const workflow = one(run, "azure-native:logic:Workflow", "orders-logic");
        const account = one(run, "azure-native:storage:StorageAccount", "appdata");
        expect(inputs(account).networkRuleSet.resourceAccessRules).toEqual([{ resourceId: workflow.id, tenantId: expect.any(String) }]);
        expect(inputs(account).networkRuleSet.bypass).toBe("None");
    });
});

describe("the prod stack (hardening.privateNetwork)", () => {
    let run: SharedRun;
    beforeAll(async () => {
        run = await sharedStackRun(root, "prod");
    });

    it("declares no public endpoint on any data service", () => {
        const services = run.resources.filter((resource) => dataServices[resource.type] !== undefined);
        expect(services.length).toBeGreaterThanOrEqual(6);
        for (const service of services) {
            expect({ service: service.name, access: dataServices[service.type](inputs(service)) }).toEqual({ service: service.name, access: "Disabled" });
        }
    });

    it("gives every sub-service a workload uses its own private endpoint", () => {
        const byId = new Map(run.resources.map((resource) => [resource.id, resource.name]));
        const endpoints = ofType(run, "azure-native:network:PrivateEndpoint")
            .map((endpoint) => `${byId.get(inputs(endpoint).privateLinkServiceConnections[0].privateLinkServiceId)}/${groupOf(endpoint)}`)
            .sort();
        expect(endpoints).toEqual([
            "app-secrets/vault",
            "appdata/blob",
            "appdata/queue",
            "appdata/table",
            "fnhost/blob",
            "fnhost/queue",
            "fnhost/table",
            "images/registry",
            "inventory-sql/sqlServer",
            "keys/vault",
            "orders-bus/namespace",
        ]);
    });

    it("makes the AKS API server private", () => {
        const cluster = one(run, "azure-native:containerservice:ManagedCluster", "inventory-aks");
        expect(inputs(cluster).apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
    });
});

describe("the dev stack (public endpoints behind firewalls)", () => {
    let run: SharedRun;
    beforeAll(async () => {
        run = await sharedStackRun(root, "dev");
    });

    it("admits the stack's subnets and the operators' range to the vault and storage, and nothing else", () => {
        const vnet = ofType(run, "azure-native:network:VirtualNetwork")[0];
        const subnets = (inputs(vnet).subnets as Inputs[]).map((subnet) => `${vnet.id}/subnets/${subnet.name}`);
        const vault = inputs(one(run, "azure-native:keyvault:Vault", "app-secrets")).properties;
        expect(vault.publicNetworkAccess).toBe("Enabled");
        expect(vault.networkAcls).toEqual({ defaultAction: "Deny", bypass: "None", ipRules: [{ value: "20.31.47.112/29" }], virtualNetworkRules: subnets.map((id) => ({ id })) });
        for (const name of ["appdata", "fnhost"]) {
            const rules = inputs(one(run, "azure-native:storage:StorageAccount", name)).networkRuleSet;
            expect(rules).toMatchObject({ defaultAction: "Deny", bypass: "None", ipRules: [{ iPAddressOrRange: "20.31.47.112/29", action: "Allow" }] });
        }
    });

    it("restricts the AKS API server to the operators' range", () => {
        const cluster = one(run, "azure-native:containerservice:ManagedCluster", "inventory-aks");
        expect(inputs(cluster).apiServerAccessProfile).toEqual({ authorizedIPRanges: ["20.31.47.112/29"] });
    });
});
