import * as pulumi from "@pulumi/pulumi";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { runUnderMocks, valueOf } from "../testing";
import { ofType, one } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { WindowsVm, WindowsVmArgs } from "./WindowsVm";

const subnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-core/subnets/vms";
const passwordVault = { vaultName: "kv-ops-a1b2", resourceGroupName: "rg-ops" };

/** Every path in `value` whose string contains `needle`. */
function pathsContaining(value: unknown, needle: string, path = ""): string[] {
    if (typeof value === "string") {
        return value.includes(needle) ? [path] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, index) => pathsContaining(item, needle, `${path}[${index}]`));
    }
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([key, inner]) => pathsContaining(inner, needle, path ? `${path}.${key}` : key));
    }
    return [];
}

function coveredBySecret(path: string, secretPaths: string[]): boolean {
    return secretPaths.some((secret) => secret === "" || path === secret || path.startsWith(`${secret}.`) || path.startsWith(`${secret}[`));
}

function base(extra: Partial<WindowsVmArgs> = {}): WindowsVmArgs {
    return { resourceGroupName: "rg-app", subnetId, identity: { systemAssigned: true }, passwordVault, ...extra };
}

describe("WindowsVm", () => {
    it("generates the admin password, keeps it only in the vault and marks it secret wherever it goes", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const vm = new WindowsVm("win", base());
            return {
                id: vm.id,
                vmId: vm.vmId,
                vmName: vm.vmName,
                principalId: vm.principalId,
                privateIp: vm.privateIp,
                nicId: vm.nicId,
                passwordSecretName: vm.passwordSecretName,
                passwordSecretUri: vm.passwordSecretUri,
                computerName: vm.computerName,
                adminUsername: vm.adminUsername,
            };
        });
        const component = one(resources, "keyless:compute:WindowsVm");
        const vaultSecret = one(resources, "keyless:keyvault:VaultSecret");
        const password = one(resources, "random:index/randomPassword:RandomPassword");
        const secret = one(resources, "azure-native:keyvault:Secret");
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        expect(vaultSecret.parentUrn).toBe(component.urn);
        expect(vm.parentUrn).toBe(component.urn);
        expect(password.parentUrn).toBe(vaultSecret.urn);
        expect(secret.parentUrn).toBe(vaultSecret.urn);
        // Windows wants three of four character classes; every class is present.
        expect(password.inputs).toMatchObject({ length: 32, special: true, minSpecial: 1, minUpper: 1, minLower: 1, minNumeric: 1 });
        const value = password.state.result as string;
        expect(value).toHaveLength(32);

        expect(secret.inputs).toMatchObject({ vaultName: "kv-ops-a1b2", resourceGroupName: "rg-ops", secretName: "vm-win-admin-password", properties: { contentType: "password" } });
        expect((secret.inputs.properties as { value: string }).value).toBe(value);
        expect(coveredBySecret("properties.value", secret.secretPaths)).toBe(true);

        const osProfile = vm.inputs.osProfile as Record<string, unknown>;
        expect(osProfile.adminPassword).toBe(value);
        expect(coveredBySecret("osProfile.adminPassword", vm.secretPaths)).toBe(true);
        expect(osProfile).not.toHaveProperty("customData");
        // The password is in the vault before the VM is created with it.
        expect(vm.dependencies).toContain(secret.urn);

        // Wherever the password appears in any declared input, that input is a Pulumi secret.
        for (const resource of resources) {
            for (const path of pathsContaining(resource.inputs, value)) {
                expect({ resource: resource.name, path, secret: coveredBySecret(path, resource.secretPaths) }).toEqual({ resource: resource.name, path, secret: true });
            }
        }
        // No output carries it; the vault secret's name and URI are what callers get.
        const resolved = Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([key, output]) => [key, pulumi.Output.isInstance(output) ? await valueOf(output as pulumi.Output<unknown>) : output])));
        expect(pathsContaining(resolved, value)).toEqual([]);
        expect(resolved.passwordSecretName).toBe("vm-win-admin-password");
        expect(resolved.passwordSecretUri).toBe("https://kv-ops-a1b2.vault.azure.net/secrets/vm-win-admin-password");
        expect(resolved.vmId).toBe(vm.id);
    });

    it("declares a Trusted Launch VM with platform patching, no public IP and a short computer name", async () => {
        const { resources } = await runUnderMocks(() => {
            new WindowsVm("inventory-reporting", base());
        });
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        expect(ofType(resources, "azure-native:network:PublicIPAddress")).toHaveLength(0);
        const nic = one(resources, "azure-native:network:NetworkInterface");
        expect((nic.inputs.ipConfigurations as Array<Record<string, unknown>>)[0]).toMatchObject({ subnet: { id: subnetId } });
        expect((nic.inputs.ipConfigurations as Array<Record<string, unknown>>)[0].publicIPAddress).toBeUndefined();
        expect(vm.inputs.securityProfile).toEqual({
            securityType: "TrustedLaunch",
            uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
            encryptionAtHost: true,
        });
        expect(vm.inputs.storageProfile).toEqual({
            imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
            osDisk: { createOption: "FromImage", caching: "ReadWrite", deleteOption: "Delete", managedDisk: { storageAccountType: "Premium_LRS" } },
        });
        const osProfile = vm.inputs.osProfile as Record<string, unknown>;
        expect(osProfile.computerName).toBe("inventory-repor");
        expect(osProfile.adminUsername).toBe("azureuser");
        expect(osProfile.windowsConfiguration).toEqual({
            enableAutomaticUpdates: true,
            provisionVMAgent: true,
            patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
        });
        expect(vm.inputs.identity).toEqual({ type: "SystemAssigned" });
    });

    it.each([
        ["UserAssigned", false, 1],
        ["SystemAssigned, UserAssigned", true, 1],
    ] as const)("maps the identity to %s", async (expected, systemAssigned, count) => {
        const { resources } = await runUnderMocks(() => {
            const identities = Array.from({ length: count }, (_, i) => new ManagedIdentity(`ops-${i}`, { resourceGroupName: "rg-app" }));
            new WindowsVm("win", base({ identity: { systemAssigned, userAssigned: identities } }));
        });
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        const ids = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity").map((identity) => identity.id);
        expect(vm.inputs.identity).toEqual({ type: expected, userAssignedIdentities: ids });
    });

    it("takes an explicit computer name, secret name and longer password", async () => {
        const { resources } = await runUnderMocks(() => {
            new WindowsVm("win", base({ computerName: "STOCK-01", passwordSecretName: "stock-win-admin", passwordLength: 40, publicIp: true }));
        });
        expect(one(resources, "random:index/randomPassword:RandomPassword").inputs.length).toBe(40);
        expect(one(resources, "azure-native:keyvault:Secret").inputs.secretName).toBe("stock-win-admin");
        expect((one(resources, "azure-native:compute:VirtualMachine").inputs.osProfile as Record<string, unknown>).computerName).toBe("STOCK-01");
        expect(ofType(resources, "azure-native:network:PublicIPAddress")).toHaveLength(1);
    });

    describe("refuses bad arguments before declaring anything", () => {
        async function refuses(args: WindowsVmArgs, problems: string[]): Promise<void> {
            const { resources } = await runUnderMocks(() => {
                expect(() => new WindowsVm("bad", args)).toThrow(new ProblemsError('WindowsVm "bad"', problems));
            });
            expect(resources).toHaveLength(0);
        }

        it("no identity", () =>
            refuses(base({ identity: {} }), [
                "identity must enable systemAssigned or list at least one userAssigned identity; got neither: " +
                    "a workload without a managed identity would need a stored credential.",
            ]));
        it("a computer name over 15 characters", () =>
            refuses(base({ computerName: "inventory-reporting" }), ['computerName "inventory-reporting" must be 1-15 letters, digits or \'-\', and not all digits.']));
        it("an all-digit computer name", () => refuses(base({ computerName: "12345" }), ['computerName "12345" must be 1-15 letters, digits or \'-\', and not all digits.']));
        it("a short password", () => refuses(base({ passwordLength: 16 }), ["passwordLength 16 must be a whole number from 24 to 123."]));
        it("no password vault", () =>
            refuses(base({ passwordVault: undefined as unknown as WindowsVmArgs["passwordVault"] }), [
                "passwordVault needs vaultName and resourceGroupName: the generated password is kept only in that vault.",
            ]));
        it("a reserved admin username", () =>
            refuses(base({ adminUsername: "Administrator" }), [
                'adminUsername "Administrator" is reserved: Azure refuses root, admin, administrator, guest, test, user and similar names.',
            ]));
        it("a bad secret name", () => refuses(base({ passwordSecretName: "admin_password" }), ['passwordSecretName "admin_password" must be 1-127 letters, digits and \'-\'.']));
        it("a bad computer name and a short password, in one error", () =>
            refuses(base({ computerName: "12345", passwordLength: 16 }), [
                'computerName "12345" must be 1-15 letters, digits or \'-\', and not all digits.',
                "passwordLength 16 must be a whole number from 24 to 123.",
            ]));
    });
});
