import { scanValue } from "@keyless/detect";
import { read, violation } from "../../lib/props";
import { ResourceRule, RuleResource } from "../../lib/types";
import { isUnknown } from "../../lib/unknown";

/**
 * Places that must hold a credential and are guarded elsewhere. The engine hands policies secrets unwrapped
 * (pulumi/pulumi-policy#241), so the pack cannot tell `config.requireSecret` from a literal in these; the program's
 * components refuse anything but a Pulumi secret there (`requireSecretInput`), and the repo scanner keeps literals
 * out of source. Paths are azure-native's input shape, which flattens ARM's `properties` (the ARM shape is accepted too).
 */
interface Sink {
    type: string;
    path: RegExp;
    applies?: (resource: RuleResource) => boolean;
}

const sinks: Sink[] = [
    // The secret's value is the one place a secret belongs.
    { type: "azure-native:keyvault:Secret", path: /^properties\.value$/ },
    // `secureValue` is ACI's write-only, never-returned variable.
    {
        type: "azure-native:containerinstance:ContainerGroup",
        path: /^(?:properties\.)?(?:containers|initContainers)\[\d+\]\.(?:properties\.)?environmentVariables\[\d+\]\.secureValue$/,
    },
    // Windows has no key-only login; Linux VMs must use SSH keys (linux-vm-password-login-disabled).
    { type: "azure-native:compute:VirtualMachine", path: /^(?:properties\.)?osProfile\.adminPassword$/, applies: isWindowsVm },
    // Generated values are outputs, never inputs; they only show up here when a caller passes outputs.
    { type: "random:", path: /^(?:result|bcryptHash)$/ },
];

export function isWindowsVm(resource: RuleResource): boolean {
    const os = resource.props;
    const windowsConfiguration = read(os, "osProfile.windowsConfiguration");
    const osType = read(os, "storageProfile.osDisk.osType");
    const publisher = read(os, "storageProfile.imageReference.publisher");
    const offer = read(os, "storageProfile.imageReference.offer");
    return (
        (windowsConfiguration !== undefined && windowsConfiguration !== null && !isUnknown(windowsConfiguration)) ||
        (typeof osType === "string" && osType.toLowerCase() === "windows") ||
        (typeof publisher === "string" && /windows/i.test(publisher)) ||
        (typeof offer === "string" && /windows/i.test(offer))
    );
}

function sinkPaths(resource: RuleResource): RegExp[] {
    return sinks
        .filter((sink) => (sink.type.endsWith(":") ? resource.type.startsWith(sink.type) : resource.type === sink.type))
        .filter((sink) => !sink.applies || sink.applies(resource))
        .map((sink) => sink.path);
}

export const noHardcodedSecrets: ResourceRule = {
    name: "no-hardcoded-secrets",
    description: "No resource input of any provider holds a hard-coded credential (keys, connection strings with keys, SAS, passwords, tokens, private keys).",
    severity: "critical",
    remediation:
        "Remove the credential. Give the workload a managed identity and an RBAC role on the target instead of a key; " +
        "where a secret is unavoidable, keep it in Key Vault and pass a Key Vault reference (`@Microsoft.KeyVault(SecretUri=...)`) " +
        "or read it with `config.requireSecret` into a Key Vault secret.",
    // Scanners with a matching check work on templates, not on a program's resolved inputs; none is claimed here.
    anchors: {},
    builtins: [],
    mcsb: ["IM-8"],
    service: "secrets",
    defaultLevel: "mandatory",
    justification:
        "A literal credential in a resource input lands in state, plan output and CI logs; it is the failure this project exists to prevent, so it blocks the deployment.",
    check(resource) {
        const skip = sinkPaths(resource);
        const findings = scanValue(resource.props, {
            isUnknown,
            skipPaths: (path) => skip.some((pattern) => pattern.test(path)),
        });
        return findings.map((finding) =>
            violation(resource, finding.path || "(value)", `${finding.description} (${finding.masked}); use a managed identity or a Key Vault reference instead.`),
        );
    },
};
