// The page's first module, loaded before app.js and its imports: it asks
// the shell for app_status and fetches the language's catalog at once, so
// both are on their way while the first screen's modules load. ipc.js and
// i18n.js import nothing up front, so this starts after two small fetches;
// app.js takes the answer through callEarly and finds the catalog loaded.
import { startEarly } from './ipc.js';
import { defaultLocale, loadLocale } from './i18n.js';

// Start-up marks (performance.mark, read by scripts/bench-startup.py) say
// where the first screen's time goes; they cost nothing else.
performance.mark('tillid:boot');
startEarly('app_status');
loadLocale(defaultLocale(null)).catch(() => { /* app.js loads it again and shows what fails */ });
