import { defineConfig, type Plugin } from 'vite';

// krds-uiux 1.1.0's component.css points its icons at "../../img/img/component/…", a folder the
// package does not ship; the files live at "../../img/component/…". Fix the path so Vite bundles them.
function krdsIconPaths(): Plugin {
  return {
    name: 'dure:krds-icon-paths',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('krds-uiux') || !id.split('?')[0].endsWith('.css')) return null;
      return { code: code.split('../../img/img/').join('../../img/'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [krdsIconPaths()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', assetsInlineLimit: 0, sourcemap: false },
  server: { proxy: { '/api': process.env.DURE_API || 'http://127.0.0.1:8080' } },
  preview: { proxy: { '/api': process.env.DURE_API || 'http://127.0.0.1:8080' } },
});
