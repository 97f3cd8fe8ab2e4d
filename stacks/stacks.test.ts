import * as path from "path";
import { builtInRoles, roleNameById } from "../infra/access/roles";
import { aksOperatorRoleIds } from "../infra/containers/operators";
import { roleAssignmentName } from "../infra/shared/naming";
import { RecordedResource } from "../offline/mocks";
import { scanValue } from "@keyless/detect";
import { runStackOffline, OfflineRun } from "../offline/stack";
import { SharedRun, sharedStackRun } from "./testing/sharedRuns";

const root = path.join(__dirname, "..");

const workloadTypes = [
    "azure-native:compute:VirtualMachine",
    "azure-native:web:WebApp",
    "azure-native:containerinstance:ContainerGroup",
    "azure-native:logic:Workflow",
    "azure-native:containerservice:ManagedCluster",
];

/** Inputs that legitimately carry a secret; they must arrive as Pulumi secrets instead. */
const secretSinks: Record<string, RegExp> = {
    "azure-native:keyvault:Secret": /^properties(\.value)?$/,
    "azure-native:compute:VirtualMachine": /^osProfile(\.adminPassword)?$/,
    "azure-native:containerinstance:ContainerGroup": /^containers\[\d+\]\.environmentVariables\[\d+\]\.secureValue$/,
};

function ofType(run: SharedRun, type: string): RecordedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

function roleGuidOf(assignment: RecordedResource): string {
    return String(assignment.inputs.roleDefinitionId).split("/").pop()!;
}

describe.each(["dev", "prod"])("the %s stack under mocks", (stack) => {
    let run: SharedRun;
    // A second, independent run: names must be the same on every run.
    let again: OfflineRun;
    beforeAll(async () => {
        run = await sharedStackRun(root, stack);
        again = await runStackOffline(root, stack);
    });

    it("gives every VM, site, container group, Logic App and cluster a managed identity", () => {
        const workloads = run.resources.filter((resource) => workloadTypes.includes(resource.type));
        expect(workloads.length).toBeGreaterThanOrEqual(6);
        for (const workload of workloads) {
            const identity = workload.inputs.identity as { type?: string } | undefined;
            expect({ name: workload.name, type: identity?.type ?? "None" }).not.toEqual({ name: workload.name, type: "None" });
        }
    });

    it("writes every role assignment with a verified built-in role, a narrow scope, principalType and a derived name", () => {
        const assignments = ofType(run, "azure-native:authorization:RoleAssignment");
        expect(assignments.length).toBeGreaterThan(10);
        const declaredIds = new Set(run.resources.filter((resource) => resource.custom && resource.id).map((resource) => resource.id!.toLowerCase()));
        for (const assignment of assignments) {
            const roleName = roleNameById(roleGuidOf(assignment));
            expect({ name: assignment.name, role: roleName }).toEqual({ name: assignment.name, role: expect.any(String) });
            expect(builtInRoles[roleName!]).not.toHaveProperty("privileged", true);
            const scope = String(assignment.inputs.scope);
            if (assignment.inputs.principalType === "Group") {
                // People, through their Entra groups: AKS roles only, on a cluster or one of its namespaces.
                expect(aksOperatorRoleIds()).toContain(roleGuidOf(assignment));
                expect(declaredIds.has(scope.replace(/\/namespaces\/[a-z0-9-]+$/, "").toLowerCase())).toBe(true);
                expect(scope).toMatch(/\/Microsoft\.ContainerService\/managedClusters\/[^/]+(\/namespaces\/[a-z0-9-]+)?$/);
                continue;
            }
            expect(assignment.inputs.principalType).toBe("ServicePrincipal");
            // Narrow: the scope is one resource this stack declares (or a subnet of its network), never a resource group or subscription.
            expect(declaredIds.has(scope.toLowerCase().replace(/\/subnets\/[^/]+$/, ""))).toBe(true);
            expect(scope).toMatch(/\/providers\/Microsoft\.[A-Za-z]+\/.+/);
            expect(assignment.inputs.roleAssignmentName).toBe(
                roleAssignmentName(scope, String(assignment.inputs.principalId), String(assignment.inputs.roleDefinitionId)),
            );
        }
    });

    it("names role assignments the same way on every run", () => {
        const names = (r: SharedRun) =>
            Object.fromEntries(ofType(r, "azure-native:authorization:RoleAssignment").map((a) => [a.urn, a.inputs.roleAssignmentName]));
        expect(names(again)).toEqual(names(run));
    });

    it("holds no credential-shaped string in any input, and secrets only as Pulumi secrets in their sinks", () => {
        const findings = run.resources.flatMap((resource) => {
            const sink = secretSinks[resource.type];
            return scanValue(resource.inputs, { skipPaths: (p) => sink !== undefined && sink.test(p) }).map(
                (finding) => `${resource.type} ${resource.name} ${finding.path}: ${finding.kind} ${finding.masked}`,
            );
        });
        expect(findings).toEqual([]);
        for (const secret of ofType(run, "azure-native:keyvault:Secret")) {
            expect(secret.secretPaths).toContain("properties");
        }
    });

    it("keeps every vault RBAC-only with soft delete and purge protection, closed by default", () => {
        const vaults = ofType(run, "azure-native:keyvault:Vault");
        expect(vaults.length).toBeGreaterThan(0);
        for (const vault of vaults) {
            const properties = vault.inputs.properties as Record<string, unknown>;
            expect(properties).toMatchObject({
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: 90,
                enablePurgeProtection: true,
                enabledForDeployment: false,
                enabledForTemplateDeployment: false,
                enabledForDiskEncryption: false,
            });
            expect(properties.accessPolicies ?? []).toEqual([]);
            expect((properties.networkAcls as { defaultAction?: string } | undefined)?.defaultAction ?? "Deny").toBe("Deny");
        }
    });

    it("turns shared keys off on every storage account", () => {
        for (const account of ofType(run, "azure-native:storage:StorageAccount")) {
            expect(account.inputs).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2" });
        }
    });

    if (stack === "prod") {
        it("locks and protects the vaults, locks the identities and admits no public IP range", () => {
            const locks = ofType(run, "azure-native:authorization:ManagementLockByScope");
            const lockedScopes = new Set(locks.map((lock) => String(lock.inputs.scope)));
            for (const vault of ofType(run, "azure-native:keyvault:Vault")) {
                expect(vault.protect).toBe(true);
                expect(lockedScopes.has(vault.id!)).toBe(true);
                const acls = (vault.inputs.properties as { networkAcls?: { ipRules?: unknown[] } }).networkAcls;
                expect(acls?.ipRules ?? []).toEqual([]);
            }
            for (const identity of ofType(run, "azure-native:managedidentity:UserAssignedIdentity")) {
                expect(lockedScopes.has(identity.id!)).toBe(true);
            }
        });
    } else {
        it("leaves dev unlocked so that it can be torn down", () => {
            expect(ofType(run, "azure-native:authorization:ManagementLockByScope")).toEqual([]);
            expect(ofType(run, "azure-native:keyvault:Vault").every((vault) => !vault.protect)).toBe(true);
        });
    }
});
