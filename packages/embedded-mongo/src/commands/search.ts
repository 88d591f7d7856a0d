// Atlas Search commands of the embedded engine (createSearchIndexes, updateSearchIndex, dropSearchIndex and the
// $search/$vectorSearch/$searchMeta/$listSearchIndexes stages): refused the way a MongoDB server without Atlas
// Search refuses them (SearchNotEnabled, 31082). Must never create anything.
import type { Handler } from '../context.js';
import { CommandError, Codes } from '../errors.js';

export const SEARCH_STAGES = new Set(['$search', '$searchMeta', '$vectorSearch', '$listSearchIndexes']);

export function searchNotEnabled(): CommandError {
  return new CommandError(
    Codes.SearchNotEnabled,
    'Using Atlas Search Database Commands and the $listSearchIndexes aggregation stage requires additional ' +
      'configuration. Please connect to Atlas or an AtlasCLI local deployment to enable. ' +
      '(Atlas Search is not supported by the embedded database engine.)',
  );
}

const refuse: Handler = () => {
  throw searchNotEnabled();
};

export const searchCommands: Record<string, Handler> = {
  createSearchIndexes: refuse,
  updateSearchIndex: refuse,
  dropSearchIndex: refuse,
};
