/** Tags every Keyless resource carries, so that ownership and the managing stack are visible in the portal. */
export type Tags = Record<string, string>;

export function standardTags(project: string, stack: string, extra: Tags = {}): Tags {
    return { "managed-by": "pulumi", "keyless:project": project, "keyless:stack": stack, ...extra };
}
