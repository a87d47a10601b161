import { render } from 'preact';
import { DevPage } from './dev-page.js';
import '../styles/dev.css';

render(<DevPage />, document.getElementById('app')!);
