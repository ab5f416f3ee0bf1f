// A picture chosen in the back office (an item's photo, the venue's logo), made ready to
// send as JSON: base64, as the server takes it. A photo too large to send (straight off a
// phone) is first drawn smaller on a canvas here; the server checks and redraws it anyway.

export const MAX_BYTES = 2 * 1024 * 1024;
const TYPES = ["image/png", "image/jpeg", "image/webp"];
const LARGEST_SIDE = 1600;

export class PictureRefusal extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason; // "type" or "size"
  }
}

function readAsDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function drawnSmaller(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureRefusal("type");
  }
  const scale = Math.min(1, LARGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close?.();
  const type = file.type === "image/png" ? "image/png" : "image/jpeg";
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, type, 0.88));
  if (!blob || blob.size > MAX_BYTES) throw new PictureRefusal("size");
  return blob;
}

/** ``{data, preview}``: the file as a data URL to send and to show; refuses with
 * PictureRefusal("type") what is not a PNG, JPEG or WebP. */
export async function pictureFrom(file) {
  if (!TYPES.includes(file.type)) throw new PictureRefusal("type");
  const blob = file.size > MAX_BYTES ? await drawnSmaller(file) : file;
  const data = await readAsDataUrl(blob);
  return { data, preview: data };
}
