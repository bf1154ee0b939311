import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', 'next-env.d.ts', 'data/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'],
  },
  ...nextVitals,
  ...nextTs,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // lib/ is framework-free and environment-free (STYLE.md §2).
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['next', 'next/*', 'react', 'react-dom'], message: 'lib/ is framework-free.' },
            { group: ['@/app/*', '@/server/*', '@/components/*', '../../server/*', '../../app/*'], message: 'lib/ must not import app/, server/ or components/.' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'lib/ takes config as arguments; only server/main.ts reads process.env.' }],
    },
  },
  {
    // app/ reaches the runtime only through server/registry.ts.
    files: ['app/**/*.ts', 'app/**/*.tsx', 'components/**/*.ts', 'components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/server/*', '!@/server/registry'], message: 'app/ may import only @/server/registry from server/.' },
            { group: ['better-sqlite3', '@eventstore/db-client', '@grpc/grpc-js'], message: 'No DB or ESDB imports in app/ or components/.' },
          ],
        },
      ],
    },
  },
);
