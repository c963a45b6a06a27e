import { decideOnPage } from './page.js';

decideOnPage(new URL('./core.wasm', import.meta.url)); // core.wasm copied next to the bundle
