import { SeededRandom } from "@keyless/detect/corpus";

/**
 * Inputs for the detector benchmark, generated from a seed: realistic documents of the three shapes the policy
 * pack reads (cloud-init user data, App Service app settings as JSON, ARM templates) with a few planted
 * credentials, and adversarial strings that would expose super-linear scanning. Key material is generated here at
 * run time; nothing credential-shaped is written in the source.
 */

export type DocumentKind = "cloud-init" | "app-settings" | "arm-template";

export interface Document {
    kind: DocumentKind;
    text: string;
    /** For JSON documents, the parsed value (what the pack's value walk sees). */
    value?: unknown;
    /** Credentials planted in this document, with the detector kind expected for each. */
    planted: { kind: string; secret: string }[];
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

function word(r: SeededRandom, min = 4, max = 10): string {
    return r.from(LOWER, min + r.int(max - min + 1));
}

function cloudInit(r: SeededRandom, index: number, plant: boolean): Document {
    const app = `${word(r)}-${index}`;
    const vault = `kv-${word(r, 4, 8)}`;
    const planted: Document["planted"] = [];
    const envLines = [
        `APP_NAME=${app}`,
        `VAULT_URL=https://${vault}.vault.azure.net/`,
        `AZURE_CLIENT_ID=${r.guid()}`,
        `LOG_LEVEL=info`,
        `QUEUE_NAME=${word(r)}`,
    ];
    if (plant) {
        const key = r.accountKey();
        envLines.push(`STORAGE=DefaultEndpointsProtocol=https;AccountName=st${r.from(LOWER + DIGITS, 10)};AccountKey=${key};EndpointSuffix=core.windows.net`);
        planted.push({ kind: "storage-connection-string", secret: key });
    }
    const script = [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        `TOKEN=$(curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id=$AZURE_CLIENT_ID" | jq -r .access_token)`,
        `curl -s -H "Authorization: Bearer $TOKEN" "$VAULT_URL/secrets/${word(r)}?api-version=7.4" | jq -r .value > /run/${app}/key`,
        `exec /opt/${app}/bin/${app} --config /etc/${app}/config.yaml`,
    ];
    const text = [
        "#cloud-config",
        "package_update: true",
        "packages:",
        ...["python3", "python3-pip", "jq", "curl", "nginx", word(r)].map((p) => `  - ${p}`),
        "users:",
        `  - name: ${word(r)}`,
        "    groups: [sudo]",
        "    shell: /bin/bash",
        `    ssh_authorized_keys: [ "ssh-ed25519 ${r.base64(51).slice(0, 68)} ${word(r)}@ops" ]`,
        "write_files:",
        `  - path: /etc/${app}/env`,
        "    permissions: '0640'",
        "    content: |",
        ...envLines.map((line) => `      ${line}`),
        `  - path: /opt/${app}/start.sh`,
        "    permissions: '0755'",
        "    content: |",
        ...script.map((line) => `      ${line}`),
        `  - path: /etc/systemd/system/${app}.service`,
        "    content: |",
        "      [Unit]",
        `      Description=${app}`,
        "      After=network-online.target",
        "      [Service]",
        `      EnvironmentFile=/etc/${app}/env`,
        `      ExecStart=/opt/${app}/start.sh`,
        "      Restart=always",
        "      [Install]",
        "      WantedBy=multi-user.target",
        `  - path: /etc/${app}/config.yaml`,
        "    content: |",
        ...Array.from({ length: 20 + r.int(40) }, (_, i) => `      ${word(r)}_${i}: ${r.int(3) === 0 ? r.guid() : word(r, 3, 16)}`),
        "runcmd:",
        "  - systemctl daemon-reload",
        `  - systemctl enable --now ${app}.service`,
        "",
    ].join("\n");
    return { kind: "cloud-init", text, planted };
}

function appSettings(r: SeededRandom, index: number, plant: boolean): Document {
    const vault = `kv-${word(r, 4, 8)}`;
    const account = `st${r.from(LOWER + DIGITS, 10)}`;
    const settings: { name: string; value: string; slotSetting: boolean }[] = [
        { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: `InstrumentationKey=${r.guid()};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`, slotSetting: false },
        { name: "AzureWebJobsStorage__accountName", value: account, slotSetting: false },
        { name: "AzureWebJobsStorage__credential", value: "managedidentity", slotSetting: false },
        { name: "AzureWebJobsStorage__clientId", value: r.guid(), slotSetting: false },
        { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4", slotSetting: false },
        { name: "WEBSITE_RUN_FROM_PACKAGE", value: "1", slotSetting: false },
    ];
    for (let i = 0; i < 30 + r.int(50); i++) {
        const name = `${word(r).toUpperCase()}_${i}`;
        switch (r.int(5)) {
            case 0:
                settings.push({ name: `${name}_SECRET`, value: `@Microsoft.KeyVault(SecretUri=https://${vault}.vault.azure.net/secrets/${word(r)}/)`, slotSetting: false });
                break;
            case 1:
                settings.push({ name: `${name}_URL`, value: `https://${word(r)}.azurewebsites.net/api/${word(r)}`, slotSetting: false });
                break;
            case 2:
                settings.push({ name, value: String(r.int(10000)), slotSetting: r.int(2) === 0 });
                break;
            case 3:
                settings.push({ name: `${name}__serviceUri`, value: `https://${account}.queue.core.windows.net`, slotSetting: false });
                break;
            default:
                settings.push({ name, value: `${word(r)} ${word(r)} ${word(r)}`, slotSetting: false });
        }
    }
    const planted: Document["planted"] = [];
    if (plant) {
        if (index % 2 === 0) {
            const secret = r.entraSecret();
            settings.push({ name: "GRAPH_CLIENT_SECRET", value: secret, slotSetting: true });
            planted.push({ kind: "entra-client-secret", secret });
        } else {
            const sig = encodeURIComponent(r.base64(32));
            settings.push({
                name: "EXPORT_URL",
                value: `https://${account}.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${sig}`,
                slotSetting: false,
            });
            planted.push({ kind: "sas-token", secret: sig });
        }
    }
    const value = { name: `app-${word(r)}-${index}`, properties: { siteConfig: { appSettings: settings } } };
    return { kind: "app-settings", text: JSON.stringify(value, null, 2), value, planted };
}

function armTemplate(r: SeededRandom, index: number, plant: boolean): Document {
    const planted: Document["planted"] = [];
    const parameters: Record<string, unknown> = {
        location: { type: "string", defaultValue: "[resourceGroup().location]" },
        environment: { type: "string", allowedValues: ["dev", "test", "prod"], defaultValue: "dev" },
        adminObjectId: { type: "string", defaultValue: r.guid() },
    };
    if (plant) {
        const key = r.accountKey();
        parameters.legacyStorageKey = { type: "securestring", defaultValue: key };
        planted.push({ kind: "storage-account-key", secret: key });
    }
    const resources = Array.from({ length: 8 + r.int(16) }, (_, i) => {
        const name = `${word(r)}${i}`;
        switch (i % 4) {
            case 0:
                return {
                    type: "Microsoft.Storage/storageAccounts",
                    apiVersion: "2023-05-01",
                    name: `st${name}`.slice(0, 24),
                    location: "[parameters('location')]",
                    sku: { name: "Standard_LRS" },
                    kind: "StorageV2",
                    properties: { allowSharedKeyAccess: false, minimumTlsVersion: "TLS1_2", networkAcls: { defaultAction: "Deny", bypass: "AzureServices" } },
                };
            case 1:
                return {
                    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
                    apiVersion: "2023-01-31",
                    name: `id-${name}`,
                    location: "[parameters('location')]",
                };
            case 2:
                return {
                    type: "Microsoft.Authorization/roleAssignments",
                    apiVersion: "2022-04-01",
                    name: `[guid(resourceGroup().id, '${name}')]`,
                    properties: {
                        roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${r.guid()}')]`,
                        principalId: `[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-${name}')).principalId]`,
                        principalType: "ServicePrincipal",
                    },
                };
            default:
                return {
                    type: "Microsoft.Web/sites",
                    apiVersion: "2023-12-01",
                    name: `app-${name}`,
                    location: "[parameters('location')]",
                    identity: { type: "UserAssigned", userAssignedIdentities: { [`[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-${name}')]`]: {} } },
                    properties: {
                        httpsOnly: true,
                        siteConfig: {
                            minTlsVersion: "1.2",
                            ftpsState: "Disabled",
                            appSettings: [
                                { name: "AZURE_CLIENT_ID", value: `[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-${name}')).clientId]` },
                                { name: "DATA__blobServiceUri", value: `https://st${name}.blob.core.windows.net` },
                            ],
                        },
                    },
                };
        }
    });
    const value = {
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        contentVersion: "1.0.0.0",
        metadata: { description: `Template ${index}`, generator: { name: "bicep", version: "0.30.23.60470", templateHash: String(r.int(2 ** 31)) } },
        parameters,
        variables: { suffix: "[uniqueString(resourceGroup().id)]", tags: { environment: "[parameters('environment')]", owner: word(r) } },
        resources,
        outputs: { identityIds: { type: "array", value: "[map(range(0, 3), i => resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('id-{0}', i)))]" } },
    };
    return { kind: "arm-template", text: JSON.stringify(value, null, 2), value, planted };
}

/**
 * About `totalBytes` of documents, a third of the bytes of each kind, in a fixed interleaving. One document in
 * `plantEvery` of each kind carries a planted credential.
 */
export function realisticCorpus(seed: number, totalBytes: number, plantEvery = 150): Document[] {
    const r = new SeededRandom(seed);
    const makers = [cloudInit, appSettings, armTemplate];
    const bytes = [0, 0, 0];
    const counts = [0, 0, 0];
    const out: Document[] = [];
    let total = 0;
    while (total < totalBytes) {
        // Next, the kind with the fewest bytes so far: keeps the three near a third each.
        const k = bytes.indexOf(Math.min(...bytes));
        const index = counts[k]++;
        const doc = makers[k](r, index, index % plantEvery === plantEvery - 1);
        out.push(doc);
        bytes[k] += doc.text.length;
        total += doc.text.length;
    }
    return out;
}

/** Adversarial inputs of `n` characters each: long runs that tempt a backtracking regex. */
export function adversarialInputs(seed: number): Record<string, (n: number) => string> {
    const r = new SeededRandom(seed);
    const base64Pool = r.base64(3 * 1024 * 1024).replace(/=/g, "");
    const repeatTo = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    return {
        "'=' run": (n) => "=".repeat(n),
        "'a' run": (n) => "a".repeat(n),
        "base64 alphabet run": (n) => base64Pool.slice(0, n),
        "'AccountKey=' repeated": (n) => repeatTo("AccountKey=", n),
        "'sig=' repeated": (n) => repeatTo("sig=", n),
        "SAS parameters repeated": (n) => repeatTo("sv=2022-11-02&se=2030-01-01&sig=", n),
        "'sv=…&sig=' repeated": (n) => repeatTo("sv=2022&sig=", n),
        "'password=' repeated": (n) => repeatTo("password=", n),
        // Joined at run time, so that the repository's own secret scan does not read a password here.
        "'Pwd=' in a connection string repeated": (n) => repeatTo(["Server=x;Pwd=", "Ab1!xyz9;"].join(""), n),
        "PEM headers repeated": (n) => repeatTo("-----BEGIN PRIVATE KEY-----\n", n),
        "PEM bodies without an END line": (n) => repeatTo(`-----BEGIN PRIVATE KEY-----\n${base64Pool.slice(0, 64)}\n-----END \n`, n),
        "signatures without SAS parameters": (n) => repeatTo(`sig=${base64Pool.slice(100, 144)}&`, n),
        "JWT starts repeated": (n) => repeatTo("eyJhbGciOi.", n),
        "URL-like runs": (n) => repeatTo("https://a:", n),
        "keyword assignments": (n) => repeatTo("token: ", n),
        "Entra-like fragments": (n) => repeatTo("abc1Q~", n),
        "deep JSON nesting": (n) => {
            const unit = '{"password":';
            const depth = Math.floor((n - 2) / (unit.length + 1));
            return `${unit.repeat(depth)}""${"}".repeat(depth)}`.padEnd(n, " ");
        },
    };
}
