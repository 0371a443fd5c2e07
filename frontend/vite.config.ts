import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  plugins: [svelte()],
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // Whole-app renders in jsdom take seconds on a busy 2-core machine; a
    // timeout is no speed goal (those are in bench/).
    testTimeout: 20000,
    setupFiles: ['src/test/setup.ts'],
  },
})
