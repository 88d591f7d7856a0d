// Joins this process's socket.io server to the others through Redis (REDIS_URL), so a room emit made on one
// process reaches sockets connected to any process, and fetchSockets/disconnectSockets/serverSideEmit span the
// cluster. Only transport: must never emit business events itself, and without REDIS_URL it is never called.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import type { ParleyIo } from './socket.js';

/** Connects the publish/subscribe clients, installs the adapter; returns a closer for the graceful stop. */
export async function attachRedisAdapter(io: ParleyIo, url: string, logger: Logger): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  const onError = (err: unknown) => logger.warn({ err }, 'redis connection error');
  pub.on('error', onError);
  sub.on('error', onError);
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    pub.destroy();
    sub.destroy();
    throw err;
  }
  io.adapter(createAdapter(pub, sub, { key: 'parley' }));
  logger.info('socket.io shares rooms through Redis');
  return async () => {
    await Promise.allSettled([pub.close(), sub.close()]);
  };
}
