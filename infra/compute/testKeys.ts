import { generateKeyPairSync, randomBytes } from "crypto";

/**
 * SSH key material for tests, generated fresh on every run so that no key is ever committed. Builds the
 * OpenSSH public key line (RFC 4253 wire format, base64) from keys Node generates.
 */

function sshString(data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, data]);
}

function mpint(unsigned: Buffer): Buffer {
    let start = 0;
    while (start < unsigned.length - 1 && unsigned[start] === 0) {
        start++;
    }
    const trimmed = unsigned.subarray(start);
    return sshString(trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** Encodes an OpenSSH public key line from its wire fields. */
export function sshLine(type: string, fields: Buffer[], comment?: string): string {
    const body = Buffer.concat([sshString(Buffer.from(type)), ...fields]).toString("base64");
    return comment ? `${type} ${body} ${comment}` : `${type} ${body}`;
}

export function ed25519PublicKey(comment = "ops@example.test"): string {
    const { publicKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
    return sshLine("ssh-ed25519", [sshString(raw)], comment);
}

export function rsaKeyPair(bits: number): { publicLine: string; privatePem: string; privatePkcs1: string } {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
    const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
    return {
        publicLine: sshLine("ssh-rsa", [mpint(Buffer.from(jwk.e, "base64url")), mpint(Buffer.from(jwk.n, "base64url"))], "ops@example.test"),
        privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
        privatePkcs1: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    };
}

export function ecdsaP256PublicKey(): string {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const point = publicKey.export({ format: "der", type: "spki" }).subarray(-65);
    return sshLine("ecdsa-sha2-nistp256", [sshString(Buffer.from("nistp256")), sshString(point)]);
}

/** The shape of an OpenSSH-format private key file, with random contents, assembled at run time. */
export function openSshPrivateKeyShape(): string {
    const label = ["OPENSSH", "PRIVATE", "KEY"].join(" ");
    const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), randomBytes(300)]).toString("base64");
    const lines = body.match(/.{1,70}/g) ?? [];
    return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ""].join("\n");
}
