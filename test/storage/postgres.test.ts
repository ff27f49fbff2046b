import { storageContract } from './contract.ts';

storageContract('postgres');
