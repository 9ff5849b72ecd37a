//! How index data is written into script files: integers as LEB128 varints, packed into
//! a zlib stream, carried as base64 in a string. `search.js` undoes the three steps
//! (`DecompressionStream('deflate')`, with its own inflate where a browser lacks it).

use std::io::Write;

use base64::Engine;
use flate2::Compression;
use flate2::write::ZlibEncoder;

/// Appends `n` as an unsigned LEB128 varint: seven bits a byte, low bits first.
pub(super) fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Compresses `bytes` (zlib) and returns them as standard base64.
pub(super) fn blob(bytes: &[u8]) -> String {
    // Level 6 costs a third more time than level 1 and saves a tenth of the bytes; the
    // index is written once per build, and read many times.
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::new(6));
    encoder
        .write_all(bytes)
        .expect("writing to a Vec cannot fail");
    let packed = encoder.finish().expect("writing to a Vec cannot fail");
    base64::engine::general_purpose::STANDARD.encode(packed)
}

/// A data file: a call that hands its payload to search.js.
pub(super) fn script(kind: &str, n: impl std::fmt::Display, payload: &str) -> String {
    format!("casebookSearchData(\"{kind}\",\"{n}\",{payload});\n")
}

/// FNV-1a over the UTF-8 bytes: the same function is in search.js. Terms are known by
/// this number alone; two terms with one number share a list, which the text check in
/// search.js then sorts out.
pub(super) fn hash(term: &str) -> u32 {
    hash_bytes(term.as_bytes())
}

/// `hash` of text already encoded as UTF-8.
pub(super) fn hash_bytes(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, 1 << 21] {
            push_varint(&mut out, n);
        }
        assert_eq!(
            out,
            [0, 1, 127, 0x80, 1, 0xac, 2, 0x80, 0x80, 0x80, 1],
            "127 fits a byte, 128 takes two"
        );
    }

    #[test]
    fn blobs_round_trip() {
        let data: Vec<u8> = (0..5000u32).map(|n| (n * 7 % 251) as u8).collect();
        let text = blob(&data);
        let packed = base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap();
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&packed[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn hash_is_fnv1a_like_search_js() {
        // tests/browser/search.test.mjs checks search.js against the same values.
        assert_eq!(hash("下党"), 1_563_985_234);
        assert_eq!(hash("a"), 3_826_002_220);
        assert_eq!(hash("casebook"), 1_380_254_436);
    }
}
