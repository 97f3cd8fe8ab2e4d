import { checkSetting } from "../../lib/setting";
import { classic, classicFlag } from "../../lib/classic";
import { read, violation } from "../../lib/props";
import { types } from "../../lib/tokens";
import { ResourceRule, RuleResource, Violation } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/** Where a VM or a scale set keeps its OS settings. */
function profileRoot(resource: RuleResource): string {
    return resource.type === types.virtualMachineScaleSet ? "virtualMachineProfile." : "";
}

function isWindows(resource: RuleResource, root: string): boolean {
    const windowsConfiguration = read(resource.props, `${root}osProfile.windowsConfiguration`);
    const osType = read(resource.props, `${root}storageProfile.osDisk.osType`);
    const publisher = read(resource.props, `${root}storageProfile.imageReference.publisher`);
    const offer = read(resource.props, `${root}storageProfile.imageReference.offer`);
    return (
        (windowsConfiguration !== undefined && windowsConfiguration !== null) ||
        (typeof osType === "string" && osType.toLowerCase() === "windows") ||
        (typeof publisher === "string" && /windows/i.test(publisher)) ||
        (typeof offer === "string" && /windows/i.test(offer))
    );
}

/** Classic Linux VMs and scale sets: `disablePasswordAuthentication` (the provider's default is true) and `adminPassword`. */
function checkClassic(resource: RuleResource): Violation[] {
    const found = checkSetting(resource, classicFlag("disablePasswordAuthentication", true, true, "set it to true and log in with SSH keys."));
    const password = read(resource.props, "adminPassword");
    if (!isUnknown(password) && password !== undefined && password !== null && password !== "") {
        found.push(violation(resource, "adminPassword", "is set on a Linux machine; remove it and use SSH keys."));
    }
    return found;
}

export const linuxVmPasswordLoginDisabled: ResourceRule = {
    name: "linux-vm-password-login-disabled",
    description: "Linux VMs and scale sets allow SSH key login only: password authentication is disabled and no admin password is set.",
    severity: "high",
    remediation:
        "Set `osProfile.linuxConfiguration.disablePasswordAuthentication: true`, drop `adminPassword`, and provide an SSH public key " +
        "(or sign in with Entra ID through the AADSSHLoginForLinux extension).",
    anchors: {
        checkov: ["CKV_AZURE_1"],
        psrule: ["Azure.VM.PublicKey"],
    },
    builtins: [
        { id: "630c64f9-8b6b-4c64-b511-6544ceff6fd6", displayName: "Authentication to Linux machines should require SSH keys" },
    ],
    mcsb: ["IM-6"],
    service: "compute",
    defaultLevel: "mandatory",
    justification: "A VM password is a shared, guessable credential reachable over the network; keys or Entra sign-in leave nothing to leak.",
    resourceTypes: [types.virtualMachine, types.virtualMachineScaleSet, classic.linuxVirtualMachine, classic.linuxVirtualMachineScaleSet],
    check(resource) {
        if (resource.type === classic.linuxVirtualMachine || resource.type === classic.linuxVirtualMachineScaleSet) {
            return checkClassic(resource);
        }
        const root = profileRoot(resource);
        const osProfile = read(resource.props, `${root}osProfile`);
        if (osProfile === undefined || osProfile === null || isUnknown(osProfile) || isWindows(resource, root)) {
            return [];
        }
        const found: Violation[] = [];
        const disabled = read(resource.props, `${root}osProfile.linuxConfiguration.disablePasswordAuthentication`);
        if (!isUnknown(disabled) && disabled !== true) {
            found.push(
                violation(
                    resource,
                    `${root}osProfile.linuxConfiguration.disablePasswordAuthentication`,
                    `is ${disabled === undefined ? "not set" : String(disabled)}; set it to true and log in with SSH keys.`,
                ),
            );
        }
        const password = read(resource.props, `${root}osProfile.adminPassword`);
        if (password !== undefined && password !== null && password !== "") {
            found.push(violation(resource, `${root}osProfile.adminPassword`, "is set on a Linux machine; remove it and use SSH keys."));
        }
        return found;
    },
};
