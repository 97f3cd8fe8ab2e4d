import { generateKeyPairSync, randomBytes } from "crypto";
import { minimumRsaBits, validateSshPublicKey } from "./ssh";
import { ecdsaP256PublicKey, ed25519PublicKey, openSshPrivateKeyShape, rsaKeyPair, sshLine } from "./testKeys";

function lengthPrefixed(data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, data]);
}

describe("validateSshPublicKey", () => {
    let rsa3072: ReturnType<typeof rsaKeyPair>;
    let rsa2048: ReturnType<typeof rsaKeyPair>;

    beforeAll(() => {
        rsa3072 = rsaKeyPair(3072);
        rsa2048 = rsaKeyPair(2048);
    });

    it("accepts an Ed25519 key and returns it on one line", () => {
        const line = ed25519PublicKey("ops team laptop");
        const [type, body] = line.split(" ");
        expect(validateSshPublicKey(`  ${type}   ${body}  ops team laptop \n`)).toEqual({ algorithm: "ssh-ed25519", bits: 256, keyData: line });
        expect(validateSshPublicKey(`${type} ${body}`).keyData).toBe(`${type} ${body}`);
    });

    it("accepts an RSA key of 3072 bits and reports its size", () => {
        const info = validateSshPublicKey(rsa3072.publicLine);
        expect(info.algorithm).toBe("ssh-rsa");
        expect(info.bits).toBe(3072);
    });

    it("refuses an RSA key below the minimum, naming its size", () => {
        expect(minimumRsaBits).toBe(3072);
        expect(() => validateSshPublicKey(rsa2048.publicLine, "vm sshPublicKey")).toThrow(
            "vm sshPublicKey is a 2048-bit RSA key; use at least 3072 bits",
        );
    });

    it.each([
        ["PKCS#8 PEM", () => rsa2048.privatePem],
        ["PKCS#1 PEM", () => rsa2048.privatePkcs1],
        ["OpenSSH", () => openSshPrivateKeyShape()],
        ["Ed25519 PKCS#8 PEM", () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString()],
    ])("refuses a %s private key pasted by mistake, without echoing it", (_label, make) => {
        const pasted = make();
        let message = "";
        try {
            validateSshPublicKey(pasted);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toMatch(/^sshPublicKey holds a PRIVATE key\. Never put a private key in stack config or code: rotate it/);
        // No run of the key's body appears in the message.
        const body = pasted.split("\n").filter((line) => line && !line.startsWith("-----")).join("");
        for (let start = 0; start + 8 <= body.length; start += 8) {
            expect(message).not.toContain(body.slice(start, start + 8));
        }
    });

    it("refuses ECDSA keys, which Azure does not accept for Linux VMs", () => {
        expect(() => validateSshPublicKey(ecdsaP256PublicKey())).toThrow(
            "sshPublicKey has key type ecdsa-sha2-nistp256, which Azure does not accept for Linux VMs; use ssh-ed25519 or ssh-rsa (3072+ bits).",
        );
    });

    it("refuses PEM and SSH2 public keys with the conversion command", () => {
        const pem = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString();
        expect(() => validateSshPublicKey(pem)).toThrow("convert it to OpenSSH format with `ssh-keygen -i -m PKCS8 -f <file>`");
        expect(() => validateSshPublicKey(`---- BEGIN SSH2 PUBLIC KEY ----\n${randomBytes(40).toString("base64")}\n---- END SSH2 PUBLIC KEY ----`)).toThrow(
            "is a PEM or SSH2 public key",
        );
    });

    it("refuses garbage without repeating it", () => {
        const garbage = `token-${randomBytes(12).toString("hex")}`;
        let message = "";
        try {
            validateSshPublicKey(garbage);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toBe("sshPublicKey must start with ssh-ed25519 or ssh-rsa (OpenSSH public key format); generate one with `ssh-keygen -t ed25519` and pass the contents of the .pub file.");
        expect(message).not.toContain(garbage);
    });

    it("refuses empty input and non-strings", () => {
        expect(() => validateSshPublicKey("   ")).toThrow('sshPublicKey must be an OpenSSH public key line such as "ssh-ed25519 AAAA... user@host"');
        expect(() => validateSshPublicKey(undefined as unknown as string)).toThrow("sshPublicKey must be an OpenSSH public key line");
    });

    it("refuses several keys at once and authorized_keys options", () => {
        expect(() => validateSshPublicKey(`${ed25519PublicKey()}\n${ed25519PublicKey()}`)).toThrow("must be a single key on one line");
        expect(() => validateSshPublicKey(`from="10.0.0.0/8" ${ed25519PublicKey()}`)).toThrow("must start with ssh-ed25519 or ssh-rsa");
    });

    it("refuses a body that is not base64, is truncated, has trailing data or encodes another type", () => {
        const line = ed25519PublicKey();
        const [type, body] = line.split(" ");
        expect(() => validateSshPublicKey(`${type} not*base64`)).toThrow("has a ssh-ed25519 prefix but its key body is not base64");
        expect(() => validateSshPublicKey(type)).toThrow("its key body is not base64");
        const truncated = Buffer.from(body, "base64").subarray(0, 30).toString("base64");
        expect(() => validateSshPublicKey(`${type} ${truncated}`)).toThrow("is not a valid ssh-ed25519 key: its key body is truncated");
        const trailing = Buffer.concat([Buffer.from(body, "base64"), Buffer.from([0, 0, 0, 0])]).toString("base64");
        expect(() => validateSshPublicKey(`${type} ${trailing}`)).toThrow("its key body has trailing data");
        expect(() => validateSshPublicKey(`ssh-rsa ${body}`)).toThrow("declares ssh-rsa but its key body encodes a different key type");
        const shortKey = sshLine("ssh-ed25519", [lengthPrefixed(randomBytes(31))]);
        expect(() => validateSshPublicKey(shortKey)).toThrow("the public key must be 32 bytes");
        const evenExponent = sshLine("ssh-rsa", [lengthPrefixed(Buffer.from([2])), lengthPrefixed(Buffer.concat([Buffer.from([0]), randomBytes(384)]))]);
        expect(() => validateSshPublicKey(evenExponent)).toThrow("its public exponent is not an odd number above 1");
    });
});
