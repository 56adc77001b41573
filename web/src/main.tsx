import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
// The bundled emoji font, for systems without one: @font-face rules only, each unicode-range subset downloads when an emoji in it is shown (the stacks: styles.css).
import '@fontsource/noto-color-emoji';
import './styles.css';
import { registerServiceWorker } from './shell/registerServiceWorker.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();
