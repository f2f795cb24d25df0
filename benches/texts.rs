//! Deterministic benchmark inputs: text of a given character mix, cut to a length on a code point boundary.

/// The character mixes of the benchmarks.
pub const KINDS: [&str; 5] = ["ascii", "latin", "mixed", "cjk", "emoji"];

const ASCII: &str = "The quick brown fox jumps over the lazy dog, 0123456789; WebSocket frames carry text. ";
const LATIN: &[char] = &['é', 'ü', 'ß', 'ñ', 'ç', 'ø', 'å', 'ô', 'Ž', 'ł'];
const CJK: &[char] = &['漢', '字', '文', '化', '日', '本', '語', '中', '国', '한', '국', 'の', 'ア'];
const EMOJI: &[char] = &['😀', '🚀', '🎉', '👍', '🔥', '🌍', '🤖', '💡'];

/// `len` bytes (or a few fewer, to end on a code point) of text of mix `kind`, from a fixed seed.
///
/// - `ascii`: English text; `latin`: about 8 % of characters two-byte Latin letters; `mixed`: about 30 % of
///   characters non-ASCII (Latin, CJK and emoji in equal parts); `cjk`: three-byte characters only; `emoji`:
///   four-byte characters only.
///
/// # Panics
/// On an unknown `kind`.
#[must_use]
pub fn text(kind: &str, len: usize) -> Vec<u8> {
    let mut out = String::with_capacity(len + 4);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).expect("31 bits fit")
    };
    let ascii = ASCII.as_bytes();
    let mut i = 0;
    while out.len() < len + 4 {
        let r = next() % 100;
        let c = match kind {
            "latin" if r < 8 => LATIN[next() % LATIN.len()],
            "mixed" if r < 10 => LATIN[next() % LATIN.len()],
            "mixed" if r < 20 => CJK[next() % CJK.len()],
            "mixed" if r < 30 => EMOJI[next() % EMOJI.len()],
            "ascii" | "latin" | "mixed" => char::from(ascii[i % ascii.len()]),
            "cjk" => CJK[next() % CJK.len()],
            "emoji" => EMOJI[next() % EMOJI.len()],
            _ => panic!("unknown text kind {kind}"),
        };
        out.push(c);
        i += 1;
    }
    let mut end = len.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out.into_bytes()
}

/// The longest prefix of `text` (valid UTF-8) of at most `len` bytes that ends on a code point boundary.
#[must_use]
pub fn prefix(text: &[u8], len: usize) -> &[u8] {
    let mut end = len.min(text.len());
    while end > 0 && end < text.len() && text[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    &text[..end]
}

/// Up to `count` different windows of `text` of about `len` bytes each (cut on code point boundaries), close
/// together at the start of `text`, each starting a little further than the previous one ended (so their
/// contents and alignments differ).
#[must_use]
pub fn windows(text: &[u8], len: usize, count: usize) -> Vec<&[u8]> {
    let stride = len + 37;
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    while out.len() < count && start + len <= text.len() {
        let mut s = start;
        while s > 0 && text[s] & 0xC0 == 0x80 {
            s -= 1;
        }
        let w = prefix(&text[s..], len);
        if !w.is_empty() {
            out.push(w);
        }
        start += stride;
    }
    out
}

/// `text` cut into consecutive pieces of at most `len` bytes, each ending on a code point boundary.
#[must_use]
pub fn pieces(text: &[u8], len: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let piece = prefix(rest, len);
        let piece = if piece.is_empty() { rest } else { piece };
        out.push(piece);
        rest = &rest[piece.len()..];
    }
    out
}
