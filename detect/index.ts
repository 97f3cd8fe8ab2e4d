export type { SecretKind, SecretFinding, PathFinding, DetectOptions, ScanValueOptions } from "./types";
export { secretKinds } from "./types";
export { detectSecrets } from "./detect";
export { maskSecret } from "./mask";
export { shannonEntropy } from "./entropy";
export { scanValue } from "./scan-value";
export { isSecretKey, isPlaceholder, isKnownNonSecret, isGuid, isWordLike, AZURITE_ACCOUNT_KEY } from "./values";
