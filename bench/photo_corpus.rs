//! Writes a site of N photos for measuring what resizing costs a build:
//! `cargo run --release --example photo_corpus -- 1000 /tmp/photos`, then
//! `casebook build --root /tmp/photos` twice (the second build finds the copies cached).
//!
//! Each photo is a 3000×2000 JPEG (about what a phone or a scan of an old print gives)
//! with a gradient and noise, ten to a page bundle; each carries its number in a JPEG
//! comment, so every file hashes apart while decoding costs the same.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "photo-site".into()));
    let mut seed = 7u32;
    let photo = image::RgbImage::from_fn(3000, 2000, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = (seed >> 27) as u8;
        image::Rgb([
            (x / 12) as u8 ^ noise,
            ((x + y) / 20) as u8,
            (y / 8) as u8 + noise,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 88)
        .encode_image(&photo)
        .expect("encodes");
    std::fs::create_dir_all(root.join("content")).expect("site folder");
    std::fs::write(root.join("site.toml"), "title = \"照片基准\"\n").expect("site.toml");
    for page in 0..count.div_ceil(10) {
        let bundle = root.join(format!("content/photos/p{page:04}"));
        std::fs::create_dir_all(&bundle).expect("bundle");
        let mut body = format!("---\ntitle: 第{page}页\n---\n\n");
        for i in 0..10.min(count - page * 10) {
            let number = format!("photo {}", page * 10 + i);
            let mut bytes = jpeg[..2].to_vec();
            bytes.extend([0xff, 0xfe]);
            bytes.extend(((number.len() + 2) as u16).to_be_bytes());
            bytes.extend(number.as_bytes());
            bytes.extend(&jpeg[2..]);
            std::fs::write(bundle.join(format!("照片{i}.jpg")), bytes).expect("photo");
            body.push_str(&format!(
                "![照片{i}](照片{i}.jpg \"第{}张\")\n\n",
                page * 10 + i
            ));
        }
        std::fs::write(bundle.join("index.md"), body).expect("page");
    }
    println!(
        "{count} photos of {} KB in {}",
        jpeg.len() / 1024,
        root.display()
    );
}
