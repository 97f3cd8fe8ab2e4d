import { readFileSync } from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { isGuid } from "../shared/naming";
import { Problems, ProblemsError } from "../shared/problems";

/**
 * cloud-init for the stock-tracking app: the script and a systemd unit written to disk, the unit enabled.
 * The unit carries only names (vault, secret, identity client ID); the app fetches its secret at run time
 * with the VM's managed identity, so no credential is ever written on the VM or into custom data.
 */

export const stockTrackerScriptPath = "/opt/keyless/stock-tracker.py";
export const stockTrackerUnitName = "keyless-stock-tracker.service";
export const stockTrackerUnitPath = `/etc/systemd/system/${stockTrackerUnitName}`;

/** Azure refuses custom data larger than 64 KiB. */
export const maxCustomDataBytes = 65535;

export interface CloudInitOptions {
    /** Name of the vault that holds the app's signing key. */
    vaultName: string;
    /** Name of the secret in that vault. */
    secretName: string;
    /** Client ID of the user-assigned identity the app authenticates as. Defaults to the VM's system-assigned identity. */
    clientId?: string;
    /** Localhost port of the app's HTTP endpoint. Defaults to 8080. */
    healthPort?: number;
    /** Seconds between signed stock reports. Defaults to 300. */
    reportIntervalSeconds?: number;
    /** Initial stock levels by SKU. Defaults to the app's own sample stock. */
    stockItems?: Record<string, number>;
    /** The app's source. Defaults to `infra/compute/app/stock-tracker.py`. */
    script?: string;
}

const vaultNamePattern = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const secretNamePattern = /^[0-9A-Za-z-]{1,127}$/;
const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The app's source as it is in the repository. */
export function stockTrackerScript(): string {
    return readFileSync(path.join(__dirname, "app", "stock-tracker.py"), "utf8");
}

/**
 * Checks the app settings that end up in the unit file; returns one message per problem, each key written
 * after `prefix` (such as `app.` for LinuxVm's `app` input). Values must be plain
 * names and numbers, which also keeps them safe to write into an `Environment=` line unquoted.
 */
export function validateCloudInitOptions(prefix: string, options: Partial<CloudInitOptions>): string[] {
    const problems: string[] = [];
    if (options.vaultName !== undefined && !vaultNamePattern.test(options.vaultName)) {
        problems.push(`${prefix}vaultName "${options.vaultName}" must be a Key Vault name: 3-24 letters, digits and '-', starting with a letter.`);
    }
    if (options.secretName !== undefined && !secretNamePattern.test(options.secretName)) {
        problems.push(`${prefix}secretName "${options.secretName}" must be a Key Vault secret name: 1-127 letters, digits and '-'.`);
    }
    if (options.clientId !== undefined && !isGuid(options.clientId)) {
        problems.push(`${prefix}clientId "${options.clientId}" must be the identity's client ID (a GUID).`);
    }
    if (options.healthPort !== undefined && !(Number.isInteger(options.healthPort) && options.healthPort >= 1024 && options.healthPort <= 65535)) {
        problems.push(`${prefix}healthPort ${String(options.healthPort)} must be a whole number from 1024 to 65535 (the app runs unprivileged).`);
    }
    if (options.reportIntervalSeconds !== undefined && !(Number.isInteger(options.reportIntervalSeconds) && options.reportIntervalSeconds >= 1)) {
        problems.push(`${prefix}reportIntervalSeconds ${String(options.reportIntervalSeconds)} must be a whole number of seconds, at least 1.`);
    }
    for (const [sku, count] of Object.entries(options.stockItems ?? {})) {
        if (!skuPattern.test(sku) || !Number.isInteger(count) || count < 0) {
            problems.push(`${prefix}stockItems.${sku} must be a SKU of letters, digits, '.', '_' or '-' with a whole, non-negative count.`);
        }
    }
    return problems;
}

/** The systemd unit: non-secret settings only, the service sandboxed as a throwaway unprivileged user. */
export function renderUnit(options: CloudInitOptions): string {
    const environment: Array<[string, string]> = [
        ["KEYLESS_VAULT_NAME", options.vaultName],
        ["KEYLESS_SECRET_NAME", options.secretName],
        ...(options.clientId ? [["KEYLESS_CLIENT_ID", options.clientId] as [string, string]] : []),
        ["KEYLESS_HEALTH_PORT", String(options.healthPort ?? 8080)],
        ["KEYLESS_REPORT_INTERVAL", String(options.reportIntervalSeconds ?? 300)],
        ...(options.stockItems
            ? [["KEYLESS_STOCK_ITEMS", Object.entries(options.stockItems).map(([sku, count]) => `${sku}=${count}`).join(",")] as [string, string]]
            : []),
        ["PYTHONUNBUFFERED", "1"],
    ];
    return [
        "[Unit]",
        "Description=Keyless stock tracker (reads its signing key from Key Vault with the VM's managed identity)",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        `ExecStart=/usr/bin/python3 ${stockTrackerScriptPath}`,
        ...environment.map(([key, value]) => `Environment=${key}=${value}`),
        "Restart=on-failure",
        "RestartSec=30",
        "DynamicUser=yes",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "LockPersonality=yes",
        "UMask=0077",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

/**
 * Renders the `#cloud-config` document that installs and starts the app. Throws, naming the setting, when a
 * value is not a plain name or number.
 */
export function renderCloudInit(options: CloudInitOptions): string {
    const problems = new Problems("Stock tracker cloud-init");
    problems.addAll(validateCloudInitOptions("", options));
    for (const key of ["vaultName", "secretName"] as const) {
        if (options[key] === undefined) {
            problems.add(`${key} is required.`);
        }
    }
    problems.throwIfAny();
    const script = options.script ?? stockTrackerScript();
    const document = {
        write_files: [
            {
                path: stockTrackerScriptPath,
                owner: "root:root",
                permissions: "0755",
                encoding: "b64",
                content: Buffer.from(script, "utf8").toString("base64"),
            },
            {
                path: stockTrackerUnitPath,
                owner: "root:root",
                permissions: "0644",
                content: renderUnit(options),
            },
        ],
        runcmd: [
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", stockTrackerUnitName],
        ],
    };
    return `#cloud-config\n${YAML.stringify(document, { lineWidth: 0 })}`;
}

/** Base64 custom data for the VM, refused when it would exceed Azure's limit. */
export function encodeCustomData(cloudInit: string): string {
    const bytes = Buffer.byteLength(cloudInit, "utf8");
    if (bytes > maxCustomDataBytes) {
        throw new ProblemsError("Stock tracker cloud-init", [`the rendered document is ${bytes} bytes; Azure accepts at most ${maxCustomDataBytes} bytes of custom data.`]);
    }
    return Buffer.from(cloudInit, "utf8").toString("base64");
}
