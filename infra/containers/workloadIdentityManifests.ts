import { stringify } from "yaml";
import { isGuid } from "../shared/naming";
import { serviceAccountSubject } from "../identity/federated";
import { Problems } from "../shared/problems";

/**
 * Kubernetes side of AKS workload identity, rendered as YAML text for `kubectl apply` or a GitOps repository.
 * The service account names the identity by client ID (not a secret); pods opt in with a label and receive a
 * projected token that the Azure SDK exchanges through the federated credential.
 */
export const clientIdAnnotation = "azure.workload.identity/client-id";
export const tenantIdAnnotation = "azure.workload.identity/tenant-id";
export const useLabel = "azure.workload.identity/use";

export interface ServiceAccountManifestArgs {
    namespace: string;
    serviceAccount: string;
    /** Client ID of the user-assigned identity the service account maps to. */
    clientId: string;
    /** Tenant of the identity. Defaults to the cluster's tenant (annotation omitted). */
    tenantId?: string;
}

/** The ServiceAccount manifest, annotated with the identity's client ID. */
export function serviceAccountManifest(args: ServiceAccountManifestArgs): string {
    const problems = new Problems(`Service account "${args.namespace}/${args.serviceAccount}"`);
    // Validates namespace and name as DNS labels, the same rule the federated credential's subject follows.
    problems.attempt(() => serviceAccountSubject(args.namespace, args.serviceAccount));
    if (!isGuid(args.clientId)) {
        problems.add(`clientId must be the identity's client ID (a GUID); got "${args.clientId}".`);
    }
    if (args.tenantId !== undefined && !isGuid(args.tenantId)) {
        problems.add(`tenantId must be a GUID; got "${args.tenantId}".`);
    }
    problems.throwIfAny();
    const annotations: Record<string, string> = { [clientIdAnnotation]: args.clientId };
    if (args.tenantId !== undefined) {
        annotations[tenantIdAnnotation] = args.tenantId;
    }
    return stringify({
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: args.serviceAccount, namespace: args.namespace, annotations },
    });
}

/**
 * The part of a pod template that opts a workload in: the `azure.workload.identity/use: "true"` label (a string,
 * as Kubernetes labels must be) and the service account. Merge it into a Deployment's `spec.template`.
 */
export function workloadIdentityPodTemplate(serviceAccount: string): string {
    serviceAccountSubject("default", serviceAccount);
    return stringify({
        metadata: { labels: { [useLabel]: "true" } },
        spec: { serviceAccountName: serviceAccount },
    });
}
