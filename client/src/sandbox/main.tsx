// Entry point of the sandbox phone page (/sandbox): mounts <SandboxPhone/>. Must never load the console's code.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SandboxPhone } from './SandboxPhone.js';
import './sandbox.css';

const root = document.getElementById('sandbox-root');
if (!root) throw new Error('#sandbox-root is missing from sandbox.html');
createRoot(root).render(
  <StrictMode>
    <SandboxPhone />
  </StrictMode>,
);
