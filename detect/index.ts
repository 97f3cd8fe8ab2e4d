export type { SecretKind, SecretFinding, PathFinding, DetectOptions, ScanValueOptions } from "./types";
export { secretKinds } from "./types";
export { detectSecrets } from "./detect";
export { maskSecret } from "./mask";
export { shannonEntropy } from "./entropy";
export { scanValue } from "./scan-value";
export { isSecretKey, isPlaceholder, isKnownNonSecret, isGuid, isWordLike, isEmulatorKey, AZURITE_ACCOUNT_KEY, COSMOS_EMULATOR_KEY } from "./values";
