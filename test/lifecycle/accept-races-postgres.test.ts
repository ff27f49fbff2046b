import { acceptRaces } from './accept-races.ts';

acceptRaces('postgres');
