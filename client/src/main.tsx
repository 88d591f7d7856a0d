// Entry point of the Parley console: mounts <App/> into #root. Must never do anything else (no globals, no storage).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import './styles/shell.css';
import './styles/inbox.css';
import './styles/pages.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
