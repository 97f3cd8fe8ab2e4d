const os = require("os");

/** Type checking runs once in `npm run typecheck`; jest only transpiles, which keeps the suite fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/detect", "<rootDir>/reachability", "<rootDir>/offline", "<rootDir>/infra", "<rootDir>/stacks", "<rootDir>/policies", "<rootDir>/scripts", "<rootDir>/bench", "<rootDir>/secretlint-rule", "<rootDir>/plugin"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 120000,
  // At least two workers: jest's default (cores - 1) runs the suites one at a time on a 2-core machine, where many of
  // them wait on child processes (tsc, npm, git, the plan CLI).
  maxWorkers: Math.max(2, os.cpus().length - 1),
  // The dev and prod stacks run once per jest run and are shared across suites (stacks/testing/sharedRuns.ts).
  globalSetup: "<rootDir>/stacks/testing/globalSetup.ts",
  globalTeardown: "<rootDir>/stacks/testing/globalTeardown.ts",
  modulePathIgnorePatterns: ["<rootDir>/bin/", "<rootDir>/.*/dist/"],
};
