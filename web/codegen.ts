import type { CodegenConfig } from '@graphql-codegen/cli';

// The typed client: every `graphql(...)` document under src/ becomes a TypedDocumentString
// (documentMode 'string': no graphql-js AST in the browser bundle, the query text is sent as-is).
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTime: 'string', ID: 'string', Upload: 'File' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
