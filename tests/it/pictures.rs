//! Pictures: copies at three widths (never wider than the photo) in the photo's format
//! and WebP, the `<img>` that offers them, figures, callouts, players and share cards.

use std::path::Path;

use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

use crate::support::*;

/// A noisy 3000×2000 photo: noise keeps the JPEG near a real photo's size.
fn large_jpeg(path: &Path) {
    let mut seed = 7u32;
    let image = RgbImage::from_fn(3000, 2000, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let n = (seed >> 24) as u8 / 4;
        Rgb([(x / 12) as u8 ^ n, (y / 8) as u8, 120u8.wrapping_add(n)])
    });
    image.save(path).unwrap();
}

/// A portrait photo stored sideways: 600×400 pixels, EXIF orientation 6 (turn right).
fn sideways_jpeg(path: &Path) {
    let image = RgbImage::from_fn(600, 400, |x, _| Rgb([(x / 3) as u8, 80, 160]));
    // A little-endian TIFF header with one IFD entry: Orientation (0x0112) = 6.
    let exif = [
        b'I', b'I', 0x2a, 0, 8, 0, 0, 0, // header, IFD at 8
        1, 0, // one entry
        0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // orientation, SHORT, 1, 6
        0, 0, 0, 0, // no next IFD
    ];
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
    encoder.set_exif_metadata(exif.to_vec()).unwrap();
    encoder
        .write_image(image.as_raw(), 600, 400, image::ExtendedColorType::Rgb8)
        .unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// An 800×600 logo, transparent around a red disc.
fn transparent_png(path: &Path) {
    let image = RgbaImage::from_fn(800, 600, |x, y| {
        let (dx, dy) = (x as i32 - 400, y as i32 - 300);
        if dx * dx + dy * dy < 250 * 250 {
            Rgba([200, 30, 20, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    image.save(path).unwrap();
}

fn site_with_photos() -> tempfile::TempDir {
    let site = temp();
    copy_tree(&fixture("pictures"), site.path());
    let bundle = site.path().join("content/photos/鸾峰桥");
    large_jpeg(&bundle.join("大桥.jpg"));
    transparent_png(&bundle.join("标志.png"));
    sideways_jpeg(&bundle.join("竖拍.jpg"));
    std::fs::write(bundle.join("讲话.mp3"), b"ID3 not really sound").unwrap();
    std::fs::create_dir_all(site.path().join("static/images")).unwrap();
    RgbImage::from_pixel(300, 200, Rgb([10, 20, 30]))
        .save(site.path().join("static/images/small.png"))
        .unwrap();
    site
}

fn size(dir: &Path, path: &str) -> (u32, u32) {
    image::image_dimensions(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn photos_get_copies_at_three_widths_and_a_responsive_img() {
    let site = site_with_photos();
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    let dir = "photos/鸾峰桥";
    // The large photo: three copies, never the 3000-pixel original in srcset.
    for (w, h) in [(480, 320), (960, 640), (1600, 1067)] {
        assert_eq!(size(out.path(), &format!("{dir}/大桥.{w}.jpg")), (w, h));
    }
    let original = std::fs::metadata(site.path().join("content/photos/鸾峰桥/大桥.jpg"))
        .unwrap()
        .len();
    let copy = |name: &str| {
        std::fs::metadata(out.path().join(dir).join(name))
            .unwrap()
            .len()
    };
    assert!(copy("大桥.480.jpg") < copy("大桥.960.jpg"));
    assert!(copy("大桥.960.jpg") < copy("大桥.1600.jpg"));
    assert!(
        copy("大桥.1600.jpg") * 2 < original,
        "the widest copy is far smaller than the photo"
    );
    // JPEG photos get no WebP: lossless WebP (all the image crate writes) is larger.
    assert!(!out.path().join(dir).join("大桥.480.webp").exists());
    let page = read(out.path(), &format!("{dir}/index.html"));
    let at = "../../photos/%E9%B8%BE%E5%B3%B0%E6%A1%A5/";
    let big = format!("{at}%E5%A4%A7%E6%A1%A5");
    assert!(
        page.contains(&format!(
            "<figure><img src=\"{big}.1600.jpg\" alt=\"鸾峰桥全景\" srcset=\"{big}.480.jpg 480w, {big}.960.jpg 960w, {big}.1600.jpg 1600w\" sizes=\"(min-width: 42rem) 38rem, 100vw\" width=\"3000\" height=\"2000\" loading=\"lazy\" decoding=\"async\"><figcaption>1989年的鸾峰桥</figcaption></figure>"
        )),
        "{page}"
    );
    // The transparent PNG: a 480 copy and itself at 800, in PNG and (smaller) WebP,
    // transparency kept.
    assert_eq!(size(out.path(), &format!("{dir}/标志.480.png")), (480, 360));
    let webp = image::open(out.path().join(dir).join("标志.480.webp")).unwrap();
    assert!(webp.color().has_alpha());
    assert_eq!(
        webp.to_rgba8().get_pixel(0, 0)[3],
        0,
        "the corner stays transparent"
    );
    assert!(copy("标志.480.webp") < copy("标志.480.png"));
    let logo = format!("{at}%E6%A0%87%E5%BF%97");
    assert!(
        page.contains(&format!(
            "<picture><source type=\"image/webp\" srcset=\"{logo}.480.webp 480w, {logo}.800.webp 800w\""
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("srcset=\"{logo}.480.png 480w, {logo}.png 800w\"")),
        "{page}"
    );
    // The sideways photo is turned upright: 400×600, copies included.
    assert!(page.contains("width=\"400\" height=\"600\""), "{page}");
    assert_eq!(size(out.path(), &format!("{dir}/竖拍.400.jpg")), (400, 600));
    // A picture from static/, on a page that is no bundle.
    let plain = read(out.path(), "photos/无图/index.html");
    assert!(plain.contains("src=\"../../images/small.png\""), "{plain}");
    assert!(plain.contains("width=\"300\" height=\"200\""), "{plain}");
    // Callouts and the player.
    assert!(page.contains("<div class=\"callout callout-note\" role=\"note\">"));
    assert!(page.contains("<p class=\"callout-label\">编者按</p>"));
    assert!(page.contains(&format!(
        "<audio controls preload=\"metadata\" src=\"{at}%E8%AE%B2%E8%AF%9D.mp3\""
    )));
    // The share card: the first picture, absolute, with the page's URL.
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"https://study.example.cn/photos/%E9%B8%BE%E5%B3%B0%E6%A1%A5/%E5%A4%A7%E6%A1%A5.1600.jpg\">"
        ),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:url\" content=\"https://study.example.cn/photos/%E9%B8%BE%E5%B3%B0%E6%A1%A5/\">"), "{page}");
    assert!(
        page.contains("<meta property=\"og:title\" content=\"鸾峰桥\">"),
        "{page}"
    );
    assert!(
        page.contains("<meta property=\"og:description\" content=\"鸾峰桥的老照片。\">"),
        "{page}"
    );

    // A page without pictures shows the site's share picture.
    let plain = read(out.path(), "photos/无图/index.html");
    assert!(
        plain.contains(
            "<meta property=\"og:image\" content=\"https://study.example.cn/images/small.png\">"
        ),
        "{plain}"
    );
    let home = read(out.path(), "index.html");
    assert!(
        home.contains(
            "<meta property=\"og:image\" content=\"https://study.example.cn/images/card.png\">"
        ),
        "{home}"
    );
    // A second build takes every copy from the cache: same bytes, nothing decoded.
    let cache = site.path().join(".casebook-cache/images");
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert!(!cached.is_empty());
    let again = temp();
    ok(&build(site.path(), again.path(), &[]));
    assert_eq!(tree(out.path()), tree(again.path()));
    assert!(!site.path().join("content/.casebook-cache").exists());
}

#[test]
fn a_corrupt_photo_names_the_page_line_and_file() {
    let site = site_with_photos();
    let bundle = site.path().join("content/photos/鸾峰桥");
    std::fs::write(bundle.join("竖拍.jpg"), b"\xff\xd8\xff\xe0 this is no JPEG").unwrap();
    let out = temp();
    let stderr = fails_with(&build(site.path(), out.path(), &[]), 1);
    assert!(
        stderr.contains("content/photos/鸾峰桥/index.md:9"),
        "{stderr}"
    );
    assert!(stderr.contains("竖拍.jpg"), "{stderr}");
    assert!(stderr.contains("cannot be read"), "{stderr}");
}

/// A 600×400 JPEG carrying `mark` (same length for every mark) in a comment segment:
/// two marks are two photos of one size that hash apart.
fn marked_jpeg(mark: &str) -> Vec<u8> {
    let mut jpeg = Vec::new();
    RgbImage::from_fn(600, 400, |x, y| Rgb([(x / 3) as u8, (y / 2) as u8, 90]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut marked = jpeg[..2].to_vec();
    marked.extend([0xff, 0xfe]);
    marked.extend(((mark.len() + 2) as u16).to_be_bytes());
    marked.extend(mark.as_bytes());
    marked.extend(&jpeg[2..]);
    marked
}

/// The cache file the 480 copy of `content/p/photo.jpg` comes from: its name is the
/// hash of the photo's bytes that the build used.
fn copy_source(root: &Path, cache: Option<&casebook::testing::BuildCache>) -> String {
    let progress = casebook::testing::Progress::hidden();
    let rendered =
        casebook::testing::render_site_with(root, Some("/"), false, false, cache, &progress)
            .unwrap_or_else(|e| panic!("{e}"));
    let copy = rendered
        .outputs
        .into_iter()
        .find(|o| o.path == "p/photo.480.jpg")
        .expect("a 480 copy");
    match copy.body {
        casebook::testing::Body::CopyOf(source) => source.display().to_string(),
        casebook::testing::Body::Bytes(_) => panic!("a copy comes from the cache"),
    }
}

#[test]
fn serve_reads_a_photo_again_only_when_its_size_or_time_changed() {
    let site = temp();
    std::fs::write(site.path().join("site.toml"), "title = \"照片\"\n").unwrap();
    let bundle = site.path().join("content/p");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "---\ntitle: 照片\n---\n\n![桥](photo.jpg)\n",
    )
    .unwrap();
    let photo = bundle.join("photo.jpg");
    std::fs::write(&photo, marked_jpeg("first")).unwrap();
    let when = std::fs::metadata(&photo).unwrap().modified().unwrap();
    let memo = casebook::testing::BuildCache::default();
    let first = copy_source(site.path(), Some(&memo));

    // Other bytes of the same length, with the old time put back: the server takes the
    // photo for unchanged and does not read it (a full build does, and sees the change).
    std::fs::write(&photo, marked_jpeg("other")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&photo)
        .unwrap()
        .set_modified(when)
        .unwrap();
    let full = copy_source(site.path(), None);
    assert_ne!(full, first, "the new bytes hash apart");
    assert_eq!(
        copy_source(site.path(), Some(&memo)),
        first,
        "read again though unchanged"
    );

    // A new time: read and hashed again, so the copies follow the bytes, not the time.
    let later = when + std::time::Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(&photo)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert_eq!(copy_source(site.path(), Some(&memo)), full);
}
