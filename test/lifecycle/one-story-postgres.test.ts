import { oneStory } from './one-story.ts';

oneStory('postgres');
