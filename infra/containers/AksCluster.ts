import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice";
import { GrantTarget, RoleGrant } from "../access/grants";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { DiagnosticsArgs, sendDiagnostics } from "../monitoring/diagnostics";
import { LockArgs, lockScope } from "../shared/locks";
import { isGuid, physicalName } from "../shared/naming";
import { ipRuleProblem } from "../shared/network";
import { Problems } from "../shared/problems";
import { Tags } from "../shared/tags";

/** Who did what through the API server, and Entra sign-ins (guard); the audit log without the read noise. */
export const aksDiagnosticCategories = ["kube-audit-admin", "guard"];

export interface AksSystemPoolArgs {
    /** Defaults to `Standard_D2s_v5`. */
    vmSize?: string;
    /** Number of nodes, 1-1000. Defaults to 2. */
    count?: number;
    /**
     * Subnet for the nodes, so that firewalls admitting the stack's subnets admit the pods. Defaults to a virtual
     * network AKS creates, outside every subnet a data service admits. The control-plane identity gets Network
     * Contributor on this subnet only.
     */
    vnetSubnetId?: pulumi.Input<string>;
    /** Availability zones, e.g. ["1", "2", "3"]. Defaults to none. */
    availabilityZones?: string[];
}

export interface AksApiServerArgs {
    /** A private cluster: the API server gets a private endpoint only. Defaults to false. */
    private?: boolean;
    /** Public IPv4 ranges allowed to reach a public API server. Not with `private`. Defaults to none (any address, Entra sign-in still required). */
    authorizedIpRanges?: string[];
}

export interface AksClusterArgs {
    resourceGroupName: pulumi.Input<string>;
    /** Defaults to the resource group's location (the provider's `location`). */
    location?: pulumi.Input<string>;
    /** Physical name. Defaults to `aks-<name>`. */
    clusterName?: string;
    /** `<major>.<minor>` or a full patch version. Defaults to the version AKS picks. */
    kubernetesVersion?: string;
    /** Defaults to `Free`. */
    skuTier?: "Free" | "Standard";
    /** Defaults to one Linux system pool of 2 × Standard_D2s_v5. */
    systemPool?: AksSystemPoolArgs;
    /** Registries the nodes pull images from: the kubelet identity gets AcrPull on each (`registry.asTarget()`). Defaults to none. */
    registries?: GrantTarget[];
    /** Object IDs of Entra groups given cluster admin through Entra RBAC. Defaults to none. */
    adminGroupObjectIds?: string[];
    /** Entra tenant for sign-in. Defaults to the subscription's tenant. */
    tenantId?: string;
    /** API server exposure. Defaults to public, Entra sign-in required, no IP filter. */
    apiServer?: AksApiServerArgs;
    /** A management lock on the cluster. Defaults to none. */
    lock?: LockArgs;
    /** Sends kube-audit-admin and guard logs to Log Analytics. Defaults to off. */
    diagnostics?: DiagnosticsArgs;
    tags?: Tags;
}

/** Checks every argument; returns one message per problem. */
export function aksClusterProblems(args: AksClusterArgs): string[] {
    const problems: string[] = [];
    const raw = args as unknown as Record<string, unknown>;
    for (const key of ["servicePrincipalProfile", "disableLocalAccounts", "windowsProfile"]) {
        if (raw[key] !== undefined) {
            problems.push(`${key} is not accepted: the cluster uses managed identities and Entra sign-in only, with local accounts disabled.`);
        }
    }
    if (args.clusterName !== undefined && !/^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/.test(args.clusterName)) {
        problems.push(`clusterName "${args.clusterName}" must be 1-63 letters, digits, '-' or '_', starting and ending with a letter or digit.`);
    }
    if (args.skuTier !== undefined && args.skuTier !== "Free" && args.skuTier !== "Standard") {
        problems.push(`skuTier must be "Free" or "Standard"; got "${String(args.skuTier)}".`);
    }
    if (args.kubernetesVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(args.kubernetesVersion)) {
        problems.push(`kubernetesVersion must look like 1.33 or 1.33.2; got "${args.kubernetesVersion}".`);
    }
    const pool = args.systemPool ?? {};
    if (pool.count !== undefined && (!Number.isInteger(pool.count) || pool.count < 1 || pool.count > 1000)) {
        problems.push(`systemPool.count must be an integer from 1 to 1000; got ${JSON.stringify(pool.count)}.`);
    }
    if (pool.vmSize !== undefined && !/^Standard_[A-Za-z0-9_]+$/.test(pool.vmSize)) {
        problems.push(`systemPool.vmSize must be a VM size such as Standard_D2s_v5; got "${pool.vmSize}".`);
    }
    (args.registries ?? []).forEach((registry, index) => {
        if (!registry || registry.kind !== "registry") {
            problems.push(`registries[${index}] must be a container registry target (registry.asTarget()); got kind "${registry?.kind}".`);
        }
    });
    (args.adminGroupObjectIds ?? []).forEach((id, index) => {
        if (!isGuid(id)) {
            problems.push(`adminGroupObjectIds[${index}] must be an Entra group object ID (a GUID); got "${id}".`);
        }
    });
    if (args.tenantId !== undefined && !isGuid(args.tenantId)) {
        problems.push(`tenantId must be a GUID; got "${args.tenantId}".`);
    }
    const ranges = args.apiServer?.authorizedIpRanges ?? [];
    if (args.apiServer?.private === true && ranges.length > 0) {
        problems.push(`apiServer.authorizedIpRanges does not apply to a private cluster: remove one of them.`);
    }
    ranges.forEach((range, index) => {
        const problem = ipRuleProblem(`apiServer.authorizedIpRanges[${index}]`, range);
        if (problem) {
            problems.push(problem);
        }
    });
    return problems;
}

/**
 * An AKS cluster without credentials: local accounts are disabled (no admin kubeconfig exists), sign-in and
 * authorization go through Entra ID and Azure RBAC, the OIDC issuer and workload identity are on so that pods
 * get Entra tokens through federated credentials (see `WorkloadIdentityBinding`).
 *
 * Two user-assigned identities are created: the control plane's, and the kubelet's, which pulls images with
 * AcrPull on each registry. The control plane holds Managed Identity Operator on the kubelet identity, as AKS
 * requires to attach it to the nodes. Nothing here reads a kubeconfig: users get one through
 * `az aks get-credentials` + `kubelogin`, authenticated with their own Entra token.
 */
export class AksCluster extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly id: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    /** The cluster's OIDC issuer URL, the issuer of every federated credential for its service accounts. */
    public readonly oidcIssuerUrl: pulumi.Output<string>;
    public readonly controlPlaneIdentity: ManagedIdentity;
    public readonly kubeletIdentity: ManagedIdentity;

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`AksCluster "${name}"`);
        problems.addAll(aksClusterProblems(args));
        problems.throwIfAny();
        super("keyless:containers:AksCluster", name, {}, opts);
        this.name = name;
        const pool = args.systemPool ?? {};
        const subnetGrants: RoleGrant[] =
            pool.vnetSubnetId === undefined
                ? []
                : [{ role: "Network Contributor", target: { kind: "subnet", name: `${name}-nodes`, id: pool.vnetSubnetId }, description: `Keyless: AKS ${name} joins its nodes to this subnet` }];

        this.kubeletIdentity = new ManagedIdentity(
            `${name}-kubelet`,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                grants: (args.registries ?? []).map((registry) => ({ role: "AcrPull", target: registry })),
                lock: args.lock,
                tags: args.tags,
            },
            { parent: this },
        );
        this.controlPlaneIdentity = new ManagedIdentity(
            `${name}-control-plane`,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                grants: [
                    {
                        role: "Managed Identity Operator",
                        target: { kind: "identity", name: `${name}-kubelet`, id: this.kubeletIdentity.id },
                        description: `Keyless: AKS ${name} attaches its kubelet identity to the nodes`,
                    },
                    ...subnetGrants,
                ],
                lock: args.lock,
                tags: args.tags,
            },
            { parent: this },
        );

        const clusterName = args.clusterName ?? physicalName("aksCluster", name);
        const ranges = args.apiServer?.authorizedIpRanges ?? [];
        let apiServerAccessProfile: containerservice.ManagedClusterArgs["apiServerAccessProfile"];
        if (args.apiServer?.private === true) {
            apiServerAccessProfile = { enablePrivateCluster: true };
        } else if (ranges.length > 0) {
            apiServerAccessProfile = { authorizedIPRanges: ranges };
        }
        const cluster = new containerservice.ManagedCluster(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                resourceName: clusterName,
                dnsPrefix: clusterName.replace(/_/g, "-").slice(0, 54).replace(/-+$/, ""),
                kubernetesVersion: args.kubernetesVersion,
                sku: { name: "Base", tier: args.skuTier ?? "Free" },
                // Through `ready`: the cluster is created once both identities hold their grants.
                identity: { type: "UserAssigned", userAssignedIdentities: [this.controlPlaneIdentity.ready] },
                identityProfile: {
                    kubeletidentity: {
                        resourceId: this.kubeletIdentity.ready,
                        clientId: this.kubeletIdentity.clientId,
                        objectId: this.kubeletIdentity.principalId,
                    },
                },
                oidcIssuerProfile: { enabled: true },
                securityProfile: { workloadIdentity: { enabled: true } },
                disableLocalAccounts: true,
                enableRBAC: true,
                aadProfile: {
                    managed: true,
                    enableAzureRBAC: true,
                    adminGroupObjectIDs: args.adminGroupObjectIds,
                    tenantID: args.tenantId,
                },
                apiServerAccessProfile,
                agentPoolProfiles: [
                    {
                        name: "system",
                        mode: "System",
                        osType: "Linux",
                        type: "VirtualMachineScaleSets",
                        vmSize: pool.vmSize ?? "Standard_D2s_v5",
                        count: pool.count ?? 2,
                        vnetSubnetID: pool.vnetSubnetId,
                        availabilityZones: pool.availabilityZones,
                    },
                ],
                networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay" },
                tags: args.tags,
            },
            { parent: this },
        );
        this.id = cluster.id;
        this.clusterName = cluster.name;
        this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((profile) => {
            if (!profile?.issuerURL) {
                throw new Error(`AksCluster "${name}" reports no OIDC issuer URL; oidcIssuerProfile.enabled must be true.`);
            }
            return profile.issuerURL;
        });

        sendDiagnostics(name, cluster.id, args.diagnostics, aksDiagnosticCategories, this);
        lockScope(name, cluster.id, args.lock, this);

        this.registerOutputs({ id: this.id, clusterName: this.clusterName, oidcIssuerUrl: this.oidcIssuerUrl });
    }

    /** The cluster as a grant target, for the AKS RBAC roles (Azure Kubernetes Service RBAC Reader/Writer). */
    public asTarget(): GrantTarget {
        return { kind: "aksCluster", name: this.name, id: this.id };
    }
}
