import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { WorkloadIdentityArgs } from "../identity/identityShape";
import { RecordedResource, runUnderMocks, valueOf } from "../testing";
import { ofType, one } from "../testing/fixtures";
import { ProblemsError } from "../shared/problems";
import { stockTrackerUnitPath } from "./cloudInit";
import { LinuxVm, LinuxVmArgs } from "./LinuxVm";
import { ed25519PublicKey, openSshPrivateKeyShape, rsaKeyPair } from "./testKeys";

const subnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-core/subnets/vms";
const vaultId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-stock";

function unitOf(vm: RecordedResource): string {
    const customData = (vm.inputs.osProfile as { customData: string }).customData;
    const rendered = Buffer.from(customData, "base64").toString("utf8");
    expect(rendered.startsWith("#cloud-config\n")).toBe(true);
    const config = YAML.parse(rendered.slice("#cloud-config\n".length)) as { write_files: Array<{ path: string; content: string }> };
    const unit = config.write_files.find((file) => file.path === stockTrackerUnitPath);
    expect(unit).toBeDefined();
    return (unit as { content: string }).content;
}

describe("LinuxVm", () => {
    const sshPublicKey = ed25519PublicKey();

    function base(identity: WorkloadIdentityArgs, extra: Partial<LinuxVmArgs> = {}): LinuxVmArgs {
        return { resourceGroupName: "rg-app", subnetId, identity, sshPublicKey, ...extra };
    }

    it("declares a Trusted Launch VM with SSH-only sign-in, a NIC in the subnet and no public IP", async () => {
        const { resources, outputs } = await runUnderMocks(() => {
            const vm = new LinuxVm("stock", base({ systemAssigned: true }, { tags: { app: "stock" } }));
            return { principalId: vm.principalId, vmId: vm.vmId, id: vm.id, nicId: vm.nicId };
        });
        const component = one(resources, "keyless:compute:LinuxVm");
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        const nic = one(resources, "azure-native:network:NetworkInterface");
        expect(ofType(resources, "azure-native:network:PublicIPAddress")).toHaveLength(0);
        expect(vm.parentUrn).toBe(component.urn);
        expect(nic.parentUrn).toBe(component.urn);

        expect(vm.inputs.vmName).toBe("vm-stock");
        expect(vm.inputs.securityProfile).toEqual({
            securityType: "TrustedLaunch",
            uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
            encryptionAtHost: true,
        });
        expect(vm.inputs.hardwareProfile).toEqual({ vmSize: "Standard_D2s_v5" });
        expect(vm.inputs.storageProfile).toEqual({
            imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
            osDisk: { createOption: "FromImage", caching: "ReadWrite", deleteOption: "Delete", managedDisk: { storageAccountType: "Premium_LRS" } },
        });
        const osProfile = vm.inputs.osProfile as Record<string, unknown>;
        expect(osProfile).not.toHaveProperty("adminPassword");
        expect(osProfile).not.toHaveProperty("customData");
        expect(osProfile.adminUsername).toBe("azureuser");
        expect(osProfile.linuxConfiguration).toEqual({
            disablePasswordAuthentication: true,
            provisionVMAgent: true,
            ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
        });
        expect(vm.inputs.networkProfile).toEqual({ networkInterfaces: [{ id: nic.id, primary: true }] });
        expect(vm.inputs.tags).toEqual({ app: "stock" });
        expect(vm.secretPaths).toEqual([]);

        const ipConfig = (nic.inputs.ipConfigurations as Array<Record<string, unknown>>)[0];
        expect(ipConfig.subnet).toEqual({ id: subnetId });
        expect(ipConfig.publicIPAddress).toBeUndefined();

        expect(await valueOf(outputs.vmId)).toBe(vm.id);
        expect(await valueOf(outputs.id)).toBe(vm.id);
        expect(await valueOf(outputs.nicId)).toBe(nic.id);
        expect(await valueOf(outputs.principalId)).toBe((vm.state.identity as { principalId: string }).principalId);
    });

    it.each([
        ["SystemAssigned", { systemAssigned: true }, 0],
        ["UserAssigned", { systemAssigned: false }, 1],
        ["SystemAssigned, UserAssigned", { systemAssigned: true }, 2],
    ] as const)("maps the identity to %s", async (expected, flags, userAssignedCount) => {
        const { resources, outputs } = await runUnderMocks(() => {
            const identities = Array.from({ length: userAssignedCount }, (_, i) => new ManagedIdentity(`app-${i}`, { resourceGroupName: "rg-app" }));
            const vm = new LinuxVm("mapped", base({ ...flags, userAssigned: identities }));
            return { principalId: vm.principalId };
        });
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        const identityIds = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity").map((identity) => identity.id);
        const identity = vm.inputs.identity as { type: string; userAssignedIdentities?: string[] };
        expect(identity.type).toBe(expected);
        expect(identity.userAssignedIdentities ?? []).toEqual(identityIds);
        expect(identityIds).toHaveLength(userAssignedCount);
        const principal = await valueOf(outputs.principalId);
        if (flags.systemAssigned) {
            expect(principal).toMatch(/^[0-9a-f-]{36}$/);
        } else {
            expect(principal).toBeUndefined();
        }
    });

    it("installs the app through cloud-init with the user-assigned identity's client ID and names only", async () => {
        const { resources } = await runUnderMocks(() => {
            const identity = new ManagedIdentity("stock-app", { resourceGroupName: "rg-app" });
            new LinuxVm(
                "stock",
                base(
                    { userAssigned: [identity] },
                    { app: { vaultName: pulumi.output("kv-stock-a1b2"), secretName: "report-signing-key", clientId: identity.clientId, healthPort: 8081 } },
                ),
            );
        });
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        const identity = one(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const unit = unitOf(vm);
        expect(unit).toContain("Environment=KEYLESS_VAULT_NAME=kv-stock-a1b2\n");
        expect(unit).toContain("Environment=KEYLESS_SECRET_NAME=report-signing-key\n");
        expect(unit).toContain(`Environment=KEYLESS_CLIENT_ID=${identity.state.clientId}\n`);
        expect(unit).toContain("Environment=KEYLESS_HEALTH_PORT=8081\n");
        expect(vm.secretPaths).toEqual([]);
    });

    it("lets the app use the system-assigned identity without a client ID", async () => {
        const { resources } = await runUnderMocks(() => {
            new LinuxVm("stock", base({ systemAssigned: true }, { app: { vaultName: "kv-stock", secretName: "signing" } }));
        });
        const unit = unitOf(one(resources, "azure-native:compute:VirtualMachine"));
        expect(unit).toContain("Environment=KEYLESS_VAULT_NAME=kv-stock\n");
        expect(unit).not.toContain("KEYLESS_CLIENT_ID");
    });

    it("adds a Standard static public IP only when asked, and takes overrides", async () => {
        const { resources } = await runUnderMocks(() => {
            new LinuxVm(
                "edge",
                base(
                    { systemAssigned: true },
                    {
                        publicIp: true,
                        size: "Standard_B2s",
                        osDiskType: "StandardSSD_LRS",
                        osDiskSizeGb: 64,
                        adminUsername: "stockops",
                        image: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2" },
                    },
                ),
            );
        });
        const pip = one(resources, "azure-native:network:PublicIPAddress");
        const nic = one(resources, "azure-native:network:NetworkInterface");
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        expect(pip.inputs).toMatchObject({ sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static" });
        expect((nic.inputs.ipConfigurations as Array<Record<string, unknown>>)[0].publicIPAddress).toEqual({ id: pip.id });
        expect(vm.inputs.hardwareProfile).toEqual({ vmSize: "Standard_B2s" });
        expect(vm.inputs.storageProfile).toMatchObject({
            imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" },
            osDisk: { diskSizeGB: 64, managedDisk: { storageAccountType: "StandardSSD_LRS" } },
        });
        expect((vm.inputs.osProfile as { linuxConfiguration: { ssh: unknown } }).linuxConfiguration.ssh).toEqual({
            publicKeys: [{ path: "/home/stockops/.ssh/authorized_keys", keyData: sshPublicKey }],
        });
    });

    it("grants roles to the system-assigned identity and locks the VM", async () => {
        const { resources } = await runUnderMocks(() => {
            new LinuxVm(
                "stock",
                base(
                    { systemAssigned: true },
                    { grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "stock", id: vaultId } }], lock: { kind: "CanNotDelete" } },
                ),
            );
        });
        const vm = one(resources, "azure-native:compute:VirtualMachine");
        const assignment = one(resources, "azure-native:authorization:RoleAssignment");
        expect(assignment.inputs).toMatchObject({ principalId: (vm.state.identity as { principalId: string }).principalId, principalType: "ServicePrincipal", scope: vaultId });
        expect(one(resources, "azure-native:authorization:ManagementLockByScope").inputs).toMatchObject({ scope: vm.id, level: "CanNotDelete" });
    });

    describe("refuses bad arguments before declaring anything", () => {
        async function refuses(args: () => LinuxVmArgs, problems: string[]): Promise<void> {
            const { resources } = await runUnderMocks(() => {
                expect(() => new LinuxVm("bad", args())).toThrow(new ProblemsError('LinuxVm "bad"', problems));
            });
            expect(resources).toHaveLength(0);
        }
        const noIdentity = 
            "identity must enable systemAssigned or list at least one userAssigned identity; got neither: " +
            "a workload without a managed identity would need a stored credential.";
        const howToGenerate = "generate one with `ssh-keygen -t ed25519` and pass the contents of the .pub file";

        it("no identity at all", () => refuses(() => base({}), [noIdentity]));

        it("an explicitly empty identity", () => refuses(() => base({ systemAssigned: false, userAssigned: [] }), [noIdentity]));

        it("a private key pasted as the SSH key, without echoing it", () =>
            refuses(() => base({ systemAssigned: true }, { sshPublicKey: openSshPrivateKeyShape() }), [
                "sshPublicKey holds a PRIVATE key. Never put a private key in stack config or code: rotate it (it may already be in " +
                    "your shell history or a stack file), then pass the public half, the .pub file.",
            ]));

        it("a short RSA key", () =>
            refuses(() => base({ systemAssigned: true }, { sshPublicKey: rsaKeyPair(2048).publicLine }), [
                "sshPublicKey is a 2048-bit RSA key; use at least 3072 bits (`ssh-keygen -t rsa -b 4096`) or, better, ssh-ed25519.",
            ]));

        it("a garbage SSH key", () =>
            refuses(() => base({ systemAssigned: true }, { sshPublicKey: "not-a-key" }), [
                `sshPublicKey must start with ssh-ed25519 or ssh-rsa (OpenSSH public key format); ${howToGenerate}.`,
            ]));

        it.each(["root", "admin", "Administrator", "guest"])("the reserved admin username %p", (adminUsername) =>
            refuses(() => base({ systemAssigned: true }, { adminUsername }), [
                `adminUsername "${adminUsername}" is reserved: Azure refuses root, admin, administrator, guest, test, user and similar names.`,
            ]),
        );

        it.each(["9lives", "Ops"])("the admin username %p", (adminUsername) =>
            refuses(() => base({ systemAssigned: true }, { adminUsername }), [
                `adminUsername "${adminUsername}" must be a Linux user name: up to 32 lowercase letters, digits, '_' or '-', not starting with a digit or '-'.`,
            ]),
        );

        it("an app without a client ID on a VM without a system-assigned identity", () =>
            refuses(() => ({ ...base({ userAssigned: [{ ready: pulumi.output("/id") }] }), app: { vaultName: "kv-stock", secretName: "signing" } }), [
                "app.clientId is required when the VM has no system-assigned identity: pass the user-assigned " +
                    "identity's clientId so the app asks the metadata service for that identity's token.",
            ]));

        it("an app secret name that is not a name", () =>
            refuses(() => base({ systemAssigned: true }, { app: { vaultName: "kv-stock", secretName: "my secret" } }), [
                'app.secretName "my secret" must be a Key Vault secret name: 1-127 letters, digits and \'-\'.',
            ]));

        it("grants without a system-assigned identity", () =>
            refuses(
                () => base({ userAssigned: [{ ready: pulumi.output("/id") }] }, { grants: [{ role: "Key Vault Secrets User", target: { kind: "vault", name: "v", id: vaultId } }] }),
                ["grants apply to the system-assigned identity: set identity.systemAssigned, or grant roles on the user-assigned identity instead."],
            ));

        it("a privileged grant", () =>
            refuses(() => base({ systemAssigned: true }, { grants: [{ role: "Owner", target: { kind: "vault", name: "v", id: vaultId } }] }), [
                'grants[0]: Role "Owner" on vault "v" is privileged: workload identities never get ' +
                    "Owner, Contributor, User Access Administrator or RBAC Administrator. Use a data-plane role instead.",
            ]));

        it("a malformed subnet ID", () =>
            refuses(() => ({ ...base({ systemAssigned: true }), subnetId: "vms" }), [
                'subnetId must be a subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "vms".',
            ]));

        it("a bad size, disk type and disk size, all listed at once", () =>
            refuses(() => base({ systemAssigned: true }, { size: "D2s_v5", osDiskType: "Standard_LRS" as "Premium_LRS", osDiskSizeGb: 10 }), [
                'size "D2s_v5" must be an Azure VM size such as Standard_D2s_v5.',
                'osDiskType "Standard_LRS" must be Premium_LRS or StandardSSD_LRS.',
                "osDiskSizeGb 10 must be a whole number of GiB from 30 to 4095.",
            ]));

        it("an image without a SKU", () =>
            refuses(() => base({ systemAssigned: true }, { image: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "" } }), [
                "image.sku must be set (a generation 2 marketplace image).",
            ]));
    });
});
