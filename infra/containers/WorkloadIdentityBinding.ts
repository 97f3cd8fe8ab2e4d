import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { maxFederatedCredentials, serviceAccountSubject, tokenExchangeAudience } from "../identity/federated";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { shortHash } from "../shared/naming";
import { serviceAccountManifest, workloadIdentityPodTemplate } from "./workloadIdentityManifests";
import { Problems } from "../shared/problems";

/** What a binding needs from a cluster; `AksCluster` is the usual one. */
export interface OidcIssuerCluster {
    /** Logical name, used in the credential name. */
    readonly name: string;
    readonly oidcIssuerUrl: pulumi.Output<string>;
}

export interface WorkloadIdentityBindingArgs {
    cluster: OidcIssuerCluster;
    /** Kubernetes namespace of the service account (a DNS label). */
    namespace: string;
    /** Kubernetes service account name (a DNS label). */
    serviceAccount: string;
    /** The identity pods running as this service account get tokens for. */
    identity: ManagedIdentity;
    /** Federated credential name on the identity. Defaults to `<cluster>-<namespace>-<serviceAccount>`, cut to 120 characters. */
    credentialName?: string;
}

const credentialNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

/** The default credential name: readable, unique per cluster and service account, within Azure's 120 characters. */
export function bindingCredentialName(cluster: string, namespace: string, serviceAccount: string): string {
    const full = `${cluster}-${namespace}-${serviceAccount}`.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
    return full.length <= 120 ? full : `${full.slice(0, 113)}-${shortHash(full)}`;
}

/** The resource group named in an ARM resource ID. */
export function resourceGroupOf(resourceId: string): string {
    const match = /\/resourceGroups\/([^/]+)\//i.exec(resourceId);
    if (!match) {
        throw new Error(`"${resourceId}" is not an ARM resource ID with a resource group.`);
    }
    return match[1];
}

/**
 * Bindings declared per identity in this program, so that each new credential waits for the previous one:
 * Azure rejects concurrent federated-credential writes on one identity (409 ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity).
 */
const declaredOn = new WeakMap<ManagedIdentity, { last: pulumi.Resource; count: number }>();

/**
 * Lets pods that run as `<namespace>/<serviceAccount>` in an AKS cluster act as a user-assigned identity: a
 * federated identity credential on the identity trusts the cluster's OIDC issuer for the subject
 * `system:serviceaccount:<namespace>:<serviceAccount>`.
 *
 * `ManagedIdentity` takes its federated credentials at construction; a binding adds one afterwards, as its own
 * child resource. Azure rejects concurrent credential writes on one identity, so every binding waits for the
 * identity's own credentials and for the bindings declared on it before. An identity holds at most 20.
 *
 * The Kubernetes side is rendered, not applied: `serviceAccountYaml` (annotated with the client ID) and
 * `podTemplateYaml` (the `azure.workload.identity/use: "true"` label) go to `kubectl apply` or a GitOps repository.
 */
export class WorkloadIdentityBinding extends pulumi.ComponentResource {
    public readonly subject: string;
    public readonly credential: managedidentity.FederatedIdentityCredential;
    /** ServiceAccount manifest with the `azure.workload.identity/client-id` annotation. */
    public readonly serviceAccountYaml: pulumi.Output<string>;
    /** Pod template snippet with the `azure.workload.identity/use: "true"` label and the service account name. */
    public readonly podTemplateYaml: string;

    constructor(name: string, args: WorkloadIdentityBindingArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems(`WorkloadIdentityBinding "${name}"`);
        const hasCluster = args.cluster !== undefined && pulumi.Output.isInstance(args.cluster.oidcIssuerUrl);
        if (!hasCluster) {
            problems.add("cluster must give oidcIssuerUrl (pass the AksCluster component).");
        }
        const hasIdentity = args.identity !== undefined && pulumi.Output.isInstance(args.identity.id) && Array.isArray(args.identity.federatedCredentials);
        if (!hasIdentity) {
            problems.add("identity must be a ManagedIdentity.");
        }
        const resolvedSubject = problems.attempt(() => serviceAccountSubject(args.namespace, args.serviceAccount));
        const credentialName = args.credentialName ?? bindingCredentialName(args.cluster?.name ?? "", args.namespace, args.serviceAccount);
        if (!credentialNamePattern.test(credentialName)) {
            problems.add(`credentialName "${credentialName}" must be 3-120 letters, digits, '-' or '_', starting with a letter or digit.`);
        }
        const previous = hasIdentity ? declaredOn.get(args.identity) : undefined;
        const own = hasIdentity ? args.identity.federatedCredentials : [];
        const count = (previous?.count ?? own.length) + 1;
        if (hasIdentity && count > maxFederatedCredentials) {
            problems.add(`identity already has ${count - 1} federated credentials; an identity takes at most ${maxFederatedCredentials}.`);
        }
        const subject = problems.resultOf(resolvedSubject);
        super("keyless:containers:WorkloadIdentityBinding", name, {}, opts);
        this.subject = subject;

        const waitFor = previous?.last ?? own[own.length - 1];
        this.credential = new managedidentity.FederatedIdentityCredential(
            `${name}-credential`,
            {
                resourceGroupName: args.identity.id.apply(resourceGroupOf),
                resourceName: args.identity.identityName,
                federatedIdentityCredentialResourceName: credentialName,
                issuer: args.cluster.oidcIssuerUrl,
                subject,
                audiences: [tokenExchangeAudience],
            },
            { parent: this, dependsOn: waitFor ? [waitFor] : [] },
        );
        declaredOn.set(args.identity, { last: this.credential, count });

        this.serviceAccountYaml = args.identity.clientId.apply((clientId) =>
            serviceAccountManifest({ namespace: args.namespace, serviceAccount: args.serviceAccount, clientId }),
        );
        this.podTemplateYaml = workloadIdentityPodTemplate(args.serviceAccount);

        this.registerOutputs({ subject: this.subject, serviceAccountYaml: this.serviceAccountYaml, podTemplateYaml: this.podTemplateYaml });
    }
}

export interface LinkServiceAccountArgs {
    namespace: string;
    serviceAccount: string;
    identity: ManagedIdentity;
}

/** Binds `<namespace>/<serviceAccount>` in `cluster` to `identity`; see `WorkloadIdentityBinding`. */
export function linkServiceAccount(
    cluster: OidcIssuerCluster,
    args: LinkServiceAccountArgs,
    opts?: pulumi.ComponentResourceOptions,
): WorkloadIdentityBinding {
    return new WorkloadIdentityBinding(`${cluster.name}-${args.namespace}-${args.serviceAccount}`, { cluster, ...args }, opts);
}
