import { parse } from "yaml";
import { clientIdAnnotation, serviceAccountManifest, tenantIdAnnotation, useLabel, workloadIdentityPodTemplate } from "./workloadIdentityManifests";
import { ProblemsError } from "../shared/problems";

const clientId = "3f2b6c1e-8d4a-4b7e-9c5f-2a1b3c4d5e6f";
const tenantId = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

describe("serviceAccountManifest", () => {
    it("renders a ServiceAccount annotated with the identity's client ID", () => {
        const text = serviceAccountManifest({ namespace: "orders", serviceAccount: "api", clientId });
        expect(parse(text)).toEqual({
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "api", namespace: "orders", annotations: { [clientIdAnnotation]: clientId } },
        });
        expect(clientIdAnnotation).toBe("azure.workload.identity/client-id");
    });

    it("adds the tenant annotation when the identity lives in another tenant", () => {
        const manifest = parse(serviceAccountManifest({ namespace: "orders", serviceAccount: "api", clientId, tenantId }));
        expect(manifest.metadata.annotations[tenantIdAnnotation]).toBe(tenantId);
    });

    it("refuses names that are not DNS labels and client IDs that are not GUIDs", () => {
        expect(() => serviceAccountManifest({ namespace: "orders", serviceAccount: "API_Server", clientId })).toThrow(
            new ProblemsError('Service account "orders/API_Server"', [
                'Kubernetes service account "API_Server" must be a DNS label: lowercase letters, digits and \'-\', at most 63 characters.',
            ]),
        );
        expect(() => serviceAccountManifest({ namespace: "orders", serviceAccount: "api", clientId: "id-orders", tenantId: "contoso" })).toThrow(
            new ProblemsError('Service account "orders/api"', ['clientId must be the identity\'s client ID (a GUID); got "id-orders".', 'tenantId must be a GUID; got "contoso".']),
        );
    });
});

describe("workloadIdentityPodTemplate", () => {
    it("labels pods with the string \"true\" and names the service account", () => {
        const text = workloadIdentityPodTemplate("api");
        const template = parse(text);
        // A bare true would be a YAML boolean, which Kubernetes rejects as a label value.
        expect(template.metadata.labels[useLabel]).toBe("true");
        expect(useLabel).toBe("azure.workload.identity/use");
        expect(template.spec.serviceAccountName).toBe("api");
    });
});
