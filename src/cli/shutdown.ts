import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

/** Resolves true if `p` settles within `ms`, false otherwise (p is left to run). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const openConnections = (app: FastifyInstance) =>
  new Promise<number>((resolve) => app.server.getConnections((_err, n) => resolve(n ?? 0)));

/**
 * SIGTERM/SIGINT: stop accepting connections, let requests under way finish (keep-alive connections
 * are closed as they go idle), stop the outbox (a send under way may finish; a claim it cannot
 * finish in time is released for another node), close the store, and exit 0, all within
 * `timeoutMs`. Past it, open connections are cut and the exit status is 1. A second signal cuts at once.
 */
export function gracefulShutdown(
  app: FastifyInstance,
  deps: Deps,
  timeoutMs: number,
  exit: (code: number) => void = process.exit,
) {
  let started = false;
  let forced = false;
  let cut = () => {};
  const cutNow = new Promise<void>((resolve) => {
    cut = () => {
      forced = true;
      resolve();
    };
  });
  return async function shutdown(signal: string): Promise<void> {
    if (started) {
      app.log.warn({ signal }, 'second signal: cutting open connections now');
      cut();
      return;
    }
    started = true;
    const begun = Date.now();
    const left = () => (forced ? 0 : Math.max(0, timeoutMs - (Date.now() - begun)));
    app.log.info(
      { signal, connections: await openConnections(app), timeoutMs },
      'shutting down: no new connections; waiting for requests under way',
    );
    // In-flight responses leave their keep-alive connections idle once sent: close those as they go.
    const reaper = setInterval(() => app.server.closeIdleConnections?.(), 25);
    const httpDone = (await within(Promise.race([app.close(), cutNow]), left())) && !forced;
    clearInterval(reaper);
    const cutConnections = httpDone ? 0 : await openConnections(app);
    if (!httpDone) app.server.closeAllConnections?.();
    const { released } = await deps.outbox.stop(left());
    const storeClosed = await within(deps.database.close(), Math.max(left(), 1000));
    const clean = httpDone && released === 0 && storeClosed;
    const summary = { signal, ms: Date.now() - begun, cutConnections, mailClaimsReleased: released, storeClosed };
    if (clean) app.log.info(summary, 'shut down cleanly');
    else app.log.error(summary, `shutdown did not finish within ${timeoutMs} ms: forced`);
    exit(clean ? 0 : 1);
  };
}
