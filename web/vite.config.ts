import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// In development and `vite preview`, /graphql goes to the gateway (GATEWAY_URL, default the local
// stack). In production the gateway serves web/dist itself, on the same origin.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
const proxy = { '/graphql': { target: gateway, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // React and the router/query libraries change less often than the app: their own chunk
        // stays cached across deploys.
        codeSplitting: {
          groups: [{ name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/ }],
        },
      },
    },
  },
  server: { proxy },
  preview: { proxy },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
