import * as path from "path";
import { ConfigError, namespacedConfig, parseStackConfig } from ".";
import { loadStackFile } from "../../offline/stackFile";

/** Each mistake a stack author makes gets one message: the key path with the workload's name, the value, what is expected. */

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = path.join(__dirname, "..", "..");
const dev = (): Raw => namespacedConfig(loadStackFile(root, "dev").config);
const workload = (raw: Raw, name: string) => (raw.workloads as Raw[]).find((item) => item.name === name)!;

function problems(edit: (raw: Raw) => void, options: { providerLocation?: string } = {}): string[] {
    const raw = dev();
    edit(raw);
    try {
        parseStackConfig(raw, { project: "keyless", ...options });
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return [...(error as ConfigError).problems];
    }
    throw new Error("expected the config to be rejected");
}

describe("stack config mistakes", () => {
    it("accepts the dev stack as committed", () => {
        expect(() => parseStackConfig(dev(), { project: "keyless", providerLocation: "westeurope" })).not.toThrow();
    });

    it("refuses a name Azure would reject, stating the rule", () => {
        expect(problems((raw) => (raw.storage.app_data = {}))).toEqual([
            'keyless.storage.app_data: name "app_data" is not valid here; expected 1-17 lowercase letters and digits, starting with a letter ' +
                '(storage account names are 3-24 lowercase letters and digits, globally unique; Keyless adds "st" and a 5-character suffix)',
        ]);
        expect(problems((raw) => (raw.vaults["payments-secrets-eu"] = {}))).toEqual([
            'keyless.vaults.payments-secrets-eu: name "payments-secrets-eu" is not valid here; expected 1-15 lowercase letters, digits and single hyphens, ' +
                'starting with a letter (Key Vault names are 3-24 letters, digits and hyphens, globally unique; Keyless adds "kv-" and a 5-character suffix)',
        ]);
    });

    it("lists the valid keys of a nested object, with a did-you-mean", () => {
        expect(problems((raw) => (raw.storage.appdata.container = ["x"]))).toEqual([
            'keyless.storage.appdata.container: unknown key; expected one of sku, containers, queues, tables, privateEndpoints, customerManagedKey. Did you mean "containers"?',
        ]);
        expect(problems((raw) => (workload(raw, "storefront").settings.STOCK_STORAGE.servce = "blob"))).toEqual([
            'keyless.workloads[storefront].settings.STOCK_STORAGE.servce: unknown key; expected one of storage, service. Did you mean "service"?',
        ]);
    });

    it("suggests the kind and the region meant", () => {
        expect(problems((raw) => (workload(raw, "storefront").kind = "webapp"))).toEqual([
            'keyless.workloads[storefront].kind: unknown kind "webapp"; expected one of linuxVm, windowsVm, webApp, functionApp, containerGroup, aksCluster, logicApp. Did you mean "webApp"?',
        ]);
        expect(problems((raw) => (raw.location = "westeurpe"))).toEqual([
            'keyless.location: expected an Azure region name such as westeurope or eastus2. Did you mean "westeurope"? (got "westeurpe")',
        ]);
    });

    it("takes App Service plan SKUs from a list and VM sizes by pattern", () => {
        expect(problems((raw) => (workload(raw, "storefront").sku = "B9"))).toEqual([
            expect.stringMatching(/^keyless\.workloads\[storefront\]\.sku: expected one of F1, D1, B1, .*, FC1 \(got "B9"\)\. Did you mean "B1"\?$/),
        ]);
        expect(problems((raw) => (workload(raw, "stock-tracker").size = "D2s_v5"))).toEqual([
            'keyless.workloads[stock-tracker].size: expected an Azure VM size such as Standard_D2s_v5 (got "D2s_v5")',
        ]);
    });

    it("refuses an azure-native:location that disagrees with keyless:location", () => {
        expect(problems(() => undefined, { providerLocation: "northeurope" })).toEqual([
            'keyless.location: "westeurope" disagrees with azure-native:location "northeurope"; expected both to name the same region',
        ]);
    });

    it("refuses a setting that connects to a service the identity holds no data role on", () => {
        expect(problems((raw) => (workload(raw, "storefront").settings.ORDERS = { storage: "appdata", service: "queue" }))).toEqual([
            'keyless.workloads[storefront].settings.ORDERS: workload "storefront" connects to storage account "appdata" for queue data with its identity, but holds no role there; ' +
                "expected a grant of Storage Queue Data Reader, Storage Queue Data Contributor, Storage Queue Data Message Sender, Storage Queue Data Message Processor in its access",
        ]);
        expect(problems((raw) => (workload(raw, "storefront").settings.EVENTS = { serviceBus: "orders-bus" }))).toEqual([
            'keyless.workloads[storefront].settings.EVENTS: workload "storefront" connects to Service Bus namespace "orders-bus" for Service Bus data with its identity, but holds no role there; ' +
                "expected a grant of Azure Service Bus Data Sender, Azure Service Bus Data Receiver, Azure Service Bus Data Owner in its access",
        ]);
    });

    it("refuses one user-assigned identity on two workloads unless it is declared shared", () => {
        const share = (raw: Raw) => {
            const storefront = workload(raw, "storefront");
            storefront.identity.userAssigned = ["stock-tracker"];
            storefront.access = storefront.access.filter((entry: Raw) => !entry.sqlDatabase);
            delete raw.identities.storefront;
        };
        expect(problems(share)).toEqual([
            'keyless.identities.stock-tracker: identity "stock-tracker" is used by 2 workloads (stock-tracker, storefront); each workload gets its own identity, ' +
                "so that its grants are its own. Set shared: true only where the workloads are parts of one application",
        ]);
        const raw = dev();
        share(raw);
        raw.identities["stock-tracker"] = { shared: true };
        expect(parseStackConfig(raw, { project: "keyless" }).identityUsers["stock-tracker"]).toEqual(["stock-tracker", "storefront"]);
    });

    it("refuses an AKS service account bound to an identity that is not one of the cluster's", () => {
        expect(problems((raw) => (workload(raw, "inventory-aks").serviceAccounts[0].identity = "ingest"))).toEqual([
            `keyless.workloads[inventory-aks].serviceAccounts[0].identity: identity "ingest" is not one of cluster "inventory-aks"'s workload identities; expected one of inventory-api`,
        ]);
    });

    it("scopes a Key Vault grant to one secret, and refuses a secret the vault does not declare", () => {
        const config = parseStackConfig(dev(), { project: "keyless" });
        expect(config.grants).toContainEqual({
            workload: "storefront",
            identity: "storefront",
            role: "Key Vault Secrets User",
            target: { kind: "secret", service: "app-secrets", child: "stock-api-key" },
        });
        expect(problems((raw) => (workload(raw, "storefront").access[0].secret = "nope"))).toEqual([
            'keyless.workloads[storefront].access[0].secret: secret "nope" is not declared on vault "app-secrets"; expected one of stock-api-key',
        ]);
    });

    it("reports a grant to a container group's system identity instead of dropping it", () => {
        // Before workload kinds owned their declaration, this grant passed config and no role assignment was declared.
        const edit = (raw: Raw) => {
            const ingest = workload(raw, "ingest");
            ingest.identity.systemAssigned = true;
            ingest.access.push({ role: "Storage Blob Data Reader", storage: "appdata", container: "stock", identity: "system" });
        };
        expect(problems(edit)).toEqual([
            "keyless.workloads[ingest].identity.systemAssigned: a workload of kind containerGroup cannot use a system-assigned identity: a container group pulls its image " +
                "with a user-assigned identity that holds AcrPull before the group exists; grant to that identity instead",
        ]);
    });

    it("refuses a container image that names a registry host, and in prod one tagged latest or untagged", () => {
        expect(problems((raw) => (workload(raw, "ingest").image = "docker.io/library/ingest:1.4.2"))).toEqual([
            'keyless.workloads[ingest].image: "docker.io/library/ingest:1.4.2" names the registry host "docker.io"; the image is pulled from registry "images", ' +
                "whose login server is put in front at deploy time: give library/ingest:1.4.2",
        ]);
        const inProd = (image: string) =>
            problems((raw) => {
                raw.environment = "prod";
                workload(raw, "ingest").image = image;
            });
        const remedy = "give a version tag (ingest:1.4.2) or a digest (ingest@sha256:<64 hex>), so that a deploy runs the image that was reviewed";
        expect(inProd("ingest:latest")).toEqual([`keyless.workloads[ingest].image: "ingest:latest" is tagged latest, which production refuses; ${remedy}`]);
        expect(inProd("ingest")).toEqual([`keyless.workloads[ingest].image: "ingest" has no tag, which production refuses; ${remedy}`]);
        // Outside production an untagged image is taken (it means latest); a digest is always taken.
        const withImage = (image: string): Raw => {
            const raw = dev();
            workload(raw, "ingest").image = image;
            return raw;
        };
        expect(() => parseStackConfig(withImage("ingest"), { project: "keyless" })).not.toThrow();
        expect(() => parseStackConfig({ ...withImage(`ingest@sha256:${"0f".repeat(32)}`), environment: "prod" }, { project: "keyless" })).not.toThrow();
    });

    it("resolves a queue trigger's derived grants like written ones, and derives connections only where settings follow", () => {
        // Its poison queue is declared with the trigger; the queue it reads must be declared on the account.
        const missing = 'keyless.workloads[order-processor].triggers[0].queue.queue: queue "invoices" is not declared on storage account "appdata"; expected one of orders, invoices-poison';
        expect(problems((raw) => (workload(raw, "order-processor").triggers[0].queue.queue = "invoices"))).toEqual([missing, missing]);
        expect(problems((raw) => (workload(raw, "storefront").access[0].connection = "STOCK_KEY"))).toEqual([
            "keyless.workloads[storefront].access[0].connection: no connection settings follow from a Key Vault Secrets User grant on a secret; connection is for storage, Service Bus, Event Hubs and SQL database grants",
        ]);
    });

    it("reports every problem of a file at once: a type error does not hide reference errors elsewhere", () => {
        const found = problems((raw) => {
            raw.monitoring = { retentionDays: "thirty" };
            workload(raw, "stock-tracker").access[0].role = "Key Vault Secret User";
            workload(raw, "storefront").subnet = "app";
            raw.storage.appdata.container = ["x"];
        });
        expect(found).toEqual([
            'keyless.monitoring.retentionDays: expected number (got "thirty")',
            'keyless.storage.appdata.container: unknown key; expected one of sku, containers, queues, tables, privateEndpoints, customerManagedKey. Did you mean "containers"?',
            'keyless.workloads[stock-tracker].access[0].role: Unknown role "Key Vault Secret User": expected a built-in role name or a role definition GUID. Did you mean "Key Vault Secrets User"?',
            'keyless.workloads[storefront].subnet: unknown subnet "app"; expected one of workloads, apps, containers, functions, aks, endpoints, runners',
        ]);
    });
});
