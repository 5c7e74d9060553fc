// The page's first module, loaded before app.js and its imports: it asks
// the shell for app_status at once, so the answer is on its way while the
// first screen's modules load. ipc.js imports nothing, so this starts
// after one small fetch; app.js takes the answer through callEarly.
import { startEarly } from './ipc.js';

startEarly('app_status');
