import type { Rule } from "./rules";
import { shannonEntropy } from "./entropy";
import { SecretKind } from "./types";
import { isPlaceholder } from "./values";

/**
 * Tokens that other services issue with a fixed prefix, recognised without a name around them. Each entry is the
 * whole token's shape (prefix, alphabet, length) as the provider documents it; the table is compiled into one
 * regular expression so the text is read once for all of them.
 */
interface Provider {
    name: string;
    kind: SecretKind;
    /** Source of the whole token; starts with a literal prefix unless `anchor` is given. */
    pattern: string;
    /** For tokens whose fixed part is not at the start: that literal, and how many characters come before it. */
    anchor?: { literal: string; lead: number };
}

const providers: readonly Provider[] = [
    { name: "GitLab personal or project access token", kind: "provider-token", pattern: "glpat-[A-Za-z0-9_-]{20,64}" },
    { name: "GitLab token", kind: "provider-token", pattern: "gl(?:dt|rt|ptt|soat|ft|cbt|imt|agent)-[A-Za-z0-9_-]{20,64}" },
    { name: "OpenAI API key", kind: "provider-token", pattern: "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}" },
    { name: "OpenAI API key (legacy)", kind: "provider-token", pattern: "sk-[A-Za-z0-9]{48}" },
    { name: "Anthropic API key", kind: "provider-token", pattern: "sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}" },
    { name: "Stripe secret or restricted key", kind: "provider-token", pattern: "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,99}" },
    { name: "Hugging Face token", kind: "provider-token", pattern: "hf_[A-Za-z]{34}" },
    { name: "Hugging Face organisation token", kind: "provider-token", pattern: "api_org_[A-Za-z]{34}" },
    { name: "SendGrid API key", kind: "provider-token", pattern: "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" },
    { name: "Shopify token", kind: "provider-token", pattern: "shp(?:at|ss|ca|pa)_[A-Za-z0-9]{32}" },
    { name: "HashiCorp Vault token", kind: "provider-token", pattern: "hv[sbr]\\.[A-Za-z0-9_-]{24,300}" },
    { name: "Terraform Cloud token", kind: "provider-token", pattern: "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}", anchor: { literal: ".atlasv1.", lead: 14 } },
    { name: "Grafana service account token", kind: "provider-token", pattern: "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}" },
    { name: "Grafana Cloud token", kind: "provider-token", pattern: "glc_[A-Za-z0-9+/]{32,400}={0,2}" },
    { name: "Notion token", kind: "provider-token", pattern: "ntn_[A-Za-z0-9]{40,50}" },
    { name: "Vercel token", kind: "provider-token", pattern: "vc[aikpr]_[A-Za-z0-9]{56}" },
    { name: "1Password service account token", kind: "provider-token", pattern: "ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}" },
    { name: "1Password secret key", kind: "provider-token", pattern: "A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}" },
    { name: "Sentry token", kind: "provider-token", pattern: "(?:sntrys_eyJ[A-Za-z0-9+/=_-]{80,400}|sntryu_[a-f0-9]{64})" },
    { name: "Fly.io token", kind: "provider-token", pattern: "fo1_[A-Za-z0-9_-]{43}" },
    { name: "Sourcegraph access token", kind: "provider-token", pattern: "sgp_(?:[A-Za-z0-9]{16}_)?[A-Fa-f0-9]{40}" },
    { name: "OpenShift user token", kind: "provider-token", pattern: "sha256~[A-Za-z0-9_-]{43}" },
    { name: "Octopus Deploy API key", kind: "provider-token", pattern: "API-[A-Z0-9]{26}" },
    { name: "Facebook access token", kind: "provider-token", pattern: "EAA[A-Za-z0-9]{100,400}" },
    { name: "Databricks personal access token", kind: "provider-token", pattern: "dapi[a-f0-9]{32}(?:-[0-9])?" },
    { name: "Docker Hub personal access token", kind: "provider-token", pattern: "dckr_pat_[A-Za-z0-9_-]{27}" },
    { name: "Pulumi access token", kind: "provider-token", pattern: "pul-[a-f0-9]{40}" },
    { name: "Clojars deploy token", kind: "provider-token", pattern: "CLOJARS_[a-z0-9]{60}" },
    { name: "Mailchimp API key", kind: "provider-token", pattern: "[a-f0-9]{32}-us[0-9]{1,2}", anchor: { literal: "-us", lead: 32 } },
];

// Tokens are whole words: not part of a longer identifier, URL path segment or base64 run. The boundary before is
// checked by hand, not with a lookbehind, so that the engine can search for the literal prefixes directly.
const TOKEN_BOUNDARY_AFTER = "(?![A-Za-z0-9_+/=~-])";
const ANY_PROVIDER = new RegExp(`(?:${providers.filter((p) => !p.anchor).map((p) => p.pattern).join("|")})${TOKEN_BOUNDARY_AFTER}`, "g");
const ANCHORED = providers.filter((p) => p.anchor).map((p) => ({ provider: p, anchor: p.anchor!, sticky: new RegExp(`(?:${p.pattern})${TOKEN_BOUNDARY_AFTER}`, "y") }));
const TOKEN_CHAR_BEFORE = /[A-Za-z0-9_+/.~-]/;
const EACH_PROVIDER = providers.map((p) => ({ provider: p, whole: new RegExp(`^(?:${p.pattern})$`) }));

export const providerTokenRule: Rule = (ctx) => {
    ANY_PROVIDER.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = ANY_PROVIDER.exec(ctx.text)) !== null) {
        if (ctx.full) return;
        const token = m[0];
        if (m.index > 0 && TOKEN_CHAR_BEFORE.test(ctx.text[m.index - 1])) {
            // Not a token start; the next one cannot begin inside this run of token characters.
            ANY_PROVIDER.lastIndex = m.index + 1;
            continue;
        }
        const entry = EACH_PROVIDER.find((e) => e.whole.test(token));
        if (!entry) continue;
        report(ctx, entry.provider, m.index, token);
    }
    for (const { provider, anchor, sticky } of ANCHORED) {
        for (let at = ctx.text.indexOf(anchor.literal); at >= 0; at = ctx.text.indexOf(anchor.literal, at + 1)) {
            if (ctx.full) return;
            const start = at - anchor.lead;
            if (start < 0 || (start > 0 && TOKEN_CHAR_BEFORE.test(ctx.text[start - 1]))) continue;
            sticky.lastIndex = start;
            const t = sticky.exec(ctx.text);
            if (t) report(ctx, provider, start, t[0]);
        }
    }
};

function report(ctx: Parameters<Rule>[0], provider: Provider, start: number, token: string): void {
    // The random part must look random: documentation writes `sk_live_xxxxxxxx...` or `API-XXXXXXXX...`.
    const body = token.slice(Math.min(8, token.length >> 2));
    if (isPlaceholder(body) || /example|sample|test(?:ing)?key|x{6}/i.test(body) || shannonEntropy(body) < 3.0) return;
    ctx.add(provider.kind, provider.name, start, start + token.length);
}
