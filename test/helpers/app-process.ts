// Runs the real server in a child process (test/integration/multiprocess/app-child.ts), configured only from the
// env given, for tests that need separate processes (several servers, SIGKILL). Must never leave a process behind:
// callers stop every process they start.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, '..', 'integration', 'multiprocess', 'app-child.ts');

export function startAppProcess(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error('app process did not start within 60 s'));
    }, 60_000);
    proc.once('message', (m: { ready?: boolean; url?: string }) => {
      clearTimeout(timer);
      if (m.ready && m.url) resolve({ proc, url: m.url });
      else reject(new Error('app process did not report ready'));
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process exited early (${code})`));
    });
  });
}

/** Sends the signal and resolves once the process is gone (SIGKILL after 8 s if it lingers). */
export function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => proc.kill('SIGKILL'), 8_000);
    proc.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    proc.kill(signal);
  });
}
