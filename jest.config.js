/** Type checking runs once in `npm run typecheck`; jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/detect", "<rootDir>/reachability", "<rootDir>/offline", "<rootDir>/infra", "<rootDir>/stacks", "<rootDir>/policies", "<rootDir>/scripts", "<rootDir>/bench", "<rootDir>/secretlint-rule", "<rootDir>/plugin"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 120000,
  modulePathIgnorePatterns: ["<rootDir>/bin/", "<rootDir>/.*/dist/"],
};
