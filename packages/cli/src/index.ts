export { runScript } from './runScript';
