// The one vocabulary shared by server and client: zod schemas and the types inferred from them.
export * from './roles.js';
export * from './errors.js';
export * from './auth.js';
export * from './inbox.js';
export * from './socket.js';
export * from './conversations-api.js';
export * from './protection.js';
export * from './attribution.js';
export * from './events.js';
