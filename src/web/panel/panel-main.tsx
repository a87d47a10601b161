import { render } from 'preact';
import { applyTheme } from '../twitch/theme.js';
import { twitchExt } from '../twitch/twitch-ext.js';
import { PanelApp } from './panel-app.js';
import '../styles/panel.css';
import '../styles/events.css';

const ext = twitchExt();
applyTheme(ext);
render(<PanelApp ext={ext} />, document.getElementById('app')!);
