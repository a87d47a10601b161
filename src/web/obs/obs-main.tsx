import { render } from 'preact';
import { ObsApp } from './obs-app.js';
import '../styles/video.css';
import '../styles/events.css';

render(<ObsApp />, document.getElementById('app')!);
