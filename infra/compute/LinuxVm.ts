import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { RoleAssignments } from "../access/RoleAssignments";
import { lockScope } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Problems } from "../shared/problems";
import { encodeCustomData, renderCloudInit, validateCloudInitOptions } from "./cloudInit";
import { validateSshPublicKey } from "./ssh";
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

/** Ubuntu 24.04 LTS, generation 2. */
export const defaultLinuxImage: Readonly<Required<VmImage>> = {
    publisher: "Canonical",
    offer: "ubuntu-24_04-lts",
    sku: "server",
    version: "latest",
};

/** The stock-tracking app, installed by cloud-init as a systemd service. */
export interface StockTrackerAppArgs {
    /** Name of the vault that holds the app's signing key (for example `vault.vaultName`). */
    vaultName: pulumi.Input<string>;
    /** Name of the secret in that vault. The VM's identity needs Key Vault Secrets User on it or the vault. */
    secretName: string;
    /**
     * Client ID of the user-assigned identity the app authenticates as. Required when the VM has no
     * system-assigned identity. Defaults to the system-assigned identity.
     */
    clientId?: pulumi.Input<string>;
    /** Localhost port of the app's HTTP endpoint (`/healthz`, `/stock`). Defaults to 8080. */
    healthPort?: number;
    /** Seconds between signed stock reports in the journal. Defaults to 300. */
    reportIntervalSeconds?: number;
    /** Initial stock levels by SKU. Defaults to the app's sample stock. */
    stockItems?: Record<string, number>;
}

export interface LinuxVmArgs extends VmCommonArgs {
    /**
     * The OpenSSH public key allowed to sign in (`ssh-ed25519 ...` or `ssh-rsa ...` of 3072+ bits), from stack
     * config. Password sign-in is always disabled.
     */
    sshPublicKey: string;
    /** Administrator user name. Defaults to `azureuser`. Azure's reserved names (root, admin, ...) are refused. */
    adminUsername?: string;
    /** Marketplace image, generation 2. Defaults to Ubuntu 24.04 LTS (`Canonical ubuntu-24_04-lts server latest`). */
    image?: VmImage;
    /** Install and start the stock-tracking app. Defaults to none. */
    app?: StockTrackerAppArgs;
}

/**
 * A Linux VM that holds no credential: SSH key sign-in only, Trusted Launch, no public IP by default, and a
 * managed identity for everything it calls. With `app`, cloud-init installs the stock tracker, which reads its
 * secret from Key Vault through the instance metadata service at run time.
 */
export class LinuxVm extends pulumi.ComponentResource {
    /** The VM's ARM resource ID. */
    public readonly id: pulumi.Output<string>;
    /** The VM's ARM resource ID (same as `id`). */
    public readonly vmId: pulumi.Output<string>;
    public readonly vmName: pulumi.Output<string>;
    /** Object ID of the system-assigned identity; undefined when it is off. */
    public readonly principalId: pulumi.Output<string | undefined>;
    /** The VM's private IP address, once Azure has assigned it. */
    public readonly privateIp: pulumi.Output<string | undefined>;
    public readonly nicId: pulumi.Output<string>;
    public readonly adminUsername: string;
    public readonly grants?: RoleAssignments;

    constructor(name: string, args: LinuxVmArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = `LinuxVm "${name}"`;
        const problems = new Problems(owner);
        problems.addAll(commonVmProblems(owner, args, args.image));
        const adminUsername = args.adminUsername ?? defaultAdminUsername;
        problems.addAll([adminUsernameProblem("linux", "adminUsername", adminUsername)]);
        const key = problems.attempt(() => validateSshPublicKey(args.sshPublicKey, "sshPublicKey"));
        const app = args.app;
        if (app) {
            problems.addAll(
                validateCloudInitOptions("app.", {
                    secretName: app.secretName,
                    healthPort: app.healthPort,
                    reportIntervalSeconds: app.reportIntervalSeconds,
                    stockItems: app.stockItems,
                    // Outputs are checked when they resolve; literal values now.
                    vaultName: typeof app.vaultName === "string" ? app.vaultName : undefined,
                    clientId: typeof app.clientId === "string" ? app.clientId : undefined,
                }),
            );
            if (app.clientId === undefined && !args.identity?.systemAssigned) {
                problems.add(
                    `app.clientId is required when the VM has no system-assigned identity: pass the user-assigned ` +
                        `identity's clientId so the app asks the metadata service for that identity's token.`,
                );
            }
        }
        const keyData = problems.resultOf(key).keyData;
        super("keyless:compute:LinuxVm", name, {}, opts);

        const vmName = args.vmName ?? physicalName("virtualMachine", name);
        const image = { ...defaultLinuxImage, ...args.image };
        const { nic } = declareNetworkInterface(name, args, this);
        // The rendered document is a string built from resolved names: no resource is declared inside apply.
        const customData = app
            ? pulumi
                  .all([app.vaultName, app.clientId])
                  .apply(([vaultName, clientId]) =>
                      encodeCustomData(
                          renderCloudInit({
                              vaultName,
                              secretName: app.secretName,
                              clientId,
                              healthPort: app.healthPort,
                              reportIntervalSeconds: app.reportIntervalSeconds,
                              stockItems: app.stockItems,
                          }),
                      ),
                  )
            : undefined;

        const vm = new compute.VirtualMachine(
            name,
            {
                ...vmProperties(args, vmName, image, nic.id),
                osProfile: {
                    computerName: vmName,
                    adminUsername,
                    customData,
                    linuxConfiguration: {
                        disablePasswordAuthentication: true,
                        provisionVMAgent: true,
                        ssh: { publicKeys: [{ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData }] },
                    },
                },
            },
            { parent: this },
        );

        this.id = vm.id;
        this.vmId = vm.id;
        this.vmName = vm.name;
        this.principalId = vm.identity.apply((identity) => identity?.principalId);
        this.privateIp = privateIpOf(nic);
        this.nicId = nic.id;
        this.adminUsername = adminUsername;
        this.grants = grantSystemIdentity(name, this.principalId, args, this);
        lockScope(name, vm.id, args.lock, this);

        this.registerOutputs({ vmId: this.vmId, principalId: this.principalId, privateIp: this.privateIp });
    }
}
