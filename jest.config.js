/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {diagnostics: false}],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
};
