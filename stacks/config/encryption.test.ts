import { parseStackConfig } from ".";
import { encryptedServices } from "./encryption";
import { configProblems, Raw, stackRaw } from "./testing";

/** `hardening.encryption` in stack config: which services take a key, and one clear message per mistake. */

const stackConfig = stackRaw;
const problems = (edit: (raw: Raw) => void, stack = "prod") => configProblems(stack, edit);

describe("hardening.encryption", () => {
    it("encrypts every storage account, SQL server and namespace in prod, and nothing in dev", () => {
        const prod = parseStackConfig(stackConfig("prod"), { project: "keyless" });
        expect(prod.hardening.encryption).toEqual({ customerManagedKeys: true, vault: "keys" });
        expect(encryptedServices(prod)).toEqual([
            { section: "storage", name: "appdata" },
            { section: "storage", name: "fnhost" },
            { section: "sqlServers", name: "inventory-sql" },
            { section: "serviceBus", name: "orders-bus" },
        ]);
        const dev = parseStackConfig(stackConfig("dev"), { project: "keyless" });
        expect(dev.hardening.encryption).toEqual({ customerManagedKeys: false });
        expect(encryptedServices(dev)).toEqual([]);
    });

    it("names the sku a namespace needs", () => {
        expect(problems((raw) => (raw.serviceBus["orders-bus"].sku = "Standard"), "prod").filter((problem) => problem.includes("customer-managed"))).toEqual([
            'keyless.serviceBus.orders-bus.sku: "Standard" cannot take a customer-managed key (Service Bus encrypts with one on Premium only), and hardening.encryption.customerManagedKeys is on; ' +
                "expected Premium, or customerManagedKey: false on it",
        ]);
        expect(
            problems((raw) => {
                raw.eventHubs = { telemetry: { sku: "Standard", hubs: ["readings"] } };
            }),
        ).toEqual([
            'keyless.eventHubs.telemetry.sku: "Standard" cannot take a customer-managed key (Event Hubs encrypts with one on Premium only), and hardening.encryption.customerManagedKeys is on; ' +
                "expected Premium, or customerManagedKey: false on it",
        ]);
    });

    it("refuses a registry that would read its key with the wrong identity kind", () => {
        expect(problems((raw) => delete raw.registries.images.customerManagedKey)).toEqual([
            "keyless.registries.images.customerManagedKey: a registry created with a customer-managed key reads it with a user-assigned identity, but passes a Key Vault firewall " +
                'only with its system-assigned identity, so it could not reach vault "keys"; expected customerManagedKey: false on it ' +
                "(Microsoft-managed keys; docs/encryption.md says how to move it to its system-assigned identity after creation)",
        ]);
    });

    it("names the sku a registry needs besides", () => {
        expect(problems((raw) => (raw.registries.images = { sku: "Standard" }), "prod")).toContain(
            'keyless.registries.images.sku: "Standard" cannot take a customer-managed key (Container Registry encrypts with one on Premium only); expected Premium, or customerManagedKey: false on it',
        );
    });

    it("needs a declared key vault, and keys only with the hardening on", () => {
        expect(problems((raw) => delete raw.hardening.encryption.vault)).toEqual([
            "keyless.hardening.encryption.vault: missing; customerManagedKeys needs the vault that holds the keys; expected one of app-secrets, keys",
        ]);
        expect(problems((raw) => (raw.hardening.encryption.vault = "key"))).toEqual([
            'keyless.hardening.encryption.vault: vault "key" is not declared; expected one of app-secrets, keys',
        ]);
        expect(problems((raw) => (raw.storage.appdata.customerManagedKey = true), "dev")).toEqual([
            "keyless.storage.appdata.customerManagedKey: takes effect only with hardening.encryption.customerManagedKeys, which names the vault for the keys; set that, or remove this key",
        ]);
    });

    it("keeps the name of each service's key identity free", () => {
        expect(
            problems((raw) => {
                raw.identities["cmk-appdata"] = {};
                raw.workloads.find((workload: Raw) => workload.name === "storefront").identity.userAssigned = ["cmk-appdata"];
                delete raw.identities.storefront;
            }),
        ).toEqual(["keyless.identities.cmk-appdata: the name is taken by the identity that reads storage.appdata's key; give this identity another name"]);
    });

    it("lets a service opt out", () => {
        const raw = stackConfig("prod");
        raw.storage.fnhost.customerManagedKey = false;
        expect(encryptedServices(parseStackConfig(raw, { project: "keyless" })).map((service) => service.name)).toEqual(["appdata", "inventory-sql", "orders-bus"]);
    });
});
