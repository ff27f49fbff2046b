import { storageContract } from './contract.ts';

storageContract('sqlite');
