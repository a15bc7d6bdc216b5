/**
 * Every files conformance test id; each test title starts with its id. Adding one is a minor
 * release (it may surface non-conformance); renaming or removing one is a breaking change.
 */
export type FilesTestId =
  | 'factory.probe'
  | 'files.create-read'
  | 'files.create-from-stream'
  | 'files.binary-content'
  | 'files.content-type'
  | 'files.metadata-tags'
  | 'files.replace'
  | 'files.delete'
  | 'files.missing'
  | 'files.names'
  | 'files.isolated-names'
  | 'files.large-stream'
  | 'files.failed-stream-leaves-nothing'
  | 'files.failed-replace-keeps-previous'
  | 'ranges.start-end'
  | 'ranges.single-byte'
  | 'ranges.large-file'
  | 'encryption.roundtrip'
  | 'encryption.wrong-key'
  | 'encryption.no-key'
  | 'location.direct-access'
  | 'signed-urls.create';
