import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { RoleAssignments } from "../access/RoleAssignments";
import { VaultSecret } from "../keyvault/VaultSecret";
import { lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Problems } from "../shared/problems";
import {
    adminUsernameProblem,
    defaultAdminUsername,
    commonVmProblems,
    declareNetworkInterface,
    grantSystemIdentity,
    privateIpOf,
    VmCommonArgs,
    VmImage,
    vmProperties,
} from "./vmShared";

/** Windows Server 2022 Datacenter: Azure Edition, generation 2. */
export const defaultWindowsImage: Readonly<Required<VmImage>> = {
    publisher: "MicrosoftWindowsServer",
    offer: "WindowsServer",
    sku: "2022-datacenter-azure-edition",
    version: "latest",
};

/**
 * Where the generated administrator password is kept: a secret in this vault, and nowhere else. A `Vault`
 * component fits as is.
 */
export interface PasswordVaultArgs {
    /** Name of the vault (for example `vault.vaultName`). */
    vaultName: pulumi.Input<string>;
    /** Resource group of the vault. */
    resourceGroupName: pulumi.Input<string>;
    /** Label of the vault in messages. Defaults to the VM component's name. */
    name?: string;
}

export interface WindowsVmArgs extends VmCommonArgs {
    /**
     * The vault that receives the generated administrator password. The password is never in config, code or
     * outputs; break-glass access reads it from the vault (Key Vault Secrets User on the secret).
     */
    passwordVault: PasswordVaultArgs;
    /** Name of the vault secret. Defaults to `<vmName>-admin-password`. */
    passwordSecretName?: string;
    /** Length of the generated password, 24 to 123. Defaults to 32. */
    passwordLength?: number;
    /** Administrator user name. Defaults to `azureuser`. Azure's reserved names (administrator, admin, ...) are refused. */
    adminUsername?: string;
    /** Windows computer name, at most 15 characters, not all digits. Defaults to the component name cut to 15 characters. */
    computerName?: string;
    /** Marketplace image, generation 2. Defaults to Windows Server 2022 Datacenter: Azure Edition. */
    image?: VmImage;
}

const computerNamePattern = /^[A-Za-z0-9-]{1,15}$/;
const secretNamePattern = /^[0-9A-Za-z-]{1,127}$/;

/**
 * A Windows VM whose administrator password is generated, stored only in Key Vault and marked secret
 * everywhere Pulumi keeps it. Trusted Launch, no public IP by default, platform-managed patching and a
 * managed identity for everything it calls.
 */
export class WindowsVm extends pulumi.ComponentResource {
    /** The VM's ARM resource ID. */
    public readonly id: pulumi.Output<string>;
    /** The VM's ARM resource ID (same as `id`). */
    public readonly vmId: pulumi.Output<string>;
    public readonly vmName: pulumi.Output<string>;
    public readonly computerName: string;
    public readonly adminUsername: string;
    /** Object ID of the system-assigned identity; undefined when it is off. */
    public readonly principalId: pulumi.Output<string | undefined>;
    /** The VM's private IP address, once Azure has assigned it. */
    public readonly privateIp: pulumi.Output<string | undefined>;
    public readonly nicId: pulumi.Output<string>;
    /** Name of the vault secret holding the administrator password (not the password). */
    public readonly passwordSecretName: string;
    /** URI of that vault secret, without version (not the password). */
    public readonly passwordSecretUri: pulumi.Output<string>;
    public readonly grants?: RoleAssignments;

    constructor(name: string, args: WindowsVmArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = `WindowsVm "${name}"`;
        const problems = new Problems(owner);
        problems.addAll(commonVmProblems(owner, args, args.image));
        const adminUsername = args.adminUsername ?? defaultAdminUsername;
        problems.addAll([adminUsernameProblem("windows", "adminUsername", adminUsername)]);
        const computerName = args.computerName ?? physicalName("windowsComputerName", name);
        if (!computerNamePattern.test(computerName) || /^\d+$/.test(computerName)) {
            problems.add(
                `computerName "${computerName}" must be 1-15 letters, digits or '-', and not all digits` +
                    (args.computerName === undefined ? " (it is derived from the component name; set computerName)." : "."),
            );
        }
        const vmName = args.vmName ?? physicalName("virtualMachine", name);
        const secretName = args.passwordSecretName ?? `${vmName}-admin-password`;
        if (!secretNamePattern.test(secretName)) {
            problems.add(`passwordSecretName "${secretName}" must be 1-127 letters, digits and '-'.`);
        }
        const length = args.passwordLength ?? 32;
        if (!Number.isInteger(length) || length < 24 || length > 123) {
            problems.add(`passwordLength ${String(args.passwordLength)} must be a whole number from 24 to 123.`);
        }
        if (!args.passwordVault || !args.passwordVault.vaultName || !args.passwordVault.resourceGroupName) {
            problems.add(`passwordVault needs vaultName and resourceGroupName: the generated password is kept only in that vault.`);
        }
        problems.throwIfAny();
        super("keyless:compute:WindowsVm", name, {}, opts);

        // VaultSecret generates the password (RandomPassword, every character class present) and writes it to
        // the vault; its value is a Pulumi secret, used below only as the VM's admin password.
        const password = new VaultSecret(
            `${name}-admin-password`,
            {
                vault: { name: args.passwordVault.name ?? name, vaultName: args.passwordVault.vaultName, resourceGroupName: args.passwordVault.resourceGroupName },
                secretName,
                source: { generate: { length, special: true } },
                contentType: "password",
                tags: args.tags,
            },
            { parent: this },
        );

        const image = { ...defaultWindowsImage, ...args.image };
        const { nic } = declareNetworkInterface(name, args, this);
        const vm = new compute.VirtualMachine(
            name,
            {
                ...vmProperties(args, vmName, image, nic.id),
                osProfile: {
                    computerName,
                    adminUsername,
                    adminPassword: password.value,
                    windowsConfiguration: {
                        enableAutomaticUpdates: true,
                        provisionVMAgent: true,
                        patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
                    },
                },
            },
            // The password is in the vault before any VM uses it, so it is never lost to a failed vault write.
            { parent: this, dependsOn: [password] },
        );

        this.id = vm.id;
        this.vmId = vm.id;
        this.vmName = vm.name;
        this.computerName = computerName;
        this.adminUsername = adminUsername;
        this.principalId = vm.identity.apply((identity) => identity?.principalId);
        this.privateIp = privateIpOf(nic);
        this.nicId = nic.id;
        this.passwordSecretName = password.secretName;
        this.passwordSecretUri = password.secretUri;
        this.grants = grantSystemIdentity(name, this.principalId, args, this);
        lockScope(name, vm.id, args.lock, this);

        this.registerOutputs({
            vmId: this.vmId,
            principalId: this.principalId,
            privateIp: this.privateIp,
            passwordSecretName: this.passwordSecretName,
            passwordSecretUri: this.passwordSecretUri,
        });
    }
}
