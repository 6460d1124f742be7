// Cache-updater: user events -> Redis user hash, registration status and dedup keys, kept true.
import { startApp } from './app';
import { loadCacheUpdaterConfig } from './config';

const config = loadCacheUpdaterConfig();
const app = await startApp(config);
app.lifecycle.installSignalHandlers();
