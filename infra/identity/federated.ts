/**
 * Federated identity credentials: who may exchange an external token for this identity's token.
 * Subjects are validated here, before anything is declared, because Azure accepts any string and a
 * typo only shows up as a failed login in CI.
 */
export const githubIssuer = "https://token.actions.githubusercontent.com";
export const tokenExchangeAudience = "api://AzureADTokenExchange";
/** Azure rejects more than this many credentials on one identity. */
export const maxFederatedCredentials = 20;

export type GitHubSubject =
    | { environment: string }
    | { pullRequest: true }
    | { branch: string }
    | { tag: string };

export interface GitHubRepository {
    owner: string;
    repo: string;
    /**
     * Immutable IDs: repositories created, renamed or transferred after June 18, 2026 (and those opted in) get
     * subjects with the owner and repository IDs (https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens).
     */
    ownerId?: number;
    repoId?: number;
}

export interface FederatedCredentialSpec {
    /** Short name, unique on the identity; becomes part of the child resource name. */
    name: string;
    issuer: string;
    subject: string;
    audiences?: string[];
}

const githubName = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;
const refName = /^[A-Za-z0-9._/-]{1,200}$/;
const k8sName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function repoPart(repository: GitHubRepository): string {
    for (const [key, value] of [["owner", repository.owner], ["repo", repository.repo]] as const) {
        if (!githubName.test(value)) {
            throw new Error(`GitHub ${key} "${value}" is not a valid name: expected letters, digits, '.', '_' or '-'.`);
        }
    }
    const hasOwnerId = repository.ownerId !== undefined;
    const hasRepoId = repository.repoId !== undefined;
    if (hasOwnerId !== hasRepoId) {
        throw new Error("The immutable GitHub subject needs both ownerId and repoId, or neither.");
    }
    if (hasOwnerId) {
        for (const [key, value] of [["ownerId", repository.ownerId], ["repoId", repository.repoId]] as const) {
            if (!Number.isInteger(value) || (value as number) <= 0) {
                throw new Error(`GitHub ${key} "${value}" must be a positive integer (the numeric ID GitHub assigns).`);
            }
        }
        return `${repository.owner}@${repository.ownerId}/${repository.repo}@${repository.repoId}`;
    }
    return `${repository.owner}/${repository.repo}`;
}

/** The `sub` claim GitHub puts in a workflow's OIDC token for this repository and context. */
export function githubSubject(repository: GitHubRepository, subject: GitHubSubject): string {
    const prefix = `repo:${repoPart(repository)}`;
    if ("environment" in subject) {
        if (!/^[^:\s][^:]{0,254}$/.test(subject.environment)) {
            throw new Error(`GitHub environment "${subject.environment}" must be 1-255 characters without ':'.`);
        }
        return `${prefix}:environment:${subject.environment}`;
    }
    if ("pullRequest" in subject) {
        return `${prefix}:pull_request`;
    }
    const [kind, value] = "branch" in subject ? ["heads", subject.branch] : ["tags", subject.tag];
    if (!refName.test(value) || value.includes("..")) {
        throw new Error(`Git ref "${value}" is not a valid ${kind === "heads" ? "branch" : "tag"} name.`);
    }
    return `${prefix}:ref:refs/${kind}/${value}`;
}

/** A credential for a GitHub Actions workflow. */
export function githubCredential(name: string, repository: GitHubRepository, subject: GitHubSubject): FederatedCredentialSpec {
    return { name, issuer: githubIssuer, subject: githubSubject(repository, subject), audiences: [tokenExchangeAudience] };
}

/** The subject of a Kubernetes service account token, as AKS workload identity presents it. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
    for (const [key, value] of [["namespace", namespace], ["service account", serviceAccount]] as const) {
        if (!k8sName.test(value)) {
            throw new Error(`Kubernetes ${key} "${value}" must be a DNS label: lowercase letters, digits and '-', at most 63 characters.`);
        }
    }
    return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

const githubSubjectPattern =
    /^repo:[A-Za-z0-9._-]+(?:@\d+)?\/[A-Za-z0-9._-]+(?:@\d+)?:(?:environment:[^:]+|pull_request|ref:refs\/(?:heads|tags)\/[A-Za-z0-9._/-]+)$/;
const serviceAccountPattern = /^system:serviceaccount:[a-z0-9-]{1,63}:[a-z0-9.-]{1,253}$/;

/** Checks a list of credentials for one identity; returns one message per problem. */
export function validateFederatedCredentials(credentials: readonly FederatedCredentialSpec[]): string[] {
    const problems: string[] = [];
    if (credentials.length > maxFederatedCredentials) {
        problems.push(`federatedCredentials lists ${credentials.length} credentials; an identity takes at most ${maxFederatedCredentials}.`);
    }
    const names = new Set<string>();
    const subjects = new Set<string>();
    credentials.forEach((credential, index) => {
        const where = `federatedCredentials[${index}]`;
        if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/.test(credential.name)) {
            problems.push(`${where}.name "${credential.name}" must start with a letter or digit and hold only letters, digits, '-' and '_'.`);
        }
        if (names.has(credential.name)) {
            problems.push(`${where}.name "${credential.name}" is used twice on one identity.`);
        }
        names.add(credential.name);
        const key = `${credential.issuer}|${credential.subject}`;
        if (subjects.has(key)) {
            problems.push(`${where}.subject "${credential.subject}" is declared twice for the same issuer.`);
        }
        subjects.add(key);
        if (!/^https:\/\/[^\s]+$/.test(credential.issuer)) {
            problems.push(`${where}.issuer "${credential.issuer}" must be an https URL.`);
        }
        if (credential.issuer === githubIssuer && !githubSubjectPattern.test(credential.subject)) {
            problems.push(
                `${where}.subject "${credential.subject}" is not a GitHub subject: expected repo:OWNER/REPO:environment:NAME, ` +
                    `:pull_request, :ref:refs/heads/BRANCH or :ref:refs/tags/TAG (or the OWNER@ID/REPO@ID form).`,
            );
        }
        if (credential.subject.startsWith("system:serviceaccount:") && !serviceAccountPattern.test(credential.subject)) {
            problems.push(`${where}.subject "${credential.subject}" is not a valid service account subject (system:serviceaccount:NAMESPACE:NAME).`);
        }
    });
    return problems;
}
