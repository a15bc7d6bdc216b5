/**
 * The common MIME types by extension. Core carries its own short table rather than a mime
 * package: it decides the `Content-Type` files are served with, and an extension it does not
 * know is served as `application/octet-stream`, which browsers never render.
 */
const TYPES: Readonly<Record<string, string>> = {
  aac: 'audio/aac',
  avif: 'image/avif',
  bmp: 'image/bmp',
  css: 'text/css',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  epub: 'application/epub+zip',
  flac: 'audio/flac',
  gif: 'image/gif',
  gz: 'application/gzip',
  heic: 'image/heic',
  htm: 'text/html',
  html: 'text/html',
  ico: 'image/vnd.microsoft.icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  js: 'text/javascript',
  json: 'application/json',
  m4a: 'audio/mp4',
  md: 'text/markdown',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  ogv: 'video/ogg',
  otf: 'font/otf',
  pdf: 'application/pdf',
  png: 'image/png',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  rtf: 'application/rtf',
  svg: 'image/svg+xml',
  tar: 'application/x-tar',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ttf: 'font/ttf',
  txt: 'text/plain',
  wav: 'audio/wav',
  weba: 'audio/webm',
  webm: 'video/webm',
  webp: 'image/webp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xml: 'application/xml',
  zip: 'application/zip',
};

const EXTENSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TYPES)
    .reverse()
    .map(([extension, type]) => [type, extension]),
);

/** The extension of a name (without the dot, lowercase), or `undefined`. Trailing dots are ignored. */
export function extensionOf(name: string): string | undefined {
  const trimmed = name.replace(/\.+$/, '');
  const dot = trimmed.lastIndexOf('.');
  return dot === -1 ? undefined : trimmed.slice(dot + 1).toLowerCase();
}

/** The MIME type for a file name's extension, or `undefined` when unknown. */
export function typeForName(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : TYPES[extension];
}

/** The usual extension for a MIME type (parameters ignored), or `undefined` when unknown. */
export function extensionForType(contentType: string): string | undefined {
  return EXTENSIONS[contentType.split(';')[0]?.trim().toLowerCase() ?? ''];
}
