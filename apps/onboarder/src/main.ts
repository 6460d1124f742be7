// Onboarder: POST /api/v1/register -> validate -> reserve identity in Redis -> user.registration.request -> 201.
import { startApp } from './app';
import { loadOnboarderConfig } from './config';

const config = loadOnboarderConfig();
const app = await startApp(config);
app.lifecycle.installSignalHandlers();
