import { randomBytes, randomInt } from "crypto";

/**
 * Credentials for tests, generated at random and assembled from parts at run time, so that the repository holds
 * no credential-shaped literal and the repository scanner stays clean. Each call returns a fresh one: `text` is the
 * whole value, `secret` its random part, which no message may show more than 4 characters of.
 */
export interface TestCredential {
    text: string;
    secret: string;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const alnum = (length: number) => Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join("");
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A classic GitHub personal access token: the `ghp_` prefix and 36 random letters and digits. */
export function githubToken(): TestCredential {
    const secret = alnum(36);
    return { text: ["gh", "p_", secret].join(""), secret };
}

/** A signed JSON Web Token: header, claims and a random HS256 signature. */
export function jsonWebToken(): TestCredential {
    const secret = randomBytes(32).toString("base64url");
    return { text: [base64url({ alg: "HS256", typ: "JWT" }), base64url({ sub: alnum(12), aud: "api://shop" }), secret].join("."), secret };
}

/** A blob URL signed with a shared access signature (`sv=`, `sp=`, `sig=`). */
export function sasUrl(account = "stshop"): TestCredential {
    const secret = encodeURIComponent(randomBytes(32).toString("base64"));
    return { text: `https://${account}.blob.core.windows.net/c/b.csv?sv=2022-11-02&sp=r&${"si"}g=${secret}`, secret };
}

/** A storage connection string with a 64-byte account key. */
export function storageConnectionString(account = "stshop"): TestCredential {
    const secret = randomBytes(64).toString("base64");
    return {
        text: ["DefaultEndpointsProtocol=https", `AccountName=${account}`, ["Account", "Key=", secret].join(""), "EndpointSuffix=core.windows.net"].join(";"),
        secret,
    };
}

/** True when `message` holds 5 or more consecutive characters of `secret`. */
export function revealsMoreThan4(message: string, secret: string): boolean {
    for (let i = 0; i + 5 <= secret.length; i++) {
        if (message.includes(secret.slice(i, i + 5))) {
            return true;
        }
    }
    return false;
}
