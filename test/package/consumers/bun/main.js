import { decideOnPage } from './page.js';

decideOnPage(); // core.wasm was copied next to the bundle: init() finds it there
