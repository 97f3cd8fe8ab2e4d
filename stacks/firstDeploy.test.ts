import * as fs from "fs";
import * as path from "path";
import { roleNameById } from "../infra/access/roles";
import { RecordedResource } from "../offline/mocks";
import { SharedRun, sharedStackRun } from "./testing/sharedRuns";
import { buildPlan } from "../scripts/plan/build";

/** What the first real `pulumi up` of a committed stack needs to succeed and its apps to run, checked offline. */

const root = path.join(__dirname, "..");

function only(run: SharedRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((resource) => resource.type === type && (name === undefined || resource.name === name));
    expect(found.map((resource) => resource.name)).toHaveLength(1);
    return found[0];
}

describe.each(["dev", "prod"])("the first deploy of the %s stack", (stack) => {
    let run: SharedRun;
    beforeAll(async () => {
        run = await sharedStackRun(root, stack);
    });

    it("pulls the ingest image from the stack's registry by its login server, never from Docker Hub", () => {
        const registry = only(run, "azure-native:containerregistry:Registry");
        const group = only(run, "azure-native:containerinstance:ContainerGroup");
        const [container] = group.inputs.containers as { image: string }[];
        expect(container.image).toBe(`${registry.state.loginServer}/ingest:1.4.2`);
        expect(group.inputs.imageRegistryCredentials).toEqual([expect.objectContaining({ server: registry.state.loginServer })]);
    });

    const settingsOf = (site: RecordedResource) => Object.fromEntries(((site.inputs.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings).map((setting) => [setting.name, setting.value]));
    const clientIdOf = (identity: string) => only(run, "azure-native:managedidentity:UserAssignedIdentity", identity).state.clientId;

    it("gives ingest the Service Bus namespace and queue it sends to, with its identity's client ID", () => {
        const namespace = only(run, "azure-native:servicebus:Namespace");
        const group = only(run, "azure-native:containerinstance:ContainerGroup");
        const env = Object.fromEntries(((group.inputs.containers as { environmentVariables: { name: string; value?: string }[] }[])[0].environmentVariables).map((item) => [item.name, item.value]));
        expect(env).toMatchObject({
            ORDERS_BUS__fullyQualifiedNamespace: `${namespace.state.name}.servicebus.windows.net`,
            ORDERS_BUS__queueName: "ingest",
            ORDERS_BUS__credential: "managedidentity",
            ORDERS_BUS__clientId: clientIdOf("ingest"),
        });
    });

    it("gives storefront the SQL server and database, connecting as its identity with no password", () => {
        const server = only(run, "azure-native:sql:Server");
        const settings = settingsOf(only(run, "azure-native:web:WebApp", "storefront"));
        expect(settings.INVENTORY_SQL).toBe(
            `Server=tcp:${server.state.fullyQualifiedDomainName},1433;Database=inventory;Authentication=Active Directory Managed Identity;User Id=${clientIdOf("storefront")};Encrypt=True`,
        );
    });

    it("derives the order-processor queue trigger's roles, its poison queue and its connection settings", () => {
        const account = run.resources.find((resource) => resource.type === "azure-native:storage:StorageAccount" && resource.parentUrn?.includes("appdata"))!;
        const queues = run.resources.filter((resource) => resource.type === "azure-native:storage:Queue").map((queue) => queue.inputs.queueName);
        expect(queues).toEqual(expect.arrayContaining(["orders", "orders-poison"]));
        const principal = only(run, "azure-native:managedidentity:UserAssignedIdentity", "order-processor").state.principalId;
        const roles = run.resources
            .filter((resource) => resource.type === "azure-native:authorization:RoleAssignment" && resource.inputs.principalId === principal)
            .map((assignment) => `${roleNameById(String(assignment.inputs.roleDefinitionId).split("/").pop()!)} on ${String(assignment.inputs.scope).split("/").slice(-1)[0]}`);
        expect(roles).toEqual(
            expect.arrayContaining(["Storage Queue Data Reader on orders", "Storage Queue Data Message Processor on orders", "Storage Queue Data Message Sender on orders-poison"]),
        );
        const settings = settingsOf(only(run, "azure-native:web:WebApp", "order-processor"));
        expect(settings).toMatchObject({
            ORDERS_QUEUE__queueServiceUri: `https://${account.state.name}.queue.core.windows.net/`,
            ORDERS_QUEUE__queueName: "orders",
            ORDERS_QUEUE__credential: "managedidentity",
            ORDERS_QUEUE__clientId: clientIdOf("order-processor"),
            INVENTORY_TABLE__tableServiceUri: `https://${account.state.name}.table.core.windows.net/`,
            INVENTORY_TABLE__tableName: "inventory",
        });
    });

    it("lets the AKS operators' Entra group use kubectl in its namespace and fetch the Entra kubeconfig", () => {
        const cluster = only(run, "azure-native:containerservice:ManagedCluster");
        const byGroup = run.resources.filter((resource) => resource.type === "azure-native:authorization:RoleAssignment" && resource.inputs.principalType === "Group");
        const granted = byGroup.map((assignment) => [roleNameById(String(assignment.inputs.roleDefinitionId).split("/").pop()!), assignment.inputs.scope]);
        const role = stack === "dev" ? "Azure Kubernetes Service RBAC Writer" : "Azure Kubernetes Service RBAC Reader";
        expect(granted).toEqual(
            expect.arrayContaining([
                [role, `${cluster.id}/namespaces/inventory`],
                ["Azure Kubernetes Service Cluster User Role", cluster.id],
            ]),
        );
        expect(granted).toHaveLength(2);
    });

    it("lists in the plan the images to push, by registry", () => {
        const plan = buildPlan({ stack, resources: run.resources, findings: [] });
        expect(plan.images).toEqual([{ workload: "ingest", registry: "images", image: "ingest:1.4.2" }]);
        expect(plan.notes.join("\n")).toContain("push each listed image before `pulumi up`");
    });
});

describe("docs/deploy.md", () => {
    const doc = fs.readFileSync(path.join(root, "docs", "deploy.md"), "utf8");
    const section = doc.slice(doc.indexOf("## First deploy of dev on an empty subscription"), doc.indexOf("## One-time bootstrap"));

    it("walks a first deploy of dev in order, each step with who runs it and with which identity", () => {
        const rows = section.split("\n").filter((line) => /^\| \d \|/.test(line)).map((line) => line.split("|").map((cell) => cell.trim()));
        expect(rows.map((row) => row[2])).toEqual(["Bootstrap", "Repository variables", "Image push", "`pulumi up`", "SQL grants", "First AKS access"]);
        for (const row of rows) {
            expect(row[3]).not.toBe("");
            expect(row[4]).not.toBe("");
        }
        expect(section).toContain("Microsoft.Compute/EncryptionAtHost");
        expect(section).toContain("AcrPush");
    });
});
