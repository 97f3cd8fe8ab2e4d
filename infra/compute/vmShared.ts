import * as pulumi from "@pulumi/pulumi";
import type * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import { grantProblems, RoleAssignments } from "../access/RoleAssignments";
import { RoleGrant } from "../access/grants";
import { identityProperties, someIdentityProblem, WorkloadIdentityArgs } from "../identity/identityShape";
import { LockArgs } from "../shared/locks";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";

/** A marketplace image. It must be a generation 2 image: Trusted Launch boots only Gen2 VMs. */
export interface VmImage {
    publisher: string;
    offer: string;
    sku: string;
    /** Defaults to `latest`. */
    version?: string;
}

export type OsDiskType = "Premium_LRS" | "StandardSSD_LRS";

/** Arguments both VM components take. */
export interface VmCommonArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Resource ID of the subnet the VM's network interface joins. */
    subnetId: pulumi.Input<string>;
    /**
     * Managed identities of the VM; at least one. Code on the VM can get tokens for every identity attached,
     * so give each workload its own VM identity.
     */
    identity: WorkloadIdentityArgs;
    /** Role grants for the system-assigned identity (needs `identity.systemAssigned`). Defaults to none. */
    grants?: RoleGrant[];
    /** Subscription of the role definitions. Defaults to the provider's subscription. */
    subscriptionId?: pulumi.Input<string>;
    /**
     * VM size. It must support Trusted Launch and encryption at host. Defaults to `Standard_D2s_v5`
     * (2 vCPU, 8 GiB; Dsv5 supports both, and premium disks).
     */
    size?: string;
    /** OS disk type. Defaults to `Premium_LRS`. The disk is deleted with the VM. */
    osDiskType?: OsDiskType;
    /** OS disk size in GiB, 30 to 4095. Defaults to the image's size. */
    osDiskSizeGb?: number;
    /**
     * Encrypt temp disks and disk caches on the host too. Defaults to true. The subscription needs the
     * `Microsoft.Compute/EncryptionAtHost` feature registered once:
     * `az feature register --namespace Microsoft.Compute --name EncryptionAtHost`.
     */
    encryptionAtHost?: boolean;
    /**
     * Give the VM a public IP address. Defaults to false. Even with one, a `Network` subnet's NSG still
     * refuses all inbound traffic from the Internet; reach the VM from inside the network (Bastion, VPN).
     */
    publicIp?: boolean;
    /** Physical name of the VM. Defaults to `vm-<name>`. */
    vmName?: string;
    /** A management lock on the VM. Defaults to none. */
    lock?: LockArgs;
    tags?: Tags;
}

export const defaultVmSize = "Standard_D2s_v5";
export const defaultAdminUsername = "azureuser";

/** Usernames Azure refuses for a VM administrator (from its provisioning validation), compared case-insensitively. */
export const reservedAdminUsernames: readonly string[] = [
    "1", "123", "a", "actuser", "adm", "admin", "admin1", "admin2", "administrator", "aspnet", "backup", "console",
    "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test", "test1",
    "test2", "test3", "user", "user1", "user2", "user3", "user4", "user5",
];

/** Why an admin username would be refused, or undefined when it is fine. */
export function adminUsernameProblem(os: "linux" | "windows", key: string, value: unknown): string | undefined {
    if (typeof value !== "string") {
        return `${key} must be a string.`;
    }
    if (reservedAdminUsernames.includes(value.toLowerCase())) {
        return `${key} "${value}" is reserved: Azure refuses root, admin, administrator, guest, test, user and similar names.`;
    }
    if (os === "linux" && !/^[a-z_][a-z0-9_-]{0,31}$/.test(value)) {
        return `${key} "${value}" must be a Linux user name: up to 32 lowercase letters, digits, '_' or '-', not starting with a digit or '-'.`;
    }
    if (os === "windows" && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/.test(value)) {
        return `${key} "${value}" must be up to 20 letters, digits, '.', '_' or '-', starting with a letter or digit.`;
    }
    if (os === "windows" && value.endsWith(".")) {
        return `${key} "${value}" must not end with '.'.`;
    }
    return undefined;
}

const sizePattern = /^Standard_[A-Za-z0-9_]+$/;
const subnetIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/** Checks the arguments both VM components share; returns one message per problem, each naming its key. */
export function commonVmProblems(owner: string, args: VmCommonArgs, imageArg: VmImage | undefined): string[] {
    const problems: string[] = [];
    const identityProblem = someIdentityProblem(args.identity);
    if (identityProblem) {
        problems.push(identityProblem);
    }
    if (args.grants && args.grants.length > 0 && !args.identity?.systemAssigned) {
        problems.push(`grants apply to the system-assigned identity: set identity.systemAssigned, or grant roles on the user-assigned identity instead.`);
    }
    if (typeof args.subnetId === "string" && !subnetIdPattern.test(args.subnetId)) {
        problems.push(`subnetId must be a subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>); got "${args.subnetId}".`);
    }
    if (args.subnetId === undefined || args.subnetId === null || args.subnetId === "") {
        problems.push(`subnetId is required: the VM's network interface joins that subnet.`);
    }
    if (args.size !== undefined && (typeof args.size !== "string" || !sizePattern.test(args.size))) {
        problems.push(`size "${String(args.size)}" must be an Azure VM size such as ${defaultVmSize}.`);
    }
    if (args.osDiskType !== undefined && args.osDiskType !== "Premium_LRS" && args.osDiskType !== "StandardSSD_LRS") {
        problems.push(`osDiskType "${String(args.osDiskType)}" must be Premium_LRS or StandardSSD_LRS.`);
    }
    if (args.osDiskSizeGb !== undefined && !(Number.isInteger(args.osDiskSizeGb) && args.osDiskSizeGb >= 30 && args.osDiskSizeGb <= 4095)) {
        problems.push(`osDiskSizeGb ${String(args.osDiskSizeGb)} must be a whole number of GiB from 30 to 4095.`);
    }
    for (const flag of ["encryptionAtHost", "publicIp"] as const) {
        if (args[flag] !== undefined && typeof args[flag] !== "boolean") {
            problems.push(`${flag} must be true or false; got ${JSON.stringify(args[flag])}.`);
        }
    }
    if (imageArg !== undefined) {
        for (const field of ["publisher", "offer", "sku"] as const) {
            if (typeof imageArg[field] !== "string" || imageArg[field].trim() === "") {
                problems.push(`image.${field} must be set (a generation 2 marketplace image).`);
            }
        }
    }
    problems.push(...grantProblems(owner, args.grants ?? []));
    return problems;
}

/** Trusted Launch (Secure Boot and vTPM) plus encryption at host. */
export function trustedLaunchProfile(encryptionAtHost: boolean) {
    return {
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
        encryptionAtHost,
    };
}

/**
 * The VM properties both VMs set alike: placement, identities, size, Trusted Launch, an OS disk from `image` that
 * is deleted with the VM, the network interface, managed boot diagnostics and tags. The OS profile is each VM's own.
 */
export function vmProperties(args: VmCommonArgs, vmName: string, image: VmImage, nicId: pulumi.Input<string>): compute.VirtualMachineArgs {
    return {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        vmName,
        identity: identityProperties(args.identity),
        hardwareProfile: { vmSize: args.size ?? defaultVmSize },
        securityProfile: trustedLaunchProfile(args.encryptionAtHost ?? true),
        storageProfile: {
            imageReference: image,
            osDisk: {
                createOption: "FromImage",
                caching: "ReadWrite",
                deleteOption: "Delete",
                diskSizeGB: args.osDiskSizeGb,
                managedDisk: { storageAccountType: args.osDiskType ?? "Premium_LRS" },
            },
        },
        networkProfile: { networkInterfaces: [{ id: nicId, primary: true }] },
        // Managed boot diagnostics: the serial console works without a storage account key.
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        tags: args.tags,
    };
}

/** Declares the VM's network interface (and its public IP, when asked for) as children of `parent`. */
export function declareNetworkInterface(
    name: string,
    args: VmCommonArgs,
    parent: pulumi.Resource,
): { nic: network.NetworkInterface; publicIp?: network.PublicIPAddress } {
    const publicIp = args.publicIp
        ? new network.PublicIPAddress(
              `${name}-pip`,
              {
                  resourceGroupName: args.resourceGroupName,
                  location: args.location,
                  publicIpAddressName: physicalName("publicIp", name),
                  sku: { name: "Standard", tier: "Regional" },
                  publicIPAllocationMethod: "Static",
                  publicIPAddressVersion: "IPv4",
                  tags: args.tags,
              },
              { parent },
          )
        : undefined;
    const nic = new network.NetworkInterface(
        `${name}-nic`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            networkInterfaceName: physicalName("networkInterface", name),
            ipConfigurations: [
                {
                    name: "ipconfig1",
                    primary: true,
                    subnet: { id: args.subnetId },
                    privateIPAllocationMethod: "Dynamic",
                    privateIPAddressVersion: "IPv4",
                    publicIPAddress: publicIp ? { id: publicIp.id } : undefined,
                },
            ],
            tags: args.tags,
        },
        { parent },
    );
    return { nic, publicIp };
}

/** The first private IP of a network interface, once Azure has assigned it. */
export function privateIpOf(nic: network.NetworkInterface): pulumi.Output<string | undefined> {
    return nic.ipConfigurations.apply((configs) => configs?.[0]?.privateIPAddress);
}

/** Grants for the VM's system-assigned identity, once the VM (and so its principal) exists. */
export function grantSystemIdentity(
    name: string,
    principalId: pulumi.Output<string | undefined>,
    args: VmCommonArgs,
    parent: pulumi.Resource,
): RoleAssignments | undefined {
    if (!args.grants || args.grants.length === 0) {
        return undefined;
    }
    const principal = principalId.apply((id) => {
        if (!id) {
            throw new Error(`VM "${name}": Azure returned no principal ID for the system-assigned identity.`);
        }
        return id;
    });
    return new RoleAssignments(
        `${name}-grants`,
        { principalId: principal, grants: args.grants, subscriptionId: args.subscriptionId },
        { parent },
    );
}
