// A static file server for the browser tests: 127.0.0.1 only, an ephemeral
// port, files served from a fixed table of URL prefixes (nothing outside
// them is reachable), optionally with the cross-origin isolation headers
// that let a page use SharedArrayBuffer (tfjs's threaded wasm build).
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

export interface StaticServerOptions {
  /** URL prefix (starting and ending with '/') -> directory served under it. */
  directories: Record<string, string>;
  /** URL path -> generated content (HTML pages). */
  pages?: Record<string, string>;
  /** Send COOP same-origin + COEP require-corp (crossOriginIsolated pages). */
  crossOriginIsolated?: boolean;
}

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  origin: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.bin': 'application/octet-stream',
};

function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** The file behind `urlPath`, or null when it is outside every served directory. */
function resolveFile(directories: Record<string, string>, urlPath: string): string | null {
  for (const [prefix, dir] of Object.entries(directories)) {
    if (urlPath.startsWith(prefix)) {
      const root = path.resolve(dir);
      const file = path.resolve(root, '.' + path.posix.normalize('/' + urlPath.slice(prefix.length)));
      return file.startsWith(root + path.sep) ? file : null;
    }
  }
  return null;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const headers: Record<string, string> = {'cache-control': 'no-store'};
    if (options.crossOriginIsolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
      headers['cross-origin-resource-policy'] = 'same-origin';
    }
    const page = options.pages?.[urlPath];
    if (page !== undefined) {
      response.writeHead(200, {...headers, 'content-type': CONTENT_TYPES['.html'] as string});
      response.end(page);
      return;
    }
    const file = resolveFile(options.directories, urlPath);
    fs.readFile(file ?? '', (error, data) => {
      if (file === null || error) {
        response.writeHead(404, headers);
        response.end(`not found: ${urlPath}`);
        return;
      }
      response.writeHead(200, {...headers, 'content-type': contentType(file)});
      response.end(data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`static server: unexpected address ${String(address)}`);
  }
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
