// `npm run demo:web`: builds the training page and serves it on 127.0.0.1
// until Ctrl+C. Open the printed address in Chrome or Edge (WebGPU or
// WebGL), or any browser with WebAssembly.

import {startTrainingPageServer} from './page_server';

async function main(): Promise<void> {
  const server = await startTrainingPageServer();
  process.stdout.write(
    `Training page: ${server.url}\n` +
      `  (add ?autostart=1 to start at once; ?train=N&epochs=N&model=mlp&experiment=B&backend=webgl also work)\n` +
      'Ctrl+C stops the server.\n',
  );
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
