// Notifier: user.created -> confirmation e-mail over SMTP -> user.confirmation.sent.
import { startApp } from './app';
import { loadNotifierConfig } from './config';

const config = loadNotifierConfig();
const app = await startApp(config);
app.lifecycle.installSignalHandlers();
