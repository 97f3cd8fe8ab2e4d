import { randomUUID } from "crypto";
import * as YAML from "yaml";
import { ProblemsError } from "../shared/problems";
import {
    encodeCustomData,
    maxCustomDataBytes,
    renderCloudInit,
    stockTrackerScript,
    stockTrackerScriptPath,
    stockTrackerUnitName,
    stockTrackerUnitPath,
} from "./cloudInit";

interface WriteFile {
    path: string;
    owner: string;
    permissions: string;
    encoding?: string;
    content: string;
}

interface CloudConfig {
    write_files: WriteFile[];
    runcmd: string[][];
}

function parse(rendered: string): CloudConfig {
    expect(rendered.startsWith("#cloud-config\n")).toBe(true);
    return YAML.parse(rendered.slice("#cloud-config\n".length)) as CloudConfig;
}

function environment(unit: string): Record<string, string> {
    return Object.fromEntries(
        unit
            .split("\n")
            .filter((line) => line.startsWith("Environment="))
            .map((line) => {
                const assignment = line.slice("Environment=".length);
                const eq = assignment.indexOf("=");
                return [assignment.slice(0, eq), assignment.slice(eq + 1)];
            }),
    );
}

describe("renderCloudInit", () => {
    const clientId = randomUUID();

    it("writes the app and its unit, then enables and starts the unit", () => {
        const config = parse(renderCloudInit({ vaultName: "kv-stock-a1b2", secretName: "report-signing-key", clientId }));
        const [script, unit] = config.write_files;
        expect(script).toMatchObject({ path: stockTrackerScriptPath, owner: "root:root", permissions: "0755", encoding: "b64" });
        expect(Buffer.from(script.content, "base64").toString("utf8")).toBe(stockTrackerScript());
        expect(unit).toMatchObject({ path: stockTrackerUnitPath, owner: "root:root", permissions: "0644" });
        expect(unit.encoding).toBeUndefined();
        expect(config.runcmd).toEqual([
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", stockTrackerUnitName],
        ]);

        expect(unit.content).toContain(`ExecStart=/usr/bin/python3 ${stockTrackerScriptPath}\n`);
        expect(unit.content).toContain("\nWantedBy=multi-user.target\n");
        for (const hardening of ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "UMask=0077"]) {
            expect(unit.content.split("\n")).toContain(hardening);
        }
    });

    it("passes only names and numbers to the app: vault, secret, client ID, port, interval", () => {
        const config = parse(
            renderCloudInit({ vaultName: "kv-stock-a1b2", secretName: "report-signing-key", clientId, healthPort: 9090, reportIntervalSeconds: 60, stockItems: { widget: 3, "bolt-m4": 250 } }),
        );
        const unit = config.write_files[1].content;
        expect(environment(unit)).toEqual({
            KEYLESS_VAULT_NAME: "kv-stock-a1b2",
            KEYLESS_SECRET_NAME: "report-signing-key",
            KEYLESS_CLIENT_ID: clientId,
            KEYLESS_HEALTH_PORT: "9090",
            KEYLESS_REPORT_INTERVAL: "60",
            KEYLESS_STOCK_ITEMS: "widget=3,bolt-m4=250",
            PYTHONUNBUFFERED: "1",
        });
        // No other way of handing the service a credential.
        expect(unit).not.toMatch(/EnvironmentFile|LoadCredential|SetCredential|Bearer|access_token|client_secret|password/i);
        // The test-only endpoints are never set on a real VM: the app talks to IMDS and the real vault.
        expect(unit).not.toMatch(/KEYLESS_IMDS_ENDPOINT|KEYLESS_VAULT_URL|KEYLESS_RETRY_BASE/);
    });

    it("leaves the client ID out for the system-assigned identity and applies defaults", () => {
        const unit = parse(renderCloudInit({ vaultName: "kv-stock", secretName: "signing" })).write_files[1].content;
        expect(environment(unit)).toEqual({
            KEYLESS_VAULT_NAME: "kv-stock",
            KEYLESS_SECRET_NAME: "signing",
            KEYLESS_HEALTH_PORT: "8080",
            KEYLESS_REPORT_INTERVAL: "300",
            PYTHONUNBUFFERED: "1",
        });
    });

    it("refuses values that are not plain names, so nothing can be injected into the unit", () => {
        const refused = (options: Parameters<typeof renderCloudInit>[0], problems: string[]) =>
            expect(() => renderCloudInit(options)).toThrow(new ProblemsError("Stock tracker cloud-init", problems));
        refused({ vaultName: "kv\nExecStartPre=/bin/sh", secretName: "s" }, [
            'vaultName "kv\nExecStartPre=/bin/sh" must be a Key Vault name: 3-24 letters, digits and \'-\', starting with a letter.',
        ]);
        refused({ vaultName: "kv-ok", secretName: "bad name" }, ['secretName "bad name" must be a Key Vault secret name: 1-127 letters, digits and \'-\'.']);
        refused({ vaultName: "kv-ok", secretName: "s", clientId: "not-a-guid" }, ['clientId "not-a-guid" must be the identity\'s client ID (a GUID).']);
        refused({ vaultName: "kv-ok", secretName: "s", healthPort: 80 }, ["healthPort 80 must be a whole number from 1024 to 65535 (the app runs unprivileged)."]);
        refused({ vaultName: "kv-ok", secretName: "s", reportIntervalSeconds: 0.5 }, ["reportIntervalSeconds 0.5 must be a whole number of seconds, at least 1."]);
        refused({ vaultName: "kv-ok", secretName: "s", stockItems: { "a=b": 1 } }, [
            "stockItems.a=b must be a SKU of letters, digits, '.', '_' or '-' with a whole, non-negative count.",
        ]);
        refused({ vaultName: "", secretName: "s" }, ['vaultName "" must be a Key Vault name: 3-24 letters, digits and \'-\', starting with a letter.']);
        refused({ secretName: "s", healthPort: 80 } as Parameters<typeof renderCloudInit>[0], [
            "healthPort 80 must be a whole number from 1024 to 65535 (the app runs unprivileged).",
            "vaultName is required.",
        ]);
    });

    it("embeds a different script when given one", () => {
        const config = parse(renderCloudInit({ vaultName: "kv-ok", secretName: "s", script: "print('hi')\n" }));
        expect(Buffer.from(config.write_files[0].content, "base64").toString()).toBe("print('hi')\n");
    });
});

describe("encodeCustomData", () => {
    it("base64-encodes the document", () => {
        const rendered = renderCloudInit({ vaultName: "kv-ok", secretName: "s" });
        expect(Buffer.from(encodeCustomData(rendered), "base64").toString("utf8")).toBe(rendered);
    });

    it("refuses custom data above Azure's 64 KiB limit", () => {
        expect(() => encodeCustomData("#cloud-config\n" + "x".repeat(maxCustomDataBytes))).toThrow(
            new ProblemsError("Stock tracker cloud-init", [
                `the rendered document is ${maxCustomDataBytes + 14} bytes; Azure accepts at most ${maxCustomDataBytes} bytes of custom data.`,
            ]),
        );
    });
});
