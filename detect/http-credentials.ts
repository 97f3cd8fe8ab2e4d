import type { Rule } from "./rules";
import { shannonEntropy } from "./entropy";
import { isPlaceholder } from "./values";

/**
 * Credentials written into HTTP requests: `curl -u user:password` (or `--user`), and a literal `Authorization:`
 * header with Basic, Bearer or Token credentials (in a shell command, an HTTP file, or a JSON/YAML header map).
 * A variable (`$TOKEN`, `${{ secrets.X }}`, `%TOKEN%`) is how it should be done and is never reported.
 */

const CURL_USER = /(?<![A-Za-z0-9_-])(?:-u|--user)(?:[ \t]{1,4}|=)["']?([^\s:"'`$<>]{1,100}):(["']?)([^\s"'`<>]{1,200})/g;
const AUTHORIZATION = /Authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(Basic|Bearer|Token|token|bearer|basic)[ \t]{1,4}([A-Za-z0-9+/=._~-]{8,2000})/g;

function isVariable(v: string): boolean {
    return /^(?:\$|\{\{|<)/.test(v) || /^%[A-Za-z_][A-Za-z0-9_]{0,100}%$/.test(v) || /\$\{|\$\(|\{\{/.test(v);
}

function looksRandom(v: string, minEntropy: number): boolean {
    return !isVariable(v) && !isPlaceholder(v) && !/^(?:pass(?:word)?|secret|token|x+|\*+)$/i.test(v) && shannonEntropy(v) >= minEntropy;
}

export const httpCredentialsRule: Rule = (ctx) => {
    const { text } = ctx;
    if (text.includes("-u") || text.includes("--user")) {
        CURL_USER.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = CURL_USER.exec(text)) !== null) {
            if (ctx.full) return;
            // Closing punctuation belongs to the sentence or the code around the command, not to the password.
            const password = m[3].replace(/[)\]},;.]{1,10}$/, "");
            if (password.length < 4 || isPlaceholder(m[3]) || !looksRandom(password, 2.0)) continue;
            // The command must be curl (or wget/http): `-u` means other things to other tools.
            const lineStart = text.lastIndexOf("\n", m.index) + 1;
            if (!/\b(?:curl|wget|http|https)\b/.test(text.slice(Math.max(lineStart, m.index - 300), m.index))) continue;
            const start = m.index + m[0].length - m[3].length;
            ctx.add("http-credentials", "Password on a curl command line (-u user:password)", start, start + password.length);
        }
    }
    if (text.includes("uthorization")) {
        AUTHORIZATION.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = AUTHORIZATION.exec(text)) !== null) {
            if (ctx.full) return;
            const value = m[2];
            if (!looksRandom(value, 3.0)) continue;
            if (m[1].toLowerCase() === "basic" && !decodesToUserAndPassword(value)) continue;
            const start = m.index + m[0].length - value.length;
            ctx.add("http-credentials", `Literal Authorization header (${m[1]})`, start, start + value.length);
        }
    }
};

function decodesToUserAndPassword(b64: string): boolean {
    const decoded = Buffer.from(b64, "base64").toString("latin1");
    const colon = decoded.indexOf(":");
    const unprintable = decoded.replace(/[\u0020-\u007e]/g, "").length;
    return colon > 0 && colon < decoded.length - 1 && unprintable <= decoded.length / 10;
}
