import { render } from 'preact';
import 'krds-uiux/resources/css/common/common.css';
import 'krds-uiux/resources/css/component/component.css';
import './styles/fonts.css';
import './styles/app.css';
import { App } from './app';
import { loadReference, refreshMe } from './api';
import { applyDocument } from './store';

applyDocument();
render(<App />, document.getElementById('app')!);
loadReference();
refreshMe();
