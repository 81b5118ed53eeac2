// The two Teams app icons, drawn in code: `color.png` (192×192, full colour) and `outline.png` (32×32,
// white on transparent, as Teams requires). The symbol is a ring with an exclamation mark: an alert.
import { encodePng, type Rgba } from './png.ts';

export const ICON_SIZES = { color: 192, outline: 32 } as const;
/** The manifest's accentColor; the colour icon's background. */
export const ACCENT_COLOR = '#FA4747';

type Shape = (x: number, y: number) => number;

/** Signed distance (in units of the icon's size) to the alert symbol: negative inside. */
function alertSymbol(scale: number, stroke: number): Shape {
  const ringRadius = 0.36 * scale;
  return (x, y) => {
    const ring = Math.abs(Math.hypot(x, y) - ringRadius) - stroke / 2;
    const bar = capsule(x, y, -0.17 * scale, 0.05 * scale, stroke / 2);
    const dot = Math.hypot(x, y - 0.17 * scale) - stroke * 0.6;
    return Math.min(ring, bar, dot);
  };
}

function capsule(x: number, y: number, top: number, bottom: number, radius: number): number {
  const clampedY = Math.min(Math.max(y, top), bottom);
  return Math.hypot(x, y - clampedY) - radius;
}

function draw(
  size: number,
  paint: (coverage: number, index: number, pixels: Uint8Array) => void,
  shape: Shape,
): Rgba {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Pixel centres in coordinates centred on the icon; distance in pixels gives a one-pixel soft edge.
      const distance = shape(px + 0.5 - size / 2, py + 0.5 - size / 2);
      paint(Math.min(1, Math.max(0, 0.5 - distance)), (py * size + px) * 4, pixels);
    }
  }
  return { width: size, height: size, pixels };
}

export function colorIcon(): Buffer {
  const size = ICON_SIZES.color;
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(ACCENT_COLOR.slice(at, at + 2), 16)) as [
    number,
    number,
    number,
  ];
  return encodePng(
    draw(
      size,
      (coverage, index, pixels) => {
        pixels[index] = Math.round(r + (255 - r) * coverage);
        pixels[index + 1] = Math.round(g + (255 - g) * coverage);
        pixels[index + 2] = Math.round(b + (255 - b) * coverage);
        pixels[index + 3] = 255;
      },
      // Teams crops nothing but pads the symbol into the middle 96 px; drawn at half the icon's size.
      alertSymbol(size / 2, size * 0.06),
    ),
  );
}

export function outlineIcon(): Buffer {
  const size = ICON_SIZES.outline;
  return encodePng(
    draw(
      size,
      (coverage, index, pixels) => {
        pixels.set([255, 255, 255, Math.round(255 * coverage)], index);
      },
      alertSymbol(size * 0.9, 2.4),
    ),
  );
}
