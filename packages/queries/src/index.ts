export * from './engine/types';
