// Reads an image-folder `.zip`: one sub-folder per class holding PNG/JPEG files, like torchvision's
// ImageFolder. Class ids follow the sorted folder names; images are converted to the model's channel
// count and resized (bilinear) to its H×W. If the whole tree sits inside one top folder (the usual
// result of zipping a folder) that folder is looked through.
//
// Policy for other files: `__MACOSX/` trees, dotfiles (.DS_Store, ._resource forks), Thumbs.db and
// desktop.ini are ignored silently; any other non-image file is an ERROR listing the first few such
// files — silently training on a partial dataset is worse than asking the user to clean the zip.

import type { Dataset } from './Dataset.js';
import { DatasetError, formatCount } from './DatasetError.js';
import { decodeImage, type DecodedImage } from './imageDecoding.js';
import { convertChannels, resizeBilinear } from './imageResize.js';
import { DEFAULT_ZIP_LIMITS, extractZipEntry, readZipEntries, ZipExtractionBudget, type ZipEntry, type ZipLimits } from './zipArchive.js';

export interface ImageFolderOptions {
  /** The zip's file name, used in messages and as the dataset's name. */
  fileName: string;
  /** The model's input (C, H, W). Without it all images must share one size; C is 1 if all are gray, else 3. */
  target?: { channels: 1 | 3; height: number; width: number };
  zipLimits?: ZipLimits;
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
const IGNORED_FILE_NAMES = new Set(['thumbs.db', 'desktop.ini']);

function isIgnored(path: string): boolean {
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === '__MACOSX') return true;
  const fileName = segments[segments.length - 1] ?? '';
  return segments.some((segment) => segment.startsWith('.')) || IGNORED_FILE_NAMES.has(fileName.toLowerCase());
}

function isImageName(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

interface ClassFolder {
  name: string;
  files: ZipEntry[];
}

/** Groups the zip's entries into class folders, after looking through a single wrapping folder. */
function classFolders(entries: ZipEntry[], source: string): ClassFolder[] {
  const kept = entries.filter((entry) => !isIgnored(entry.name));
  const files = kept.filter((entry) => !entry.isDirectory);
  const strangers = files.filter((entry) => !isImageName(entry.name)).map((entry) => `'${entry.name}'`);
  if (strangers.length > 0) {
    throw new DatasetError(
      source,
      `holds files that are not PNG or JPEG images: ${strangers.slice(0, 5).join(', ')}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''}; ` +
        'remove them (an image-folder zip holds only class folders of images)',
    );
  }
  // Strip one wrapping folder while every kept path starts with the same folder and images sit deeper.
  let paths = kept.map((entry) => ({ entry, segments: entry.name.split('/').filter(Boolean) }));
  for (;;) {
    const first = paths[0]?.segments[0];
    const imagesDeep = paths.filter((p) => !p.entry.isDirectory).every((p) => p.segments.length >= 3);
    if (!first || !imagesDeep || !paths.every((p) => p.segments[0] === first)) break;
    paths = paths.map((p) => ({ ...p, segments: p.segments.slice(1) })).filter((p) => p.segments.length > 0);
  }
  const folders = new Map<string, ZipEntry[]>();
  for (const { entry, segments } of paths) {
    if (entry.isDirectory) {
      if (segments.length === 1 && !folders.has(segments[0]!)) folders.set(segments[0]!, []);
      continue;
    }
    if (segments.length === 1) {
      throw new DatasetError(source, `image '${entry.name}' is not inside a class folder; put each class's images in its own folder`);
    }
    if (segments.length > 2) {
      throw new DatasetError(source, `image '${entry.name}' is nested too deep; use exactly one folder level (class/image.png)`);
    }
    const className = segments[0]!;
    const list = folders.get(className) ?? [];
    list.push(entry);
    folders.set(className, list);
  }
  if (folders.size === 0) throw new DatasetError(source, 'has no class folders; expected one folder per class holding PNG/JPEG images');
  const sorted = [...folders.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, list] of sorted) {
    if (list.length === 0) throw new DatasetError(source, `class folder '${name}/' has no images`);
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return sorted.map(([name, list]) => ({ name, files: list }));
}

/** Decodes every image of an image-folder zip into a Dataset whose test part holds all of them. */
export function loadImageFolderZip(bytes: Uint8Array, options: ImageFolderOptions): Dataset {
  const source = options.fileName;
  const limits = options.zipLimits ?? DEFAULT_ZIP_LIMITS;
  const folders = classFolders(readZipEntries(bytes, source, limits), source);
  const allFiles = folders.flatMap((folder) => folder.files);
  new ZipExtractionBudget(source, limits.maxTotalBytes).reserve(allFiles);

  const decoded: { image: DecodedImage; label: number; name: string }[] = [];
  let decodedBytes = 0;
  folders.forEach((folder, label) => {
    for (const entry of folder.files) {
      const where = `${source}: entry '${entry.name}'`;
      const image = decodeImage(extractZipEntry(bytes, entry, source), where);
      decodedBytes += image.planes.byteLength;
      if (decodedBytes > limits.maxTotalBytes) {
        throw new DatasetError(source, `decodes to more than the ${formatCount(limits.maxTotalBytes)} bytes allowed`);
      }
      decoded.push({ image, label, name: entry.name });
    }
  });

  const first = decoded[0]!;
  const target = options.target ?? {
    channels: decoded.every((d) => d.image.channels === 1) ? (1 as const) : (3 as const),
    height: first.image.height,
    width: first.image.width,
  };
  if (!options.target) {
    const odd = decoded.find((d) => d.image.width !== first.image.width || d.image.height !== first.image.height);
    if (odd) {
      throw new DatasetError(
        source,
        `has mixed image sizes: '${first.name}' is ${first.image.width}×${first.image.height} but '${odd.name}' is ` +
          `${odd.image.width}×${odd.image.height}; give the model's input size so images are resized`,
      );
    }
  }
  const perImage = target.channels * target.height * target.width;
  const x = new Float32Array(decoded.length * perImage);
  const y = new Int32Array(decoded.length);
  decoded.forEach(({ image, label }, index) => {
    const planes = convertChannels(image, target.channels);
    x.set(resizeBilinear(planes, target.channels, image.height, image.width, target.height, target.width), index * perImage);
    y[index] = label;
  });
  return {
    name: source,
    classes: folders.length,
    classNames: folders.map((folder) => folder.name),
    test: { x, shape: [decoded.length, target.channels, target.height, target.width], y },
    train: null,
    split: {
      kind: 'folder',
      description: `${formatCount(decoded.length)} images in ${folders.length} class folders (sorted names → class ids), all used as the test split`,
    },
  };
}
