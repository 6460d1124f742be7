// Lint config: typescript-eslint recommended on all TypeScript; generated and vendored output is ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'clusters/**',
      '**/dist/**',
      '.scalefu/**',
      'platform/**/imports/**',
      '**/cdktf.out/**',
      'apps/admin-web/out/**',
      'apps/admin-web/.next/**',
      'apps/admin-web/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
);
