import { randomBytes } from "crypto";
import { credentialMarker, isSecretLookingName, plainValueProblem } from "./plainValues";

const key = () => randomBytes(32).toString("base64");

describe("plain value credential check", () => {
    it("finds connection-string keys, passwords and SAS signatures", () => {
        expect(credentialMarker(`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccess${"Key"}=${key()}`)).toBe("SharedAccessKey=");
        expect(credentialMarker(`AccountName=st;Account${"Key"}=${key()}`)).toBe("AccountKey=");
        expect(credentialMarker(`Server=tcp:sql;User ID=app;Pass${"word"}=${key()}`)).toBe("Password=");
        expect(credentialMarker(`https://st.blob.core.windows.net/c?sv=2022-11-02&${"si"}g=${encodeURIComponent(key())}`)).toBe("sig=");
    });

    it("leaves identifiers and ordinary words alone", () => {
        expect(credentialMarker("https://kv-app.vault.azure.net/")).toBeUndefined();
        expect(credentialMarker("mode=design=compact")).toBeUndefined();
        expect(isSecretLookingName("AZURE_CLIENT_ID")).toBe(false);
        expect(isSecretLookingName("KEY_VAULT_URL")).toBe(false);
        expect(isSecretLookingName("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe(false);
    });

    it("flags names that announce a secret, whatever their case or separators", () => {
        for (const name of ["DB_PASSWORD", "apiKey", "Storage-Connection-String", "CLIENT_SECRET", "GITHUB_TOKEN", "sb_access_key"]) {
            expect(isSecretLookingName(name)).toBe(true);
        }
    });

    it("names the setting and the marker, never the value", () => {
        const value = `Account${"Key"}=${key()}`;
        const problem = plainValueProblem("env.STORAGE", "STORAGE", value, "Use an identity.");
        expect(problem).toMatch(/^env\.STORAGE: the value contains "AccountKey=".*Use an identity\.$/);
        expect(problem).not.toContain(value.slice(12));
    });
});
