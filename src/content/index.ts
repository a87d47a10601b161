// Game content: data files in ./data, validated and versioned at load.
export { ContentError } from './content-error.js';
export { DEFAULT_CONTENT_DIR, loadContent } from './load-content.js';
