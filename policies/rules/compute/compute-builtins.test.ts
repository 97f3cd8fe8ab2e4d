import { fixture } from "../../testing/fixtures";
import { check, describeResourceRule } from "../../testing";
import { computeEncryptionAtHost } from "./compute-encryption-at-host";
import { computeTrustedLaunch } from "./compute-trusted-launch";

const fix = "set it to true (Azure's default is off; the subscription needs the EncryptionAtHost feature).";

describeResourceRule(
    computeEncryptionAtHost,
    fixture("vm"),
    [
        { path: "securityProfile.encryptionAtHost", value: false, message: `VirtualMachine "vm" securityProfile.encryptionAtHost: is false; ${fix}` },
        { path: "securityProfile.encryptionAtHost", value: undefined, message: `VirtualMachine "vm" securityProfile.encryptionAtHost: is not set; ${fix}` },
    ],
    "securityProfile.encryptionAtHost",
);

describe("compute-encryption-at-host on scale sets and AKS node pools", () => {
    it("fails a scale set and a node pool without it", () => {
        const vmss = fixture("vmss");
        expect(check(computeEncryptionAtHost, vmss)).toEqual([]);
        expect(check(computeEncryptionAtHost, { ...vmss, props: { ...vmss.props, virtualMachineProfile: {} } })).toEqual([
            `VirtualMachineScaleSet "vmss" virtualMachineProfile.securityProfile.encryptionAtHost: is not set; ${fix}`,
        ]);
        const aks = fixture("aks");
        expect(check(computeEncryptionAtHost, aks)).toEqual([]);
        expect(check(computeEncryptionAtHost, { ...aks, props: { ...aks.props, agentPoolProfiles: [{ name: "system" }] } })).toEqual([
            `ManagedCluster "aks" agentPoolProfiles[0].enableEncryptionAtHost: is not set; ${fix}`,
        ]);
    });
});

describeResourceRule(
    computeTrustedLaunch,
    fixture("vm"),
    [
        {
            path: "securityProfile.securityType",
            value: "Standard",
            message: 'VirtualMachine "vm" securityProfile.securityType: is "Standard"; set it to "TrustedLaunch" with Secure Boot and vTPM on.',
        },
        {
            path: "securityProfile.securityType",
            value: undefined,
            message: 'VirtualMachine "vm" securityProfile.securityType: is not set, and Azure\'s default is Standard (the built-in requires it declared); set it to "TrustedLaunch" with Secure Boot and vTPM on.',
        },
    ],
    "securityProfile.securityType",
);
