/**
 * ARM IDs as keys. The engine does not send resource IDs to stack policies, and new resources have none at
 * preview, so a resource is matched by its ARM type and Azure name (`microsoft.keyvault/vaults/kv-app`), which
 * both an ID and the resource's own name property give.
 */

/** `(type, name)` pairs of an ARM ID below `/providers/`: `[["Microsoft.KeyVault/vaults","kv"],["secrets","s"]]`. */
export function providerSegments(id: string): [string, string][] {
    const at = id.toLowerCase().lastIndexOf("/providers/");
    if (at < 0) {
        return [];
    }
    const parts = id.slice(at + "/providers/".length).replace(/\/+$/, "").split("/");
    if (parts.length < 3) {
        return [];
    }
    const pairs: [string, string][] = [[`${parts[0]}/${parts[1]}`, parts[2]]];
    for (let i = 3; i + 1 < parts.length; i += 2) {
        pairs.push([parts[i], parts[i + 1]]);
    }
    return pairs;
}

/** The key of the top-level resource an ID names or lies under: `microsoft.keyvault/vaults/kv`. */
export function topKey(id: string): string | undefined {
    const [first] = providerSegments(id);
    return first ? `${first[0]}/${first[1]}`.toLowerCase() : undefined;
}

/** The key of a subnet ID: `vnet/subnet` (lower case), or undefined when the ID names no subnet. */
export function subnetKey(id: string): string | undefined {
    const pairs = providerSegments(id);
    if (pairs.length >= 2 && pairs[0][0].toLowerCase() === "microsoft.network/virtualnetworks" && pairs[1][0].toLowerCase() === "subnets") {
        return `${pairs[0][1]}/${pairs[1][1]}`.toLowerCase();
    }
    return undefined;
}

/** The child path under the top-level resource: `blobServices/default/containers/c` → `["blobservices", ...]`. */
export function childTypes(id: string): string[] {
    return providerSegments(id)
        .slice(1)
        .map(([type]) => type.toLowerCase());
}

/** The host of a URL, or undefined. */
export function hostOf(value: string): string | undefined {
    const match = /^[a-z]+:\/\/([^/:?#]+)/i.exec(value.trim());
    return match ? match[1].toLowerCase() : undefined;
}
