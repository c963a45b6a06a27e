import { decideOnPage } from './page.js';

decideOnPage(); // Vite emits core.wasm as an asset: init() needs no argument
