import { classicFlag, classicVirtualMachines, forTypes } from "../../lib/classic";
import { checkSettingsByType, equalsText, SettingSpec } from "../../lib/setting";
import { types } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "securityProfile.securityType",
    accept: equalsText("TrustedLaunch"),
    absent: { passes: false, azureDefault: "Standard (the built-in requires it declared)" },
    fix: "set it to \"TrustedLaunch\" with Secure Boot and vTPM on.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes([types.virtualMachine], [setting]),
    ...forTypes(classicVirtualMachines, [classicFlag("secureBootEnabled", true, false), classicFlag("vtpmEnabled", true, false)]),
};

export const computeTrustedLaunch: ResourceRule = {
    name: "compute-trusted-launch",
    description: "Virtual machines use Trusted Launch with Secure Boot and vTPM.",
    severity: "low",
    remediation: "Set `securityProfile: { securityType: \"TrustedLaunch\", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } }` on a Gen2 image.",
    anchors: {},
    builtins: [
        { id: "c95b54ad-0614-4633-ab29-104b01235cbf", displayName: "Virtual Machine should have TrustedLaunch enabled" },
    ],
    mcsb: ["PV-2"],
    service: "compute",
    defaultLevel: "advisory",
    justification: "Trusted Launch guards the boot chain; it needs a Gen2 image and size, so it only warns.",
    resourceTypes: [types.virtualMachine, ...classicVirtualMachines],
    check: (resource) => checkSettingsByType(resource, settings),
};
