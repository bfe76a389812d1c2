// Notices when a server has had no request in flight for a while. The extension's own local
// service uses it to stop once the last VS Code window has gone: windows keep a request open (the
// change feed) or call now and then, so quiet means nobody is left.
import type { Server } from 'node:http';

export function watchIdle(server: Server, idleMs: number, onIdle: () => void): () => void {
  let inFlight = 0;
  let lastActivity = Date.now();
  server.on('request', (_req, res) => {
    inFlight += 1;
    lastActivity = Date.now();
    res.once('close', () => {
      inFlight -= 1;
      lastActivity = Date.now();
    });
  });
  const timer = setInterval(() => {
    if (inFlight === 0 && Date.now() - lastActivity >= idleMs) {
      clearInterval(timer);
      onIdle();
    }
  }, Math.min(5_000, Math.max(100, Math.floor(idleMs / 4))));
  timer.unref();
  return () => clearInterval(timer);
}
