/**
 * Masks a secret for messages and logs: `Abc1…(88 chars)`. Reveals at most 4 characters, 2 for secrets under
 * 20 characters and none for 8 or fewer, so a short password is never half disclosed.
 */
export function maskSecret(secret: string): string {
    const s = typeof secret === "string" ? secret : String(secret ?? "");
    const n = s.length;
    const reveal = n <= 8 ? 0 : n < 20 ? 2 : 4;
    let prefix = s.slice(0, reveal);
    // Never cut a surrogate pair in half, and never reveal line breaks or control characters.
    prefix = prefix.replace(/[\uD800-\uDFFF\u0000-\u001F\u007F]/g, "");
    return `${prefix}…(${n} chars)`;
}
