/** What the framework integrations share: mounting the inspector beside a framework's own server. */
export * from './load-inspector.js';
