// The package in a page, built two ways: bundled from source by esbuild (as
// a user's bundler would) and as the prebuilt script-tag bundle in
// dist/browser that uses the page's global `tf`. Both must give the same
// results on every backend, and the Node-only file-system IO must fail with
// its clear error.
import {BROWSER_BACKENDS, BrowserPage} from './harness/browser_session';
import {describeInBrowser} from './harness/browser_suite';
import type {PackageSurfaceResult} from './pages/package_surface.page';

describeInBrowser('the package in a page', (session) => {
  describe.each(BROWSER_BACKENDS)('on %s', (backend) => {
    test.each(['source', 'dist'] as const)('bundled from %s: cast, a mixed_float16 Dense, the Node-only IO error', async (packageFrom) => {
      let page: BrowserPage | undefined;
      try {
        page = await session().openPage(backend, {packageFrom});
        const result = await page.run<PackageSurfaceResult>('packageSurface');
        expect(result.globalMp).toBe(packageFrom === 'dist');
        expect(result.importsAreGlobal).toBe(packageFrom === 'dist');
        expect(result.castFloat16).toEqual([65504, Infinity, 0, 1]);
        expect(result.dtype).toBe('float16');
        // float16 compute: 1 + 2^-11 ties to even 1.
        expect(result.denseOutput).toEqual([1, 1]);
        expect(result.fileSystemError).toMatch(
          /^fileSystem reads and writes files with Node.js's fs module, which is not available here. In a browser, use tf.io.http/,
        );
      } finally {
        await page?.close();
      }
    });
  });
});
