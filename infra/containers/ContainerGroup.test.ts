import { randomBytes } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { githubToken, jsonWebToken, revealsMoreThan4, runUnderMocks, sasUrl as signedUrl } from "../testing";
import { ofType, thrownBy } from "../testing/fixtures";
import { ManagedIdentity } from "../identity/ManagedIdentity";
import { ContainerGroup, ContainerGroupArgs } from "./ContainerGroup";
import { ContainerRegistry } from "./ContainerRegistry";
import { ProblemsError } from "../shared/problems";

/** Key material generated per run, so no credential-shaped literal lives in the repository. */
const randomKey = () => randomBytes(32).toString("base64");

interface EnvVar {
    name: string;
    value?: string;
    secureValue?: string;
}

describe("ContainerGroup", () => {
    it("runs as the user-assigned identity, pulls with it and exports its client ID; no public IP, no password", async () => {
        const apiKey = randomKey();
        const { resources } = await runUnderMocks(() => {
            const registry = new ContainerRegistry("apps", { resourceGroupName: "rg" });
            const identity = new ManagedIdentity("orders", {
                resourceGroupName: "rg",
                grants: [{ role: "AcrPull", target: registry.asTarget() }],
            });
            new ContainerGroup("orders", {
                resourceGroupName: "rg",
                identity,
                registry,
                image: "orders:1.4.2",
                ports: [8080],
                env: { KEY_VAULT_URL: "https://kv-orders.vault.azure.net/", LOG_LEVEL: "info" },
                secureEnv: { PARTNER_API_KEY: pulumi.secret(apiKey) },
                lock: { kind: "CanNotDelete" },
            });
        });
        const [component] = ofType(resources, "keyless:containers:ContainerGroup");
        const [group] = ofType(resources, "azure-native:containerinstance:ContainerGroup");
        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        expect(group.parentUrn).toBe(component.urn);
        expect(group.inputs.containerGroupName).toBe("ci-orders");
        expect(group.inputs.osType).toBe("Linux");
        expect(group.inputs.restartPolicy).toBe("Always");
        expect(group.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        expect(group.inputs.imageRegistryCredentials).toEqual([{ server: `${registry.state.name}.azurecr.io`, identity: identity.id }]);
        expect(JSON.stringify(group.inputs.imageRegistryCredentials)).not.toMatch(/password|username/i);
        expect(group.inputs.ipAddress).toBeUndefined();
        // The group waits for the identity's AcrPull grant, so its first pull is authorized.
        const [grant] = ofType(resources, "azure-native:authorization:RoleAssignment");
        expect(grant.inputs.scope).toBe(registry.id);
        expect(group.dependencies).toContain(grant.urn);

        const [container] = group.inputs.containers as { name: string; image: string; resources: unknown; ports: unknown; environmentVariables: EnvVar[] }[];
        expect(container.name).toBe("orders");
        // The repository in the stack's registry, with its login server in front: never Docker Hub's library/orders.
        expect(container.image).toBe(`${registry.state.name}.azurecr.io/orders:1.4.2`);
        expect(container.resources).toEqual({ requests: { cpu: 1, memoryInGB: 1.5 } });
        expect(container.ports).toEqual([{ port: 8080, protocol: "TCP" }]);
        expect(container.environmentVariables).toEqual([
            { name: "AZURE_CLIENT_ID", value: identity.state.clientId },
            { name: "KEY_VAULT_URL", value: "https://kv-orders.vault.azure.net/" },
            { name: "LOG_LEVEL", value: "info" },
            { name: "PARTNER_API_KEY", secureValue: apiKey },
        ]);
        // The secret travels as a secret: Pulumi marks the enclosing input, so the value never shows in clear text.
        const securePath = "containers[0].environmentVariables[3].secureValue";
        expect(group.secretPaths.some((path) => securePath.startsWith(path))).toBe(true);

        const [lock] = ofType(resources, "azure-native:authorization:ManagementLockByScope");
        expect(lock.inputs.scope).toBe(group.id);
    });

    it("exposes ports on a public IP only when asked, and on a private IP inside a virtual network", async () => {
        const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/aci";
        const { resources } = await runUnderMocks(() => {
            const identity = new ManagedIdentity("web", { resourceGroupName: "rg" });
            new ContainerGroup("public", { resourceGroupName: "rg", identity, image: "mcr.microsoft.com/dotnet/samples:aspnetapp", ports: [80], publicIp: true });
            new ContainerGroup("private", { resourceGroupName: "rg", identity, image: "mcr.microsoft.com/dotnet/samples:aspnetapp", ports: [80], subnetIds: [subnetId], restartPolicy: "OnFailure" });
        });
        const groups = ofType(resources, "azure-native:containerinstance:ContainerGroup");
        const byName = Object.fromEntries(groups.map((group) => [group.name, group]));
        expect(byName.public.inputs.ipAddress).toMatchObject({ type: "Public", ports: [{ port: 80, protocol: "TCP" }] });
        expect(byName.public.inputs.imageRegistryCredentials).toBeUndefined();
        expect(byName.private.inputs.ipAddress).toMatchObject({ type: "Private", ports: [{ port: 80, protocol: "TCP" }] });
        expect(byName.private.inputs.subnetIds).toEqual([{ id: subnetId }]);
        expect(byName.private.inputs.restartPolicy).toBe("OnFailure");
    });

    describe("refuses before declaring anything", () => {
        const accountKeyConnection = () => ["DefaultEndpointsProtocol=https", "AccountName=stapp", `Account${"Key"}=${randomKey()}`].join(";");
        const sasUrl = () => `https://stapp.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&${"si"}g=${encodeURIComponent(randomKey())}`;
        const cases: [string, (identity: ManagedIdentity) => Partial<ContainerGroupArgs> & Record<string, unknown>, RegExp][] = [
            ["a registry password", () => ({ image: "hello:1", registry: { loginServer: "crapps.azurecr.io", password: "x" as never } }), /registry\.password is not accepted: images are pulled with the group's identity/],
            ["an image on another host than the registry", () => ({ image: "docker.io/library/ingest:1.4.2", registry: { loginServer: "crapps.azurecr.io" } }), /^image "docker\.io\/library\/ingest:1\.4\.2" names registry host "docker\.io", but the group pulls from crapps\.azurecr\.io/],
            ["a latest image where a pinned one is required", () => ({ image: "mcr.microsoft.com/hello:latest", requirePinnedImage: true }), /^image "mcr\.microsoft\.com\/hello:latest" is tagged latest; give a version tag/],
            ["an untagged image where a pinned one is required", () => ({ image: "mcr.microsoft.com/hello", requirePinnedImage: true }), /^image "mcr\.microsoft\.com\/hello" has no tag; give a version tag/],
            ["an image reference with upper-case letters", () => ({ image: "Ingest:1" }), /^image must be an image reference/],
            ["explicit registry credentials", () => ({ imageRegistryCredentials: [{ server: "crapps.azurecr.io" }] }), /imageRegistryCredentials is not accepted/],
            ["a missing identity", () => ({ identity: undefined }), /identity is required/],
            ["an ACR image without the registry", () => ({ image: "crapps.azurecr.io/orders:1" }), /is in an Azure Container Registry: pass registry/],
            ["an account key in a plain variable", () => ({ env: { STORAGE: accountKeyConnection() } }), /env\.STORAGE: the value holds a credential: storage-connection-string \(/],
            ["a SAS signature in a plain variable", () => ({ env: { BLOB_URL: sasUrl() } }), /env\.BLOB_URL: the value holds a credential: sas-token \(/],
            ["a GitHub token under an innocuous name", () => ({ env: { GREETING: githubToken().text } }), /env\.GREETING: the value holds a credential: github-token \(GitHub token: ghp_…\(40 chars\)\)\. Put it in secureEnv/],
            ["a JSON Web Token under an innocuous name", () => ({ env: { GREETING: jsonWebToken().text } }), /env\.GREETING: the value holds a credential: jwt \(JSON Web Token: eyJh…\(\d+ chars\)\)/],
            ["a SAS URL under an innocuous name", () => ({ env: { GREETING: signedUrl("stapp").text } }), /env\.GREETING: the value holds a credential: sas-token \(/],
            ["a secret-looking name", () => ({ env: { DB_PASSWORD: randomKey() } }), /env\.DB_PASSWORD: the name looks like a secret/],
            ["AZURE_CLIENT_ID set by hand", () => ({ env: { AZURE_CLIENT_ID: "x" } }), /env\.AZURE_CLIENT_ID is set by the component/],
            ["a plain string as a secure variable", () => ({ secureEnv: { PARTNER_API_KEY: "plain" as never } }), /secureEnv\.PARTNER_API_KEY must be a Pulumi secret/],
            ["a variable in both lists", () => ({ env: { MODE: "a" }, secureEnv: { MODE: pulumi.secret("b") } }), /MODE is in both env and secureEnv/],
            ["a public IP without ports", () => ({ publicIp: true }), /publicIp needs ports/],
            ["a public IP in a virtual network", () => ({ publicIp: true, ports: [80], subnetIds: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a"] }), /publicIp cannot be combined with subnetIds/],
            ["too many vCPUs", () => ({ cpu: 8 }), /cpu must be a number of vCPUs above 0 and at most 4; got 8/],
            ["a bad port", () => ({ ports: [0] }), /ports\[0\] must be an integer from 1 to 65535; got 0/],
        ];
        it.each(cases)("%s", async (_case, extra, message) => {
            const { resources } = await runUnderMocks(() => {
                const identity = new ManagedIdentity("app", { resourceGroupName: "rg" });
                const args = { resourceGroupName: "rg", identity, image: "mcr.microsoft.com/hello:1", ...extra(identity) } as ContainerGroupArgs;
                const thrown = thrownBy(() => new ContainerGroup("bad", args));
                // One problem, in the shared format; the pattern covers the problem line, whose masked parts vary.
                expect(thrown).toBeInstanceOf(ProblemsError);
                expect((thrown as ProblemsError).subject).toBe('ContainerGroup "bad"');
                expect((thrown as ProblemsError).problems).toEqual([expect.stringMatching(message)]);
                // Messages name the variable, never its value.
                for (const value of Object.values(args.env ?? {})) {
                    if (typeof value === "string" && value.length > 8) {
                        expect(thrown?.message).not.toContain(value.slice(-12));
                        // Never more than 4 characters of the secret at the end of a credential.
                        expect(revealsMoreThan4(thrown?.message ?? "", value.slice(-24))).toBe(false);
                    }
                }
            });
            expect(ofType(resources, "keyless:containers:ContainerGroup")).toHaveLength(0);
            expect(ofType(resources, "azure-native:containerinstance:ContainerGroup")).toHaveLength(0);
        });
    });

    const failsOnResolve: [string, () => Partial<ContainerGroupArgs>, RegExp][] = [
        [
            "a secure variable resolves to a value that is not a Pulumi secret",
            () => ({ secureEnv: { PARTNER_API_KEY: pulumi.output("not-marked-secret") } }),
            /ContainerGroup "leaky" \(1 problem\):\n {2}- secureEnv\.PARTNER_API_KEY must be a Pulumi secret; it resolved to a value that is not marked secret\. Wrap it with pulumi\.secret\(\) or read it with config\.requireSecret\(\)\.$/,
        ],
        ["a plain variable resolves to a Pulumi secret", () => ({ env: { ENDPOINT: pulumi.secret("https://example.net/") } }), /ContainerGroup "leaky" \(1 problem\):\n {2}- env\.ENDPOINT resolved to a Pulumi secret, which a plain setting would show in clear text\. Put it in secureEnv/],
        [
            "a plain variable resolves to a credential",
            () => ({ env: { GREETING: pulumi.output(jsonWebToken().text) } }),
            /ContainerGroup "leaky" \(1 problem\):\n {2}- env\.GREETING: the value holds a credential: jwt \(JSON Web Token: eyJh…\(\d+ chars\)\)\. Put it in secureEnv/,
        ],
    ];
    it("fails the deployment when the image names another host than the registry's login server, known only at deploy time", async () => {
        await expect(
            runUnderMocks(() => {
                const registry = new ContainerRegistry("apps", { resourceGroupName: "rg" });
                const identity = new ManagedIdentity("app", { resourceGroupName: "rg" });
                new ContainerGroup("elsewhere", { resourceGroupName: "rg", identity, registry, image: "crother.azurecr.io/orders:1.4.2" });
            }),
        ).rejects.toThrow(/ContainerGroup "elsewhere": image "crother\.azurecr\.io\/orders:1\.4\.2" names registry host "crother\.azurecr\.io", but the group pulls from registry cr/);
    });

    it("accepts a digest in the registry and keeps it as given", async () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const { resources } = await runUnderMocks(() => {
            const registry = new ContainerRegistry("apps", { resourceGroupName: "rg" });
            const identity = new ManagedIdentity("app", { resourceGroupName: "rg" });
            new ContainerGroup("pinned", { resourceGroupName: "rg", identity, registry, image: `team/orders@${digest}`, requirePinnedImage: true });
        });
        const [registry] = ofType(resources, "azure-native:containerregistry:Registry");
        const [group] = ofType(resources, "azure-native:containerinstance:ContainerGroup");
        expect((group.inputs.containers as { image: string }[])[0].image).toBe(`${registry.state.name}.azurecr.io/team/orders@${digest}`);
    });

    it.each(failsOnResolve)("fails the deployment when %s", async (_case, extra, message) => {
        await expect(
            runUnderMocks(() => {
                const identity = new ManagedIdentity("app", { resourceGroupName: "rg" });
                new ContainerGroup("leaky", { resourceGroupName: "rg", identity, image: "mcr.microsoft.com/hello:1", ...extra() });
            }),
        ).rejects.toThrow(message);
    });
});
