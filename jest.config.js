/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {diagnostics: false}],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Drops tfjs's tfjs-node advertisement (test/setup/tfjs_node_advert.ts).
  setupFiles: ['<rootDir>/test/setup/jest_setup.ts'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
};
