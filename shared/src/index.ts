// The one vocabulary shared by server and client: zod schemas and the types inferred from them, plain types of
// shapes nobody validates, and the pure rules both sides apply (channel reply windows, message-status ranking).
export * from './roles.js';
export * from './errors.js';
export * from './auth.js';
export * from './inbox.js';
export * from './socket.js';
export * from './conversations-api.js';
export * from './protection.js';
export * from './attribution.js';
export * from './channel-rules.js';
export * from './reply-window.js';
export * from './message-status.js';
export * from './compliance.js';
export * from './sandbox.js';
export * from './events.js';
export * from './preferences.js';
export * from './labels.js';
