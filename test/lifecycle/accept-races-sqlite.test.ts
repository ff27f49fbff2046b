import { acceptRaces } from './accept-races.ts';

acceptRaces('sqlite');
