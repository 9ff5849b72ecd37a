// Every page kind in Firefox ESR, driven through its built-in WebDriver BiDi (the
// steps are in every-page.mjs).
import { launchFirefox } from './engines.mjs';
import { everyPageIn } from './every-page.mjs';

everyPageIn('firefox', () => launchFirefox());
