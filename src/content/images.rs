//! Pictures: each photo a page shows is read, turned upright by its EXIF orientation,
//! and made into smaller copies (480, 960 and 1600 pixels wide, never wider than the
//! photo) in its own format and, where that is smaller, WebP. Phones then load a
//! copy of their width instead of a 3000-pixel original.
//!
//! Making copies is slow, so they are kept in the site's cache folder
//! (`.casebook-cache/images/` beside `site.toml`, never in `content/`), named by a
//! hash of the photo's bytes: a rebuild reads and hashes each photo, and decodes only
//! the new or changed ones. The dev server also remembers each photo's hash with its
//! size and time (`HashMemo`), so its rebuilds do not even read an unchanged photo.
//! The cache is not the output: `output::write` still writes every file of the site,
//! copying the copies from here.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use crate::diagnostics::Problem;
use crate::markdown::ImageUse;
use crate::messages::{self, FileAction, Text};

/// The cache folder, under the site root.
pub(crate) const CACHE_DIR: &str = ".casebook-cache/images";

/// The widths copies are made at, when the photo is wider.
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1600];

/// Bumped whenever the copies would come out differently (widths, quality, filter),
/// so that an old cache is never taken for a new one.
const RECIPE: &str = "v2 480,960,1600 q82 catmullrom fast_image_resize";

/// JPEG quality of the copies: no visible loss in photos at a third of the bytes.
const JPEG_QUALITY: u8 = 82;

/// A photo and the copies made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width as shown, after EXIF orientation.
    pub width: u32,
    /// Height as shown.
    pub height: u32,
    /// Copies, narrowest first, in the photo's format; the photo itself stands as the
    /// widest when it is no wider than 1600 (its `cache` is then `None`).
    pub copies: Vec<Copy>,
    /// WebP copies of the same widths, when they are smaller in all; else empty.
    pub webp: Vec<Copy>,
}

/// One copy of a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Its width in pixels.
    pub width: u32,
    /// The file in the cache, or `None` for the photo itself.
    pub cache: Option<PathBuf>,
    /// Its size in bytes.
    pub bytes: u64,
    /// The name suffix: `.480.jpg`, `.960.webp`; empty for the photo itself.
    pub suffix: String,
}

/// Whether casebook makes copies of a file of this name.
pub(crate) fn is_photo(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The name of a copy: `photo.jpg` with suffix `.480.jpg` is `photo.480.jpg`.
pub(crate) fn copy_name(name: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        return name.to_owned();
    }
    let (folder, file) = match name.rsplit_once('/') {
        Some((folder, file)) => (&name[..folder.len() + 1], file),
        None => ("", name),
    };
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    format!("{folder}{stem}{suffix}")
}

/// The file (relative to the site root) that `dest`, written in the body of the file
/// at `content_path`, shows; `bundle` tells whether that file is a bundle's `index.md`.
/// `None` for a picture that is not a file of the site.
pub(crate) fn source_of(content_path: &str, bundle: bool, dest: &str) -> Vec<PathBuf> {
    let dest = dest.split(['?', '#']).next().unwrap_or(dest);
    let Some(dest) = crate::url::percent_decode(dest) else {
        return Vec::new();
    };
    if let Some(rooted) = dest.strip_prefix('/') {
        let rooted = normalise(rooted);
        return vec![
            Path::new(super::STATIC_DIR).join(&rooted),
            Path::new(super::CONTENT_DIR).join(&rooted),
        ];
    }
    if !bundle {
        return Vec::new();
    }
    let folder = content_path.rsplit_once('/').map_or("", |(f, _)| f);
    let joined = normalise(&format!("{folder}/{dest}"));
    if joined.starts_with("../") {
        return Vec::new();
    }
    vec![Path::new(super::CONTENT_DIR).join(joined)]
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The hash of each photo's bytes, by file, with the size and modification time the
/// file had when it was read. The dev server keeps one across rebuilds, so that a photo
/// whose size and time are unchanged is not read and hashed again. The copies are still
/// named by the hash of the bytes: when size or time differ, the photo is read.
#[derive(Debug, Default)]
pub(crate) struct HashMemo(Mutex<HashMap<PathBuf, (Stamp, String)>>);

/// A file's size and modification time.
type Stamp = (u64, SystemTime);

impl HashMemo {
    fn get(&self, photo: &Path, stamp: Stamp) -> Option<String> {
        let known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        known
            .get(photo)
            .filter(|(was, _)| *was == stamp)
            .map(|(_, key)| key.clone())
    }

    fn insert(&self, photo: &Path, stamp: Stamp, key: String) {
        let mut known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        known.insert(photo.to_path_buf(), (stamp, key));
    }
}

fn stamp_of(file: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(file).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

/// Makes (or finds in the cache) the copies of every photo in `uses`: for each
/// picture shown, the file showing it (`page file`, `ImageUse`) and the photo's path
/// relative to `root`. A photo that cannot be read is a problem at each line showing it.
/// With a `memo`, photos it knows unchanged are not read.
pub(crate) fn process(
    root: &Path,
    uses: Vec<(PathBuf, ImageUse, PathBuf)>,
    memo: Option<&HashMemo>,
) -> (HashMap<PathBuf, Picture>, Vec<Problem>) {
    let mut by_photo: HashMap<PathBuf, Vec<(PathBuf, ImageUse)>> = HashMap::new();
    for (page, image, photo) in uses {
        by_photo.entry(photo).or_default().push((page, image));
    }
    let mut photos: Vec<_> = by_photo.into_iter().collect();
    photos.sort_by(|a, b| a.0.cmp(&b.0));
    let cache = root.join(CACHE_DIR);
    let results: Vec<_> = photos
        .into_par_iter()
        .map(|(photo, shown)| {
            let result = picture(&root.join(&photo), &cache, memo);
            (photo, shown, result)
        })
        .collect();
    let mut pictures = HashMap::new();
    let mut problems = Vec::new();
    for (photo, shown, result) in results {
        match result {
            Ok(picture) => {
                pictures.insert(photo, picture);
            }
            Err(why) => problems.extend(shown.into_iter().map(|(page, image)| {
                Problem::at(
                    &page,
                    image.line,
                    None,
                    messages::picture_unreadable(&image.dest, &photo, &why),
                )
            })),
        }
    }
    (pictures, problems)
}

/// A hash of the photo's bytes and the recipe, as 32 hex digits.
fn key(bytes: &[u8]) -> String {
    let half = |seed: usize| {
        let mut hasher = rustc_hash::FxHasher::with_seed(seed);
        hasher.write(RECIPE.as_bytes());
        hasher.write(bytes);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(0x9e37_79b9), half(0x85eb_ca6b))
}

/// The copies of one photo, from the cache when it holds them.
fn picture(photo: &Path, cache: &Path, memo: Option<&HashMemo>) -> Result<Picture, Text> {
    // Taken before reading: a photo saved while it is read is read again next time.
    let stamp = memo.and_then(|_| stamp_of(photo));
    if let (Some(memo), Some(stamp)) = (memo, stamp)
        && let Some(key) = memo.get(photo, stamp)
        && let Some(found) = cached(cache, &key)
    {
        return Ok(found);
    }
    let bytes =
        std::fs::read(photo).map_err(|e| messages::io_failed(FileAction::Read, photo, &e))?;
    let format = image::guess_format(&bytes).map_err(|_| messages::picture_unknown_kind())?;
    let extension = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        other => return Err(messages::picture_kind(&format!("{other:?}"))),
    };
    let key = key(&bytes);
    let found = match cached(cache, &key) {
        Some(found) => found,
        None => {
            let made = make(&bytes, format, extension, cache, &key)?;
            let index = cache.join(format!("{key}.txt"));
            write_atomically(&index, to_index(&made).as_bytes())
                .map_err(|e| messages::io_failed(FileAction::Write, &index, &e))?;
            made
        }
    };
    if let (Some(memo), Some(stamp)) = (memo, stamp) {
        memo.insert(photo, stamp, key);
    }
    Ok(found)
}

/// The picture the cache holds under `key`, when it holds all of its copies.
fn cached(cache: &Path, key: &str) -> Option<Picture> {
    let text = std::fs::read_to_string(cache.join(format!("{key}.txt"))).ok()?;
    from_index(&text, cache, key)
}

/// Decodes, turns upright, resizes and encodes; writes each copy into the cache.
fn make(
    bytes: &[u8],
    format: ImageFormat,
    extension: &str,
    cache: &Path,
    key: &str,
) -> Result<Picture, Text> {
    let broken = |e: image::ImageError| messages::picture_broken(&e.to_string());
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(broken)?;
    let orientation = decoder.orientation().map_err(broken)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(broken)?;
    image.apply_orientation(orientation);
    // The encoders take 8-bit RGB or RGBA; converting once here spares each copy.
    let image = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    let (width, height) = (image.width(), image.height());
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    // From the widest copy down, each made from the one before: cheaper than
    // resizing the original each time.
    let mut resizer = Resizer::new();
    let mut scaled: Vec<(u32, DynamicImage)> = Vec::with_capacity(widths.len());
    for &w in widths.iter().rev() {
        let from = scaled.last().map_or(&image, |(_, copy)| copy);
        let h = ((height as u64 * w as u64 + width as u64 / 2) / width as u64).max(1) as u32;
        let copy = if w == from.width() {
            from.clone()
        } else {
            resize(&mut resizer, from, w, h)?
        };
        scaled.push((w, copy));
    }
    scaled.reverse();
    let mut copies = Vec::new();
    let mut webp = Vec::new();
    for (w, copy) in &scaled {
        // The photo itself serves as its own full width, unless it had to be turned.
        let own = *w == width && upright;
        if own {
            copies.push(Copy {
                width: *w,
                cache: None,
                bytes: bytes.len() as u64,
                suffix: String::new(),
            });
        } else {
            let suffix = format!(".{w}.{extension}");
            let encoded = encode(copy, format)?;
            copies.push(store(cache, key, *w, suffix, &encoded)?);
        }
        if extension != "webp" && extension != "jpg" {
            let suffix = format!(".{w}.webp");
            let encoded = encode(copy, ImageFormat::WebP)?;
            webp.push(store(cache, key, *w, suffix, &encoded)?);
        }
    }
    let smaller = webp
        .iter()
        .zip(&copies)
        .all(|(webp, own)| webp.bytes < own.bytes);
    if !smaller {
        for copy in webp.drain(..) {
            if let Some(file) = copy.cache {
                let _ = std::fs::remove_file(file);
            }
        }
    }
    Ok(Picture {
        width,
        height,
        copies,
        webp,
    })
}

/// `image` resized to `width`×`height` with the Catmull-Rom filter (alpha weighted, so
/// transparent pixels lend no colour to the edge). fast_image_resize computes in fixed
/// point, giving the same bytes whichever SIMD instructions the machine has.
fn resize(
    resizer: &mut Resizer,
    image: &DynamicImage,
    width: u32,
    height: u32,
) -> Result<DynamicImage, Text> {
    let mut copy = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    resizer
        .resize(image, &mut copy, &options)
        .map_err(|e| messages::picture_broken(&e.to_string()))?;
    Ok(copy)
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, Text> {
    let mut out = Cursor::new(Vec::new());
    let result = match format {
        ImageFormat::Jpeg => image.write_with_encoder(
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY),
        ),
        _ => image.write_to(&mut out, format),
    };
    result.map_err(|e| messages::picture_broken(&e.to_string()))?;
    Ok(out.into_inner())
}

fn store(cache: &Path, key: &str, width: u32, suffix: String, bytes: &[u8]) -> Result<Copy, Text> {
    let file = cache.join(format!("{key}{suffix}"));
    write_atomically(&file, bytes)
        .map_err(|e| messages::io_failed(FileAction::Write, &file, &e))?;
    Ok(Copy {
        width,
        cache: Some(file),
        bytes: bytes.len() as u64,
        suffix,
    })
}

/// Writes beside the target, then renames: two builds at once never see half a file.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(
        ".{}.{}.part",
        file.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, file)
}

/// The cache's record of a picture: `width height`, then one line per copy:
/// `own|webp width bytes suffix` (suffix `-` for the photo itself).
fn to_index(picture: &Picture) -> String {
    let mut text = format!("{} {}\n", picture.width, picture.height);
    for (kind, list) in [("own", &picture.copies), ("webp", &picture.webp)] {
        for copy in list {
            let suffix = if copy.suffix.is_empty() {
                "-"
            } else {
                &copy.suffix
            };
            text.push_str(&format!("{kind} {} {} {suffix}\n", copy.width, copy.bytes));
        }
    }
    text
}

fn from_index(text: &str, cache: &Path, key: &str) -> Option<Picture> {
    let mut lines = text.lines();
    let mut size = lines.next()?.split(' ');
    let width = size.next()?.parse().ok()?;
    let height = size.next()?.parse().ok()?;
    let mut picture = Picture {
        width,
        height,
        copies: Vec::new(),
        webp: Vec::new(),
    };
    for line in lines {
        let mut fields = line.split(' ');
        let kind = fields.next()?;
        let width = fields.next()?.parse().ok()?;
        let bytes = fields.next()?.parse().ok()?;
        let suffix = fields.next()?;
        let (cache, suffix) = if suffix == "-" {
            (None, String::new())
        } else {
            let file = cache.join(format!("{key}{suffix}"));
            // A copy removed from the cache by hand: make them all again.
            if !file.is_file() {
                return None;
            }
            (Some(file), suffix.to_owned())
        };
        let copy = Copy {
            width,
            cache,
            bytes,
            suffix,
        };
        match kind {
            "own" => picture.copies.push(copy),
            "webp" => picture.webp.push(copy),
            _ => return None,
        }
    }
    (!picture.copies.is_empty()).then_some(picture)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Windows build must come out byte for byte as the Linux one, and an editor's
    /// laptop as CI: the copies may not depend on which SIMD instructions run.
    #[test]
    fn copies_are_the_same_whatever_simd_the_machine_has() {
        use fast_image_resize::CpuExtensions;
        let mut seed = 1u32;
        let mut noise = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        };
        let rgb = image::RgbImage::from_fn(317, 211, |x, _| image::Rgb([x as u8, noise(), 90]));
        let rgba = image::RgbaImage::from_fn(317, 211, |x, y| {
            image::Rgba([x as u8, y as u8, 40, if (x + y) % 7 == 0 { 0 } else { 200 }])
        });
        #[cfg(target_arch = "x86_64")]
        let simd = [CpuExtensions::Sse4_1, CpuExtensions::Avx2];
        #[cfg(target_arch = "aarch64")]
        let simd = [CpuExtensions::Neon];
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        let simd: [CpuExtensions; 0] = [];
        let mut tried = 0;
        for image in [DynamicImage::ImageRgb8(rgb), DynamicImage::ImageRgba8(rgba)] {
            let mut plain = Resizer::new();
            // SAFETY: no extension at all runs on every CPU.
            unsafe { plain.set_cpu_extensions(CpuExtensions::None) };
            let expected = resize(&mut plain, &image, 120, 80).unwrap();
            for extensions in simd.iter().filter(|e| e.is_supported()) {
                let mut resizer = Resizer::new();
                // SAFETY: the CPU has just said it supports these.
                unsafe { resizer.set_cpu_extensions(*extensions) };
                let copy = resize(&mut resizer, &image, 120, 80).unwrap();
                assert!(copy == expected, "{extensions:?} gives other bytes");
                tried += 1;
            }
        }
        #[cfg(target_arch = "x86_64")]
        assert!(
            tried > 0,
            "neither SSE4.1 nor AVX2 here: nothing was compared"
        );
    }

    #[test]
    fn copy_names_keep_the_folder_and_stem() {
        assert_eq!(copy_name("a/b/照片.jpg", ".480.jpg"), "a/b/照片.480.jpg");
        assert_eq!(copy_name("x.y.png", ".960.webp"), "x.y.960.webp");
        assert_eq!(copy_name("a.jpg", ""), "a.jpg");
    }

    #[test]
    fn sources_are_in_the_bundle_or_rooted_at_the_site() {
        assert_eq!(
            source_of("cases/桥/index.md", true, "img/%E6%A1%A5.jpg"),
            [PathBuf::from("content/cases/桥/img/桥.jpg")]
        );
        assert_eq!(
            source_of("cases/a.md", false, "/images/a.png?v=1"),
            [
                PathBuf::from("static/images/a.png"),
                PathBuf::from("content/images/a.png")
            ]
        );
        assert!(source_of("cases/a.md", false, "a.png").is_empty());
        assert!(source_of("a/index.md", true, "../../x.png").is_empty());
    }
}
