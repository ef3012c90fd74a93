import { NewestIds } from '../src/infrastructure/newest-ids';

describe('NewestIds', () => {
  it('keeps exactly the newest ids; one added again counts as new', () => {
    const ids = new NewestIds(3);
    for (const id of ['a', 'b', 'c']) ids.add(id);
    ids.add('a');
    ids.add('d');
    expect(['a', 'b', 'c', 'd'].filter((id) => ids.has(id))).toEqual(['a', 'c', 'd']);
  });
});
