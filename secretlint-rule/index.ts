import { detectSecrets, secretKinds } from "@keyless/detect";

/**
 * A secretlint rule (https://github.com/secretlint/secretlint, rule API of @secretlint/types 11) that reports what
 * the Keyless detector finds in a file: one message id per detector kind, so `allowMessageIds` can silence a kind.
 * Messages carry the masked value only (never more than 4 characters of the secret); the range covers the secret.
 *
 * The types below are the part of secretlint's rule API this rule uses, written out because @secretlint/types is
 * published as ES modules only and this project compiles to CommonJS.
 */

interface Translated {
    message: string;
    messageId: string;
    data: Record<string, unknown> | undefined;
}

interface RuleContext {
    createTranslator(messages: Messages): (id: string, data: Record<string, unknown>) => Translated;
    report(descriptor: { message: Translated; range: readonly [number, number] }): void;
}

interface SourceCode {
    content: string;
    filePath?: string;
    contentType: "text" | "binary";
}

type Messages = Record<string, { en: (props?: { description?: string; masked?: string }) => string }>;

const messages: Messages = Object.fromEntries(secretKinds.map((kind) => [kind, { en: (p) => `${p?.description ?? kind}: ${p?.masked ?? ""} (${kind})` }]));

export const creator = {
    messages,
    meta: {
        id: "@keyless/secretlint-rule-keyless",
        recommended: true,
        type: "scanner" as const,
        supportedContentTypes: ["text" as const],
    },
    create(context: RuleContext) {
        const t = context.createTranslator(messages);
        return {
            file(source: SourceCode) {
                for (const f of detectSecrets(source.content)) {
                    context.report({ message: t(f.kind, { description: f.description, masked: f.masked }), range: [f.start, f.end] });
                }
            },
        };
    },
};
