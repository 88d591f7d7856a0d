// Process entry: .env → validated config (a bad value stops the process naming the variable) → server →
// graceful shutdown on SIGTERM/SIGINT. A port in use is reported (naming PORT) before anything is written. Prints the first admin's generated credentials once.
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';
import { listenAddress, portProblem } from './port-check.js';

async function main(): Promise<void> {
  // Before the configuration is loaded: it may write secrets into the data folder.
  const address = listenAddress(process.env);
  const busy = address && (await portProblem(address.port, address.host));
  if (busy) {
    console.error(`Parley cannot start: ${busy}`);
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\nParley cannot start. ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
  const server = await startServer(config);
  const shown = config.PORT === server.port ? `http://localhost:${server.port}` : server.url;
  if (server.generatedAdmin) {
    const line = '='.repeat(64);
    console.log(
      `\n${line}\n Parley console: ${shown}\n First admin created — shown only this once, write it down:\n` +
        `   email:    ${server.generatedAdmin.email}\n   password: ${server.generatedAdmin.password}\n` +
        ` (Set ADMIN_EMAIL / ADMIN_PASSWORD to choose them yourself.)\n${line}\n`,
    );
  } else {
    console.log(`\nParley console: ${shown}\n`);
  }
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      console.error('second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    server.logger.info({ signal }, 'signal received');
    server.stop().then(
      () => process.exit(0),
      (err) => {
        server.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err) => {
  console.error('Parley failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
