import { decideOnPage } from './page.js';

decideOnPage(); // webpack emits core.wasm as an asset: init() needs no argument
