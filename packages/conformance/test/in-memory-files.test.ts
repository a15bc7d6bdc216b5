import { InMemoryFilesAdapter } from '@openparse/core';
import { runFilesAdapterSuite } from '@openparse/conformance';

// The kit checks itself against core's reference adapter.
runFilesAdapterSuite(async () => new InMemoryFilesAdapter());
