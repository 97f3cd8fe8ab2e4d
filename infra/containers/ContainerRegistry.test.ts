import { runUnderMocks, valueOf } from "../testing";
import { ofType } from "../testing/fixtures";
import { ContainerRegistry } from "./ContainerRegistry";
import { ProblemsError } from "../shared/problems";

const workspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-app";

describe("ContainerRegistry", () => {
    it("declares a registry that only identities can pull from, with a random suffix in its global name", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const registry = new ContainerRegistry("apps", {
                resourceGroupName: "rg-test",
                lock: { kind: "CanNotDelete" },
                diagnostics: { workspaceId },
            });
            return { target: registry.asTarget(), loginServer: registry.loginServer, id: registry.id };
        });
        const [component] = ofType(resources, "keyless:containers:ContainerRegistry");
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        expect(registry.parentUrn).toBe(component.urn);
        expect(registry.inputs.adminUserEnabled).toBe(false);
        expect(registry.inputs.anonymousPullEnabled).toBe(false);
        expect(registry.inputs.sku).toEqual({ name: "Standard" });
        expect(registry.inputs.publicNetworkAccess).toBe("Enabled");
        expect(registry.inputs.networkRuleSet).toBeUndefined();
        expect(registry.inputs.registryName).toMatch(/^crapps[a-z0-9]{6}$/);

        const [suffix] = ofType(resources, "random:index/randomString:RandomString");
        expect(suffix.inputs).toMatchObject({ length: 6, special: false, upper: false });
        expect(suffix.parentUrn).toBe(component.urn);

        const [diagnostics] = ofType(resources, "azure-native:monitor:DiagnosticSetting");
        expect((diagnostics.inputs.logs as { category: string }[]).map((log) => log.category)).toEqual([
            "ContainerRegistryLoginEvents",
            "ContainerRegistryRepositoryEvents",
        ]);
        expect(diagnostics.inputs.resourceUri).toBe(registry.id);
        const [lock] = ofType(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs).toMatchObject({ scope: registry.id, level: "CanNotDelete" });

        expect(outputs.target.kind).toBe("registry");
        expect(outputs.target.name).toBe("apps");
        expect(await valueOf(outputs.id)).toBe(registry.id);
        expect(await valueOf(outputs.loginServer)).toBe(`${registry.inputs.registryName}.azurecr.io`);
    });

    it("restricts a Premium registry to listed IPs, denying everything else", async () => {
        const { resources } = await runUnderMocks(() => {
            new ContainerRegistry("edge", { resourceGroupName: "rg", sku: "Premium", allowedIps: ["203.0.113.0/24", "198.51.100.7"] });
        });
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        expect(registry.inputs.sku).toEqual({ name: "Premium" });
        expect(registry.inputs.networkRuleSet).toEqual({
            defaultAction: "Deny",
            ipRules: [
                { action: "Allow", iPAddressOrRange: "203.0.113.0/24" },
                { action: "Allow", iPAddressOrRange: "198.51.100.7" },
            ],
        });
    });

    it("closes the public endpoint of a Premium registry", async () => {
        const { resources } = await runUnderMocks(() => {
            new ContainerRegistry("private", { resourceGroupName: "rg", sku: "Premium", publicNetworkAccess: "Disabled", registryName: "crprivate01" });
        });
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        expect(registry.inputs.publicNetworkAccess).toBe("Disabled");
        expect(registry.inputs.registryName).toBe("crprivate01");
        expect(ofType(resources, "random:index/randomString:RandomString")).toHaveLength(0);
    });

    const invalid: [string, Record<string, unknown>, string][] = [
        ["public access disabled below Premium", { publicNetworkAccess: "Disabled" }, 'publicNetworkAccess "Disabled" needs sku "Premium": Azure offers private endpoints for registries on Premium only, so a Standard registry without its public endpoint would be unreachable.'],
        ["IP rules below Premium", { sku: "Basic", allowedIps: ["203.0.113.7"] }, 'allowedIps needs sku "Premium": registry network rules are a Premium feature; got sku "Basic".'],
        ["IP rules with public access disabled", { sku: "Premium", publicNetworkAccess: "Disabled", allowedIps: ["203.0.113.7"] }, 'allowedIps has no effect with publicNetworkAccess "Disabled": remove one of them.'],
        ["a malformed IP", { sku: "Premium", allowedIps: ["203.0.113"] }, 'allowedIps[0] must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24; got "203.0.113".'],
        ["an unknown sku", { sku: "Gold" }, 'sku must be one of Basic, Standard, Premium; got "Gold".'],
        ["the admin user", { adminUserEnabled: true }, "adminUserEnabled cannot be turned on: pulls go through identities with AcrPull, never a shared admin password or anonymous access."],
        ["anonymous pull", { anonymousPullEnabled: true }, "anonymousPullEnabled cannot be turned on: pulls go through identities with AcrPull, never a shared admin password or anonymous access."],
        ["a bad physical name", { registryName: "cr-app" }, 'registryName "cr-app" must be 5-50 letters and digits.'],
    ];
    it.each(invalid)("refuses %s before declaring anything", async (_case, extra, message) => {
        const { resources } = await runUnderMocks(() => {
            expect(() => new ContainerRegistry("bad", { resourceGroupName: "rg", ...extra })).toThrow(new ProblemsError('ContainerRegistry "bad"', [message]));
        });
        expect(resources).toHaveLength(0);
    });
});
