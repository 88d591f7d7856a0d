// Stable pseudonymous handles for contacts ("Amber Heron 42"): what agents call a customer instead of their
// number. Random, not derived from any identifier, so a handle reveals nothing.
import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'Amber', 'Azure', 'Brave', 'Bright', 'Calm', 'Coral', 'Crimson', 'Dusky', 'Eager', 'Fern', 'Gentle', 'Golden',
  'Hazel', 'Ivory', 'Jade', 'Kind', 'Lively', 'Lunar', 'Maple', 'Merry', 'Misty', 'Noble', 'Ochre', 'Olive',
  'Pearl', 'Quiet', 'Rapid', 'Rosy', 'Sage', 'Silver', 'Sunny', 'Swift', 'Teal', 'Tidy', 'Umber', 'Velvet',
  'Warm', 'Wild', 'Witty', 'Zesty',
];
const ANIMALS = [
  'Badger', 'Bison', 'Crane', 'Dolphin', 'Eagle', 'Falcon', 'Finch', 'Fox', 'Gecko', 'Hare', 'Heron', 'Ibis',
  'Jaguar', 'Koala', 'Lark', 'Lynx', 'Marten', 'Moose', 'Newt', 'Otter', 'Owl', 'Panda', 'Puffin', 'Quail',
  'Raven', 'Robin', 'Seal', 'Sparrow', 'Stork', 'Swan', 'Tapir', 'Tern', 'Tiger', 'Turtle', 'Walrus', 'Wren',
  'Yak', 'Zebra',
];

export function randomHandle(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]} ${ANIMALS[randomInt(ANIMALS.length)]} ${randomInt(10, 100)}`;
}
