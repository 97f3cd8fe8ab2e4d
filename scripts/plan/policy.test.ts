import { randomBytes } from "crypto";
import { maskMessage } from "./policy";

describe("policy messages in the plan", () => {
    it("mask anything credential-shaped a rule message still holds", () => {
        // Built at test time from random bytes, so that no token-like literal sits in the repository.
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const token = ["gh", "p_", [...randomBytes(36)].map((byte) => alphabet[byte % alphabet.length]).join("")].join("");
        const masked = maskMessage(`WebApp "shop" siteConfig.appSettings[0].value holds ${token}; use a Key Vault reference.`);
        expect(masked).not.toContain(token.slice(4));
        expect(masked).toMatch(/^WebApp "shop" siteConfig\.appSettings\[0\]\.value holds ghp_…\(40 chars\); use a Key Vault reference\.$/);
    });

    it("leave ordinary messages alone", () => {
        const message = 'RoleAssignment "a" roleDefinitionId: grants Key Vault Administrator to a service principal; workloads need Key Vault Secrets User.';
        expect(maskMessage(message)).toBe(message);
    });
});
