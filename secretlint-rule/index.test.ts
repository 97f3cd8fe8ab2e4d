import { execFileSync } from "child_process";
import { randomInt } from "crypto";
import * as path from "path";
import { SeededRandom } from "@keyless/detect/corpus";
import { identifiableFormats } from "@keyless/detect/identifiable";

interface Message {
    ruleId: string;
    messageId: string;
    message: string;
    range: [number, number];
    severity: string;
}

/** The rule run by @secretlint/core itself, in a child process (secretlint is ES modules only). */
function lint(content: string, allowMessageIds?: string[]): Message[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "lint-child.mjs")], { input: JSON.stringify({ content, allowMessageIds }), encoding: "utf8", cwd: __dirname });
    return JSON.parse(out) as Message[];
}

const r = new SeededRandom(randomInt(0, 2 ** 31));

describe("@keyless/secretlint-rule-keyless under @secretlint/core", () => {
    it("reports Azure credentials that secretlint's own rules do not know, with their range and a masked message", () => {
        const redis = r.identifiableKey(identifiableFormats.find((f) => f.signature === "AzCa")!);
        const entra = r.entraSecret();
        const content = `CACHE=${redis}\nAZURE_CLIENT_SECRET=${entra}\n`;
        const messages = lint(content);
        expect(messages.map((m) => [m.ruleId, m.messageId])).toEqual([
            ["@keyless/secretlint-rule-keyless", "redis-password"],
            ["@keyless/secretlint-rule-keyless", "entra-client-secret"],
        ]);
        expect(content.slice(...messages[0].range)).toBe(redis);
        expect(content.slice(...messages[1].range)).toBe(entra);
        for (const [m, secret] of [[messages[0], redis], [messages[1], entra]] as const) {
            expect(m.message).toContain(`${secret.slice(0, 4)}…(${secret.length} chars)`);
            expect(m.message).not.toContain(secret.slice(4, 9));
        }
    });

    it("reports nothing on clean text, and honours allowMessageIds per kind", () => {
        expect(lint("region: westeurope\nvault: https://kv-app.vault.azure.net/\n")).toEqual([]);
        const content = `password: ${r.password(18)}\nAZURE_CLIENT_SECRET=${r.entraSecret()}\n`;
        expect(lint(content).map((m) => m.messageId)).toEqual(["generic-secret", "entra-client-secret"]);
        expect(lint(content, ["generic-secret"]).map((m) => m.messageId)).toEqual(["entra-client-secret"]);
    });
});
