import { check, Fixture, runResourcePolicy, secrets, UNKNOWN_BOOLEAN, withPath } from "../../testing";
import { linuxVmPasswordLoginDisabled } from "./linux-vm-password-login-disabled";

const vm: Fixture = {
    type: "azure-native:compute:VirtualMachine",
    name: "vm",
    props: {
        identity: { type: "SystemAssigned" },
        osProfile: {
            computerName: "vm",
            adminUsername: "ops",
            linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: "/home/ops/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAAC3 ops" }] } },
        },
        storageProfile: { imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" } },
    },
};

describe("linux-vm-password-login-disabled", () => {
    it("passes a key-only Linux VM", () => {
        expect(check(linuxVmPasswordLoginDisabled, vm)).toEqual([]);
    });

    it("fails when password authentication is allowed", () => {
        expect(check(linuxVmPasswordLoginDisabled, { ...vm, props: withPath(vm.props, "osProfile.linuxConfiguration.disablePasswordAuthentication", false) })).toEqual([
            'VirtualMachine "vm" osProfile.linuxConfiguration.disablePasswordAuthentication: is false; set it to true and log in with SSH keys.',
        ]);
        expect(check(linuxVmPasswordLoginDisabled, { ...vm, props: withPath(vm.props, "osProfile.linuxConfiguration", undefined) })).toEqual([
            'VirtualMachine "vm" osProfile.linuxConfiguration.disablePasswordAuthentication: is not set; set it to true and log in with SSH keys.',
        ]);
    });

    it("fails when an admin password is set, without showing it", () => {
        const password = secrets.password();
        const messages = check(linuxVmPasswordLoginDisabled, { ...vm, props: withPath(vm.props, "osProfile.adminPassword", password) });
        expect(messages).toEqual(['VirtualMachine "vm" osProfile.adminPassword: is set on a Linux machine; remove it and use SSH keys.']);
    });

    it("checks scale sets under virtualMachineProfile", () => {
        const vmss: Fixture = { type: "azure-native:compute:VirtualMachineScaleSet", name: "vmss", props: { virtualMachineProfile: withPath(vm.props, "osProfile.linuxConfiguration.disablePasswordAuthentication", false) } };
        expect(check(linuxVmPasswordLoginDisabled, vmss)).toEqual([
            'VirtualMachineScaleSet "vmss" virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication: is false; set it to true and log in with SSH keys.',
        ]);
    });

    it("leaves Windows VMs and VMs without an OS profile alone", () => {
        const windows = { ...vm, props: withPath(withPath(vm.props, "osProfile.linuxConfiguration", undefined), "storageProfile.imageReference.publisher", "MicrosoftWindowsServer") };
        expect(check(linuxVmPasswordLoginDisabled, windows)).toEqual([]);
        expect(check(linuxVmPasswordLoginDisabled, { ...vm, props: withPath(vm.props, "osProfile", undefined) })).toEqual([]);
    });

    it("skips a value unknown at preview", async () => {
        expect(await runResourcePolicy(linuxVmPasswordLoginDisabled, { ...vm, props: withPath(vm.props, "osProfile.linuxConfiguration.disablePasswordAuthentication", UNKNOWN_BOOLEAN) })).toEqual([]);
    });
});
