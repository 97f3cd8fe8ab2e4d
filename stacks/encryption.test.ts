import * as path from "path";
import { RecordedResource } from "../offline/mocks";
import { evaluatedResources } from "../offline/evaluate";
import { SharedRun, sharedStackRun } from "./testing/sharedRuns";
import { accessEdges } from "@keyless/reachability";
import { evaluateResources } from "../policies/lib/evaluate";
import { grantsReachable } from "../policies/rules/stack/grants-reachable";

/** Customer-managed keys in the reference stacks: every prod data service with its own key, dev untouched. */

const root = path.join(__dirname, "..");
type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const encryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
const ofType = (run: SharedRun, type: string): RecordedResource[] => run.resources.filter((resource) => resource.type === type);
const inputs = (resource: RecordedResource) => resource.inputs as Inputs;

/** Where each data service keeps its key URI (versionless; SQL's names the version it starts with) and the identity that reads it. */
const keySettings: Record<string, (i: Inputs, vaultUri: string) => { uri: string; identity: string }> = {
    "azure-native:storage:StorageAccount": (i) => ({ uri: `${i.encryption.keyVaultProperties.keyVaultUri}keys/${i.encryption.keyVaultProperties.keyName}`, identity: i.encryption.encryptionIdentity.encryptionUserAssignedIdentity }),
    "azure-native:sql:Server": (i) => ({ uri: i.keyId, identity: i.primaryUserAssignedIdentityId }),
    "azure-native:servicebus:Namespace": (i) => ({ uri: `${i.encryption.keyVaultProperties[0].keyVaultUri}keys/${i.encryption.keyVaultProperties[0].keyName}`, identity: i.encryption.keyVaultProperties[0].identity.userAssignedIdentity }),
    "azure-native:eventhub:Namespace": (i) => ({ uri: `${i.encryption.keyVaultProperties[0].keyVaultUri}keys/${i.encryption.keyVaultProperties[0].keyName}`, identity: i.encryption.keyVaultProperties[0].identity.userAssignedIdentity }),
};

describe("customer-managed keys in the prod stack", () => {
    let run: SharedRun;
    beforeAll(async () => {
        run = await sharedStackRun(root, "prod");
    });

    it("encrypts every storage account, SQL server and messaging namespace with its own key, read by its own identity after its grant", () => {
        const vault = ofType(run, "azure-native:keyvault:Vault").find((candidate) => candidate.name === "keys")!;
        const keys = ofType(run, "azure-native:keyvault:Key");
        const grants = ofType(run, "azure-native:authorization:RoleAssignment").filter((grant) => String(inputs(grant).roleDefinitionId).endsWith(encryptionUser));
        const services = Object.keys(keySettings).flatMap((type) => ofType(run, type));
        expect(services.map((service) => service.name).sort()).toEqual(["appdata", "fnhost", "inventory-sql", "orders-bus"]);
        const seen = new Set<string>();
        for (const service of services) {
            const { uri, identity } = keySettings[service.type](inputs(service), "");
            const sql = service.type === "azure-native:sql:Server";
            const key = keys.find((candidate) => (sql ? candidate.state.keyUriWithVersion : candidate.state.keyUri) === uri);
            expect({ service: service.name, key: key?.name }).toEqual({ service: service.name, key: `${service.name}-cmk` });
            expect(inputs(key!).vaultName).toBe(inputs(vault).vaultName);
            expect(uri).toMatch(sql ? /^https:\/\/kv-keys-[a-z0-9]{5}\.vault\.azure\.net\/keys\/cmk-[a-z-]+\/[0-9a-f]{32}$/ : /^https:\/\/kv-keys-[a-z0-9]{5}\.vault\.azure\.net\/keys\/cmk-[a-z-]+$/);
            expect(identity).toMatch(new RegExp(`/userAssignedIdentities/id-cmk-${service.name}$`));
            expect(inputs(service).identity.userAssignedIdentities).toEqual([identity]);
            // Its identity holds the role on this key only, and the service waits for that grant.
            const principal = ofType(run, "azure-native:managedidentity:UserAssignedIdentity").find((candidate) => candidate.id === identity)!.state.principalId;
            const own = grants.filter((grant) => inputs(grant).principalId === principal);
            expect(own.map((grant) => inputs(grant).scope)).toEqual([key!.id]);
            expect(service.dependencies).toContain(own[0].urn);
            seen.add(identity);
        }
        expect(seen.size).toBe(services.length);
        expect(grants).toHaveLength(services.length);
    });

    it("gives each SQL server an encryption protector on its key with automatic rotation, after the server and its grant", () => {
        const servers = ofType(run, "azure-native:sql:Server");
        const protectors = ofType(run, "azure-native:sql:EncryptionProtector");
        expect(protectors).toHaveLength(servers.length);
        for (const server of servers) {
            const protector = protectors.find((candidate) => inputs(candidate).serverName === server.state.name)!;
            const [, vaultName, keyName, version] = /^https:\/\/([^.]+)\.[^/]+\/keys\/([^/]+)\/([^/]+)$/.exec(inputs(server).keyId)!;
            expect(inputs(protector)).toMatchObject({ encryptionProtectorName: "current", serverKeyType: "AzureKeyVault", serverKeyName: `${vaultName}_${keyName}_${version}`, autoRotationEnabled: true });
            const grant = ofType(run, "azure-native:authorization:RoleAssignment").find((candidate) => String(inputs(candidate).scope).endsWith(`/keys/${keyName}`))!;
            expect(protector.dependencies).toEqual(expect.arrayContaining([server.urn, grant.urn]));
        }
    });

    it("keeps the registry on Microsoft-managed keys, as its config says", () => {
        for (const registry of ofType(run, "azure-native:containerregistry:Registry")) {
            expect(inputs(registry).encryption).toBeUndefined();
        }
    });

    it("keeps the key vault closed but open to trusted services, so every service reaches it for its key", () => {
        const vault = ofType(run, "azure-native:keyvault:Vault").find((candidate) => candidate.name === "keys")!;
        expect(inputs(vault).properties).toMatchObject({ publicNetworkAccess: "Disabled", enablePurgeProtection: true, enableSoftDelete: true, networkAcls: { defaultAction: "Deny", bypass: "AzureServices" } });
        const edges = accessEdges(evaluatedResources(run.resources.filter((resource) => resource.custom)));
        const keyEdges = edges.filter((edge) => edge.kind === "key-access");
        expect(keyEdges.map((edge) => [edge.source?.name, edge.identity, edge.verdict.status === "reachable" ? edge.verdict.via : edge.verdict.status]).sort()).toEqual([
            ["appdata", "cmk-appdata", "trusted-service"],
            ["fnhost", "cmk-fnhost", "trusted-service"],
            ["inventory-sql", "cmk-inventory-sql", "trusted-service"],
            ["orders-bus", "cmk-orders-bus", "trusted-service"],
        ]);
    });

    it("fails the pack's grants-reachable rule when the key vault stops admitting trusted services", () => {
        const noBypass = (props: Inputs) => ({ ...props, properties: { ...props.properties, networkAcls: { ...props.properties.networkAcls, bypass: "None" } } });
        const resources = evaluatedResources(run.resources.filter((resource) => resource.custom)).map((resource) =>
            resource.name === "keys" && resource.type === "azure-native:keyvault:Vault" ? { ...resource, props: noBypass(resource.props), outputs: noBypass(resource.outputs as Inputs) } : resource,
        );
        const findings = evaluateResources(resources, {}, [grantsReachable]);
        expect(findings.map((finding) => finding.resource).sort()).toEqual(["appdata", "fnhost", "inventory-sql", "orders-bus"]);
        expect(findings[0].message).toMatch(/encryption key cmk-[a-z-]+ \(network\): .* cannot reach Vault "keys" \(vault\): .*does not allow trusted services\. Fix: let trusted Azure services pass/);
    });
});

describe("the dev stack", () => {
    it("declares no key, no key grant and no encryption identity: customer-managed keys are off", async () => {
        const run = await sharedStackRun(root, "dev");
        expect(ofType(run, "azure-native:keyvault:Key")).toEqual([]);
        expect(ofType(run, "azure-native:authorization:RoleAssignment").filter((grant) => String(inputs(grant).roleDefinitionId).endsWith(encryptionUser))).toEqual([]);
        expect(ofType(run, "azure-native:managedidentity:UserAssignedIdentity").map((identity) => identity.name).filter((name) => name.startsWith("cmk-"))).toEqual([]);
        for (const type of Object.keys(keySettings)) {
            for (const service of ofType(run, type)) {
                expect(inputs(service).encryption?.keySource ?? "platform").not.toMatch(/keyvault/i);
                expect(inputs(service).keyId).toBeUndefined();
            }
        }
        // The 127 resources from before customer-managed keys existed, plus the key-operations saved search.
        expect(run.resources).toHaveLength(128);
    });
});
