//! The classes of Chinese characters casebook treats apart: Han ideographs (which
//! search indexes one by one and reading time counts) and the wider CJK range with its
//! punctuation (between which a line break is no space).

/// Han ideographs (with the extension blocks) and the CJK compatibility ideographs.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Any CJK character or Chinese punctuation, quotes and dashes included: text between
/// which a soft line break must not become a space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}'     // radicals, punctuation, kana, CJK ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms (，：！)
        | '\u{20000}'..='\u{3FFFF}' // extension ideographs
        | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{2014}' | '\u{2026}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_is_a_part_of_cjk() {
        for c in ['寿', '㐀', '𠀀', '豈'] {
            assert!(is_han(c) && is_cjk(c), "{c}");
        }
        for c in ['，', '“', '—', 'の'] {
            assert!(!is_han(c) && is_cjk(c), "{c}");
        }
        for c in ['a', '1', ' ', 'é'] {
            assert!(!is_han(c) && !is_cjk(c), "{c}");
        }
    }
}
