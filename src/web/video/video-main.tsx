import { render } from 'preact';
import { twitchExt } from '../twitch/twitch-ext.js';
import { VideoApp } from './video-app.js';
import '../styles/video.css';
import '../styles/events.css';

// No theme: the card sits on the video, not on Twitch's page, so it keeps its own dark look.
render(<VideoApp ext={twitchExt()} />, document.getElementById('app')!);
