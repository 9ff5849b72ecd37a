//! Text files as editors save them: UTF-8 (with or without a BOM), UTF-16 with a BOM
//! (Notepad's "Unicode"), and GB18030, of which GBK is a part, from older Chinese
//! editors and WPS. Only bytes that are not UTF-8 are read as GB18030, so a UTF-8 file is
//! never misread.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// The text of `bytes`, or the UTF-8 error when they are none of the encodings above.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    let utf16 = match bytes.get(..2) {
        Some([0xff, 0xfe]) => Some(UTF_16LE),
        Some([0xfe, 0xff]) => Some(UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16
        && let Some(text) =
            encoding.decode_without_bom_handling_and_without_replacement(&bytes[2..])
    {
        return Ok(text.into_owned());
    }
    String::from_utf8(bytes).or_else(|error| {
        GB18030
            .decode_without_bom_handling_and_without_replacement(error.as_bytes())
            .map(|text| text.into_owned())
            .ok_or(error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_chinese_editors_save() {
        let text = "---\ntitle: 三进下党\n---\n正文";
        assert_eq!(decode(text.as_bytes().to_vec()).unwrap(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(gbk.into_owned()).unwrap(), text, "GBK");
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(utf16).unwrap(), text, "UTF-16 with a BOM");
    }

    #[test]
    fn refuses_what_no_encoding_reads() {
        // 0x80 alone is not UTF-8, and GB18030 gives it no meaning either.
        assert!(decode(vec![b'a', 0x80, b'\n', 0xff]).is_err());
    }
}
