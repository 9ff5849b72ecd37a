// Every page kind in WebKit (Safari's engine), driven through WebKitGTK's
// WebKitWebDriver on a virtual display (the steps are in every-page.mjs).
import { launchWebKit } from './engines.mjs';
import { everyPageIn } from './every-page.mjs';

everyPageIn('webkit', () => launchWebKit());
