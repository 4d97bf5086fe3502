// Bundled into one CommonJS file (vite.preload.config.ts): sandboxed preloads cannot load other files.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api.js';

contextBridge.exposeInMainWorld('tonus', createPreloadApi(ipcRenderer));
