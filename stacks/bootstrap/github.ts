import { FederatedCredentialSpec, GitHubRepository, githubCredential, validateFederatedCredentials } from "../../infra/identity/federated";
import { shortHash } from "../../infra/shared/naming";
import { Problems, ProblemsError } from "../../infra/shared/problems";

/**
 * What the bootstrap tells GitHub and Azure about each other: the federated credentials that let the repository's
 * workflows sign in as the deploy or the preview identity, and the `gh variable set` lines that hand the identities'
 * IDs, the state backend and the secrets provider to the workflows.
 */

/** Credential name for an environment: the name itself when it is a valid credential name, else a slug plus a hash. */
export function environmentCredentialName(environment: string): string {
    const slug = environment.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
    const base = `github-env-${slug || "x"}`;
    // Two names that slug alike ("a b", "a.b") must still get different credentials.
    return slug === environment ? base : `${base}-${shortHash(environment, 8)}`;
}

/**
 * One credential per GitHub environment (`repo:OWNER/REPO:environment:NAME`) and, when `pullRequests` is set, one
 * for `repo:OWNER/REPO:pull_request`. The immutable `OWNER@ID/REPO@ID` form is used when the repository has IDs.
 * Throws with every problem (bad names, duplicates, more than 20), naming the identity, before anything is declared.
 */
export function githubCredentials(
    identity: "deploy" | "preview",
    repository: GitHubRepository,
    environments: readonly string[],
    pullRequests: boolean,
): FederatedCredentialSpec[] {
    const problems = new Problems(`${identity === "deploy" ? "Deploy" : "Preview"} identity credentials`);
    // A bad repository or environment name is reported with the rest, not on its own.
    const credentials = environments.map((environment) =>
        problems.attempt(() => githubCredential(environmentCredentialName(environment), repository, { environment })),
    );
    if (pullRequests) {
        credentials.push(problems.attempt(() => githubCredential("github-pull-request", repository, { pullRequest: true })));
    }
    const made = credentials.filter((credential): credential is FederatedCredentialSpec => credential !== undefined);
    problems.addAll(validateFederatedCredentials(made));
    problems.throwIfAny();
    return made;
}

export interface RepositoryVariable {
    name: string;
    value: string;
}

/** The repository variables the workflows read (`vars.*`), in the order docs/deploy.md lists them. */
export const workflowVariables = [
    "AZURE_CLIENT_ID",
    "AZURE_PREVIEW_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_SUBSCRIPTION_ID",
    "PULUMI_BACKEND_URL",
    "PULUMI_SECRETS_PROVIDER",
    // The weekly access review (review.yml): the audit workspace, and the IDs `npm run review --bootstrap-outputs` reads.
    "KEYLESS_AUDIT_WORKSPACE_ID",
    "KEYLESS_BOOTSTRAP_OUTPUTS",
] as const;
export type WorkflowVariable = (typeof workflowVariables)[number];

/** Quotes a word for POSIX shells: bare when it holds only safe characters, else in single quotes. */
export function shellQuote(value: string): string {
    if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(value)) {
        return value;
    }
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `gh variable set NAME --repo OWNER/REPO --body VALUE`, one line per variable, ready to paste. */
export function ghVariableCommands(repository: Pick<GitHubRepository, "owner" | "repo">, variables: readonly RepositoryVariable[]): string {
    const problems = new Problems("GitHub repository variables");
    variables.forEach(({ name, value }, index) => {
        if (!/^[A-Z][A-Z0-9_]*$/.test(name)) {
            problems.add(`variables[${index}].name "${name}" must be uppercase letters, digits and '_', starting with a letter.`);
        }
        if (value.length === 0) {
            problems.add(`variables[${index}].value of ${name} is empty; every variable the workflows read needs a value.`);
        }
    });
    problems.throwIfAny();
    return variables
        .map(({ name, value }) => `gh variable set ${name} --repo ${shellQuote(`${repository.owner}/${repository.repo}`)} --body ${shellQuote(value)}`)
        .join("\n");
}

/** `azurekeyvault://<vault host>/keys/<key>` from the key's URI (`https://<vault host>/keys/<key>`), as Pulumi expects it. */
export function secretsProviderUrl(keyUri: string): string {
    const match = /^https:\/\/([^/]+)\/keys\/([A-Za-z0-9-]{1,127})\/?$/.exec(keyUri);
    if (!match) {
        throw new ProblemsError("Secrets provider", [`keyUri must be a versionless Key Vault key URI such as https://kv-name.vault.azure.net/keys/name; got "${keyUri}".`]);
    }
    return `azurekeyvault://${match[1]}/keys/${match[2]}`;
}

/** `azblob://<container>?storage_account=<account>`, the state backend URL `pulumi login` takes. */
export function backendUrl(container: string, account: string): string {
    const problems = new Problems("State backend");
    if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(container)) {
        problems.add(`container "${container}" must be a blob container name: 3-63 lowercase letters, digits and single hyphens.`);
    }
    if (!/^[a-z0-9]{3,24}$/.test(account)) {
        problems.add(`account "${account}" must be a storage account name: 3-24 lowercase letters and digits.`);
    }
    problems.throwIfAny();
    return `azblob://${container}?storage_account=${account}`;
}
