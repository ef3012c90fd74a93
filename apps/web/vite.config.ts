import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npm run dev -w @orderhub/web` serves the app with hot reload; the API comes from a running gateway. */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': gateway, '/openapi.json': gateway } },
  build: { outDir: 'dist', sourcemap: false, manifest: true, chunkSizeWarningLimit: 400 },
});
