// Package imageopt re-encodes a site's JPEG, PNG and GIF images (and WebP
// ones) as WebP: right the first time, fast, and not again when nothing
// changed.
//
// For most uses:
//   - a build script calls [ConvertTree] over the site's output folder
//     (or runs "posturekit webp public/"): name.webp is written beside each
//     image, or mirrored into an output folder, several at a time, each
//     file atomically, with a manifest of content hashes so that a second
//     run over an unchanged tree encodes nothing;
//   - a program holding one image in memory calls [Convert].
//
// What it gets right by default, where the usual tools each miss some:
//   - Decompression bombs: the declared size is checked against a pixel
//     limit ([DefaultMaxPixels], [Options.MaxPixels]) before any pixel is
//     decoded; for a GIF, the pixels of all frames together.
//   - EXIF orientation is applied: a photo stored sideways comes out
//     upright (and, when metadata is kept, its EXIF then says so).
//   - Metadata (EXIF with its GPS position, XMP) is stripped unless
//     [Options.KeepMetadata].
//   - Colours: an embedded RGB ICC profile that is not sRGB (Adobe RGB,
//     Display P3, a monitor's profile) is kept in the WebP as it is.
//     Browsers colour-manage WebP images with an ICC chunk as they do
//     JPEG and PNG, so the WebP shows the colours of the original. The
//     pixels are not converted to sRGB: that needs a colour management
//     engine, which Go does not have; keeping the profile is exact and
//     costs its size (0.5 to 4 KiB). An sRGB profile is dropped, since
//     untagged images are sRGB already. A grey profile cannot describe a
//     WebP's RGB pixels: its tone curve is applied to the pixels instead,
//     which is an exact conversion to sRGB grey. A CMYK profile is dropped
//     (CMYK JPEGs are converted naively; browsers rarely show them right
//     either). [Result.ICC] says which happened.
//   - Semi-transparent pixels keep their colour: libwebp wants straight
//     alpha, and the plain chai2010/webp call premultiplies it first
//     (chai2010/webp#20), darkening every soft edge. Pixels go to libwebp
//     from the decoder's own buffer where its layout allows, with no
//     conversion or copy.
//   - JPEG chroma is upsampled as libjpeg-turbo does, so the encoder gets
//     the pixels that cwebp gives it, and the output is the size of
//     cwebp's.
//   - Lossy at quality 75 by default ([DefaultQuality]); graphics (real
//     transparency, or few colours) are encoded lossy and lossless and the
//     smaller kept ([Auto]).
//   - The original is kept when the WebP is not smaller by a margin
//     ([DefaultMinSaving]): WebP is not always smaller, and tiny GIFs,
//     heavily compressed JPEGs and earlier WebP files often come out
//     larger.
//   - An animated GIF becomes an animated WebP, frame for frame (never
//     its first frame only).
//   - Optional resizing to a maximum width and height with a Catmull-Rom
//     filter, never enlarging.
//
// Encoding uses libwebp through cgo (github.com/chai2010/webp, which
// bundles libwebp 1.4.0; lossy output is byte for byte cwebp's at the same
// quality for the same pixels). In a program built with CGO_ENABLED=0 the
// package still compiles, and [Convert], [ConvertTree] and [Available]
// return [ErrNeedsCgo]: there is no pure-Go fallback, since no pure-Go
// lossy WebP encoder exists.
package imageopt
