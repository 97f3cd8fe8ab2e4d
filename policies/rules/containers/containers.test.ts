import { check, Fixture, runResourcePolicy, UNKNOWN_BOOLEAN, withPath } from "../../testing";
import { acrAdminUserDisabled } from "./acr-admin-user-disabled";
import { aksLocalAccountsDisabled } from "./aks-local-accounts-disabled";
import { aksWorkloadIdentityEnabled } from "./aks-workload-identity-enabled";

describe("acr-admin-user-disabled", () => {
    const registry: Fixture = { type: "azure-native:containerregistry:Registry", name: "acr", props: { sku: { name: "Standard" }, adminUserEnabled: false } };

    it("passes the admin user off or left at Azure's default (off)", () => {
        expect(check(acrAdminUserDisabled, registry)).toEqual([]);
        expect(check(acrAdminUserDisabled, { ...registry, props: withPath(registry.props, "adminUserEnabled", undefined) })).toEqual([]);
    });

    it("fails the admin user on", () => {
        expect(check(acrAdminUserDisabled, { ...registry, props: withPath(registry.props, "adminUserEnabled", true) })).toEqual([
            'Registry "acr" adminUserEnabled: is true; set it to false and use AcrPull/AcrPush role assignments.',
        ]);
    });

    it("skips a value unknown at preview", async () => {
        expect(await runResourcePolicy(acrAdminUserDisabled, { ...registry, props: withPath(registry.props, "adminUserEnabled", UNKNOWN_BOOLEAN) })).toEqual([]);
    });
});

describe("AKS rules", () => {
    const cluster: Fixture = {
        type: "azure-native:containerservice:ManagedCluster",
        name: "aks",
        props: {
            identity: { type: "SystemAssigned" },
            disableLocalAccounts: true,
            aadProfile: { managed: true, enableAzureRBAC: true },
            oidcIssuerProfile: { enabled: true },
            securityProfile: { workloadIdentity: { enabled: true } },
        },
    };

    it("pass a cluster with Entra-only access and workload identity", () => {
        expect(check(aksLocalAccountsDisabled, cluster)).toEqual([]);
        expect(check(aksWorkloadIdentityEnabled, cluster)).toEqual([]);
    });

    it("aks-local-accounts-disabled fails local accounts on or unset", () => {
        expect(check(aksLocalAccountsDisabled, { ...cluster, props: withPath(cluster.props, "disableLocalAccounts", false) })).toEqual([
            'ManagedCluster "aks" disableLocalAccounts: is false; set it to true (Azure\'s default keeps local accounts).',
        ]);
        expect(check(aksLocalAccountsDisabled, { ...cluster, props: withPath(cluster.props, "disableLocalAccounts", undefined) })).toEqual([
            'ManagedCluster "aks" disableLocalAccounts: is not set; set it to true (Azure\'s default keeps local accounts).',
        ]);
    });

    it("aks-workload-identity-enabled fails each missing part", () => {
        expect(check(aksWorkloadIdentityEnabled, { ...cluster, props: withPath(cluster.props, "oidcIssuerProfile.enabled", false) })).toEqual([
            'ManagedCluster "aks" oidcIssuerProfile.enabled: is false; set it to true.',
        ]);
        expect(check(aksWorkloadIdentityEnabled, { ...cluster, props: withPath(cluster.props, "securityProfile", undefined) })).toEqual([
            'ManagedCluster "aks" securityProfile.workloadIdentity.enabled: is not set; set it to true.',
        ]);
    });

    it("skip values unknown at preview", async () => {
        expect(await runResourcePolicy(aksWorkloadIdentityEnabled, { ...cluster, props: withPath(cluster.props, "securityProfile.workloadIdentity.enabled", UNKNOWN_BOOLEAN) })).toEqual([]);
        expect(await runResourcePolicy(aksLocalAccountsDisabled, { ...cluster, props: withPath(cluster.props, "disableLocalAccounts", UNKNOWN_BOOLEAN) })).toEqual([]);
    });
});
