import type { CodegenConfig } from '@graphql-codegen/cli';

// Operations are written with `graphql(...)` from src/gql next to the component that uses
// them; the client preset types each one from the committed schema (web/schema.graphql,
// printed by `hotline schema`). The output is generated, never committed.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
      },
    },
  },
  silent: true,
};

export default config;
