// Start-up check that PORT is free, run before the configuration is loaded (which may write secrets into the
// data folder) and before the database opens: a port already in use is reported in one line naming PORT. Must
// never keep the port open (the probe listener is closed before the server listens).
import { createServer } from 'node:net';

/** The address the server will listen on, read the way config.ts reads it (PORT, HOST, NODE_ENV). */
export function listenAddress(env: Record<string, string | undefined>): { port: number; host: string } | null {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null; // 0 = any port; bad values: config says
  const host = env.HOST?.trim() || (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
  return { port, host };
}

/** null when the port can be listened on; otherwise the one-line reason. */
export function portProblem(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        resolve(`PORT ${port} is already in use on ${host}: stop the other process or set PORT to a free port.`);
      else if (err.code === 'EACCES') resolve(`PORT ${port} on ${host} needs more privileges: set PORT above 1023.`);
      else resolve(null); // anything else: the real listen reports it
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}
