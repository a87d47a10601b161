import { render } from 'preact';
import { applyTheme } from '../twitch/theme.js';
import { twitchExt } from '../twitch/twitch-ext.js';
import { LiveApp } from './live-app.js';
import '../styles/panel.css';
import '../styles/events.css';

const ext = twitchExt();
applyTheme(ext);
render(<LiveApp ext={ext} />, document.getElementById('app')!);
