/**
 * Marvin32, the checksum Microsoft's identifiable keys carry in their last four bytes: a 64-bit seed split in two
 * 32-bit halves, the data folded in little-endian 32-bit words, then collapsed to 32 bits (high half XOR low half).
 * Described in microsoft/security-utilities (src/Microsoft.Security.Utilities.Core/Marvin*.cs, which points at
 * SymCrypt's marvin32.c as the definitive version).
 */
export function marvin32(data: Uint8Array, seed: bigint): number {
    let p0 = Number(seed & 0xffffffffn) >>> 0;
    let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
    const block = () => {
        p1 = (p1 ^ p0) >>> 0;
        p0 = rotateLeft(p0, 20);
        p0 = (p0 + p1) >>> 0;
        p1 = rotateLeft(p1, 9);
        p1 = (p1 ^ p0) >>> 0;
        p0 = rotateLeft(p0, 27);
        p0 = (p0 + p1) >>> 0;
        p1 = rotateLeft(p1, 19);
    };
    const n = data.length;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
        p0 = (p0 + ((data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0)) >>> 0;
        block();
    }
    // The tail (0-3 bytes) is padded with a 0x80 marker byte, so that inputs differing only in trailing zeros differ.
    const rest = n - i;
    let last = 0x80;
    if (rest === 1) last = 0x8000 | data[i];
    else if (rest === 2) last = 0x800000 | data[i] | (data[i + 1] << 8);
    else if (rest === 3) last = (0x80000000 | (data[i + 2] << 16) | data[i] | (data[i + 1] << 8)) >>> 0;
    p0 = (p0 + last) >>> 0;
    block();
    block();
    return (p0 ^ p1) >>> 0;
}

function rotateLeft(v: number, shift: number): number {
    return ((v << shift) | (v >>> (32 - shift))) >>> 0;
}
