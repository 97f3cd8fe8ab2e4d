/** Naming rules shared by Service Bus and Event Hubs, which run on the same platform. */

export type MessagingSku = "Basic" | "Standard" | "Premium";
export const messagingSkus: readonly MessagingSku[] = ["Basic", "Standard", "Premium"];

/** Why a namespace name is refused, or undefined. Namespace names are global DNS names. */
export function namespaceNameProblem(key: string, value: string): string | undefined {
    if (!/^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/.test(value)) {
        return `${key} "${value}" must be 6-50 letters, digits and '-', starting with a letter and ending with a letter or digit.`;
    }
    if (/-(sb|mgmt)$/i.test(value)) {
        return `${key} "${value}" cannot end with "-sb" or "-mgmt" (reserved by Azure).`;
    }
    return undefined;
}

/** Why a queue, topic, event hub, subscription or consumer group name is refused, or undefined. */
export function entityNameProblem(key: string, value: string, maxLength: number): string | undefined {
    const pattern = new RegExp(`^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,${maxLength - 2}}[A-Za-z0-9])?$`);
    return pattern.test(value)
        ? undefined
        : `${key} "${value}" must be 1-${maxLength} letters, digits, '.', '_' or '-', starting and ending with a letter or digit.`;
}

/** The host name SDK clients connect to (`<namespace>.servicebus.windows.net`), from the namespace's endpoint URL. */
export function fullyQualifiedNamespace(endpoint: string): string {
    return new URL(endpoint).hostname;
}
