// Runs before every test file (jest's setupFiles), in the file's own context.
import {dropTfjsNodeAdvert} from './tfjs_node_advert';

dropTfjsNodeAdvert(console);
