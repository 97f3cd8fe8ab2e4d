/**
 * Validation of the one SSH public key a Linux VM trusts. Azure reports a malformed key only at deploy time,
 * and a private key pasted into config by mistake would be stored in the stack and sent to Azure, so the key
 * is checked before anything is declared. Error messages never repeat the key's contents.
 */

/** Key types Azure accepts for Linux VMs: RSA and Ed25519 (Azure refuses ECDSA, DSA and security-key types). */
export type SshKeyAlgorithm = "ssh-ed25519" | "ssh-rsa";

export interface SshPublicKeyInfo {
    algorithm: SshKeyAlgorithm;
    /** Modulus size for RSA; 256 for Ed25519. */
    bits: number;
    /** The key as it goes to Azure: `<type> <base64> [comment]` on one line. */
    keyData: string;
}

/** Azure accepts RSA keys from 2048 bits; NIST plans to retire 2048-bit RSA after 2030, so Keyless asks for 3072. */
export const minimumRsaBits = 3072;

const accepted: readonly string[] = ["ssh-ed25519", "ssh-rsa"];
const knownButRefused: readonly string[] = [
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-dss",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];
const howToGenerate = "generate one with `ssh-keygen -t ed25519` and pass the contents of the .pub file";

class WireReader {
    private offset = 0;
    constructor(private readonly buffer: Buffer) {}

    bytes(): Buffer {
        if (this.offset + 4 > this.buffer.length) {
            throw new Error("truncated");
        }
        const length = this.buffer.readUInt32BE(this.offset);
        const start = this.offset + 4;
        if (start + length > this.buffer.length) {
            throw new Error("truncated");
        }
        this.offset = start + length;
        return this.buffer.subarray(start, start + length);
    }

    get done(): boolean {
        return this.offset === this.buffer.length;
    }
}

function bitLength(mpint: Buffer): number {
    let index = 0;
    while (index < mpint.length && mpint[index] === 0) {
        index++;
    }
    if (index === mpint.length) {
        return 0;
    }
    return (mpint.length - index - 1) * 8 + (32 - Math.clz32(mpint[index]));
}

/**
 * Checks an OpenSSH public key line (`ssh-ed25519 AAAA... comment` or `ssh-rsa AAAA... comment`) and returns
 * its algorithm, size and the line to send to Azure. Throws a message naming `inputName` and what is expected.
 */
export function validateSshPublicKey(key: string, inputName = "sshPublicKey"): SshPublicKeyInfo {
    const fail = (problem: string): never => {
        throw new Error(`${inputName} ${problem}`);
    };
    if (typeof key !== "string" || key.trim() === "") {
        return fail(`must be an OpenSSH public key line such as "ssh-ed25519 AAAA... user@host"; ${howToGenerate}.`);
    }
    const text = key.trim();
    if (/PRIVATE KEY/.test(text) || /^PuTTY-User-Key-File/m.test(text)) {
        return fail(
            `holds a PRIVATE key. Never put a private key in stack config or code: rotate it (it may already be in ` +
                `your shell history or a stack file), then pass the public half, the .pub file.`,
        );
    }
    if (/^-{4,5} ?BEGIN /.test(text)) {
        return fail(`is a PEM or SSH2 public key; convert it to OpenSSH format with \`ssh-keygen -i -m PKCS8 -f <file>\` (or -m RFC4716).`);
    }
    if (/[\r\n]/.test(text)) {
        return fail(`must be a single key on one line; got several lines.`);
    }
    const [type, body, ...comment] = text.split(/\s+/);
    if (!accepted.includes(type)) {
        if (knownButRefused.includes(type)) {
            return fail(`has key type ${type}, which Azure does not accept for Linux VMs; use ssh-ed25519 or ssh-rsa (${minimumRsaBits}+ bits).`);
        }
        return fail(`must start with ssh-ed25519 or ssh-rsa (OpenSSH public key format); ${howToGenerate}.`);
    }
    if (body === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
        return fail(`has a ${type} prefix but its key body is not base64; copy the whole line from the .pub file.`);
    }
    const reader = new WireReader(Buffer.from(body, "base64"));
    let bits: number;
    try {
        if (reader.bytes().toString("latin1") !== type) {
            return fail(`declares ${type} but its key body encodes a different key type.`);
        }
        if (type === "ssh-ed25519") {
            if (reader.bytes().length !== 32) {
                return fail(`is not a valid ssh-ed25519 key: the public key must be 32 bytes.`);
            }
            bits = 256;
        } else {
            const exponent = reader.bytes();
            bits = bitLength(reader.bytes());
            if (bitLength(exponent) < 2 || (exponent[exponent.length - 1] & 1) === 0) {
                return fail(`is not a valid ssh-rsa key: its public exponent is not an odd number above 1.`);
            }
        }
    } catch (error) {
        if ((error as Error).message === "truncated") {
            return fail(`is not a valid ${type} key: its key body is truncated; copy the whole line from the .pub file.`);
        }
        throw error;
    }
    if (!reader.done) {
        return fail(`is not a valid ${type} key: its key body has trailing data.`);
    }
    if (type === "ssh-rsa" && bits < minimumRsaBits) {
        return fail(`is a ${bits}-bit RSA key; use at least ${minimumRsaBits} bits (\`ssh-keygen -t rsa -b 4096\`) or, better, ssh-ed25519.`);
    }
    return {
        algorithm: type as SshKeyAlgorithm,
        bits,
        keyData: [type, body, ...comment].join(" "),
    };
}
