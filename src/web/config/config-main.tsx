import { render } from 'preact';
import { applyTheme } from '../twitch/theme.js';
import { twitchExt } from '../twitch/twitch-ext.js';
import { ConfigApp } from './config-app.js';
import '../styles/panel.css';

const ext = twitchExt();
applyTheme(ext);
render(<ConfigApp ext={ext} />, document.getElementById('app')!);
