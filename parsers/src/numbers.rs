//! Fortran number quirks: the numbers VASP writes, read exactly as printed.
//!
//! - exponents without `E` when the exponent has three digits: `0.1234-100` = 0.1234e-100;
//! - `D` exponents: `0.5D+01`;
//! - overflowed fields written as asterisks: `*****` (reported, never turned into a value);
//! - numbers that run into each other: `-0.7624566E-03-0.165E-04`, `2PiTHz13912.749672`.
//!
//! The grammar is a handful of small nom combinators; conversion to `f64` goes through the
//! standard library's correctly rounded parser, so a printed value reads back to the same
//! double as in Python or NumPy.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::one_of;
use nom::combinator::{opt, recognize};
use nom::sequence::{pair, tuple};
use nom::IResult;

/// Why a field is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// The field is empty.
    Empty,
    /// The field is Fortran's overflow marker (`***`).
    Overflow,
    /// Anything else.
    Invalid,
}

fn digits0(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(|c: u8| c.is_ascii_digit())(i)
}

fn digits1(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|c: u8| c.is_ascii_digit())(i)
}

fn sign(i: &[u8]) -> IResult<&[u8], Option<char>> {
    opt(one_of("+-"))(i)
}

/// `123`, `12.5`, `.5`, `5.`
fn mantissa(i: &[u8]) -> IResult<&[u8], &[u8]> {
    alt((
        recognize(tuple((digits0, tag("."), digits0))),
        recognize(digits1),
    ))(i)
}

/// `E-05`, `e5`, `D+01`
fn lettered_exponent(i: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(tuple((one_of("EeDd"), sign, digits1)))(i)
}

/// `-100`: an exponent without its letter, as Fortran prints three-digit exponents. Only
/// taken when no decimal point follows (which would make it the next number).
fn bare_exponent(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, e) = recognize(pair(one_of("+-"), digits1))(i)?;
    if rest.first() == Some(&b'.') {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, e))
}

/// One number at the start of `i`; returns the rest and the number's bytes.
fn number(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, m) = recognize(pair(sign, mantissa))(i)?;
    if m.iter().all(|c| !c.is_ascii_digit()) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
    }
    let has_point = m.contains(&b'.');
    let (rest, _) = if has_point {
        opt(alt((lettered_exponent, bare_exponent)))(rest)?
    } else {
        opt(lettered_exponent)(rest)?
    };
    let len = i.len() - rest.len();
    Ok((rest, &i[..len]))
}

/// Convert the bytes of one recognised number to `f64`.
fn convert(tok: &[u8]) -> Result<f64, NumError> {
    let mut buf = [0u8; 64];
    if tok.len() + 1 > buf.len() {
        return Err(NumError::Invalid);
    }
    let mut n = 0;
    let mut seen_mantissa_digit = false;
    for (k, &c) in tok.iter().enumerate() {
        match c {
            b'D' | b'd' => {
                buf[n] = b'e';
                n += 1;
            }
            b'+' | b'-'
                if k > 0
                    && seen_mantissa_digit
                    && !matches!(tok[k - 1], b'e' | b'E' | b'd' | b'D') =>
            {
                buf[n] = b'e';
                buf[n + 1] = c;
                n += 2;
            }
            _ => {
                if c.is_ascii_digit() || c == b'.' {
                    seen_mantissa_digit = true;
                }
                buf[n] = c;
                n += 1;
            }
        }
    }
    let s = std::str::from_utf8(&buf[..n]).map_err(|_| NumError::Invalid)?;
    s.parse::<f64>().map_err(|_| NumError::Invalid)
}

/// Parse one whole field (surrounding whitespace allowed) as a Fortran real.
pub fn parse_f64(field: &[u8]) -> Result<f64, NumError> {
    // Fast paths: VASP's short decimals ([`fast_f64`]), then any plain decimal (correctly
    // rounded, as the standard library); the quirks below only when both fail.
    match fast_f64(field) {
        Some(x) => Ok(x),
        None => parse_general(field),
    }
}

/// [`parse_f64`] without the short-decimal fast path: every form it reads.
fn parse_general(field: &[u8]) -> Result<f64, NumError> {
    if let Some(x) = plain_f64(field) {
        return Ok(x);
    }
    let f = crate::source::trim(field);
    if f.is_empty() {
        return Err(NumError::Empty);
    }
    if f.iter().all(|&c| c == b'*') {
        return Err(NumError::Overflow);
    }
    match number(f) {
        Ok((b"", tok)) => convert(tok),
        _ => Err(NumError::Invalid),
    }
}

/// A plain decimal field (digits, sign, `.`, `E`/`e` exponent) parsed by fast-float2 over the
/// whole field; `None` for anything else (Fortran's bare exponents `0.5-100`, `D` exponents,
/// blanks, `inf`/`nan`, which fast-float2 would accept but VASP never prints as such).
#[inline]
fn plain_f64(f: &[u8]) -> Option<f64> {
    if f.is_empty() || f.len() > 40 || !matches!(f[0], b'0'..=b'9' | b'.' | b'-' | b'+') {
        return None;
    }
    // fast-float2 is correctly rounded, like the standard library, and reads bytes; it
    // fails unless the whole field is one number.
    fast_float2::parse::<f64, _>(f)
        .ok()
        .filter(|x| x.is_finite())
}

/// 10⁰ … 10²²: the powers of ten a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Whether `c` separates fields (the bytes [`crate::source::fields`] splits on).
#[inline(always)]
fn is_blank(c: u8) -> bool {
    c.is_ascii_whitespace()
}

/// Per byte of `x`, the top bit set when the byte is not an ASCII digit, without carries
/// or borrows between bytes: (b & 0x7f) + 0x46 reaches 0x80 when b & 0x7f > b'9';
/// (b | 0x80) − 0x30 stays at or above 0x80 unless b & 0x7f < b'0'; bytes ≥ 0x80 are marked
/// by their own top bit.
#[inline(always)]
fn not_digits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let high = 0x80 * ONES;
    let above = (x & !high).wrapping_add(0x46 * ONES);
    let below = (x | high).wrapping_sub(0x30 * ONES);
    (above | !below | x) & high
}

/// VASP's `E12.4` form without its sign, `d.ddddE±dd` (`0.3603E-02`), at `b[i..]` and
/// followed by a blank or the end: its value and the index after it, else `None`. The ten
/// bytes are checked at once (eight as one word: digits where digits go, `.`, `E`/`e`
/// and `+`/`-` where they go); the value is m = d₀dddd as an integer and q = ±dd − 4, so
/// m ≤ 99999 and |q| ≤ 103: exact by Clinger's rule (see [`scan_short`]) when |q| ≤ 22.
#[inline(always)]
fn vasp_e12_4(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let w = b.get(i..i + 10)?;
    if b.get(i + 10).is_some_and(|&c| !is_blank(c)) {
        return None;
    }
    let mut a = [0u8; 8];
    a.copy_from_slice(&w[..8]);
    let x = u64::from_le_bytes(a);
    // bytes 1 ('.'), 6 ('E') and 7 (the exponent's sign) are the only non-digits
    const PLACES: u64 = 0x8080_0000_0000_8000;
    if not_digits(x) != PLACES
        || a[1] != b'.'
        || (a[6] | 0x20) != b'e'
        || !(a[7] == b'-' || a[7] == b'+')
        || !w[8].is_ascii_digit()
        || !w[9].is_ascii_digit()
    {
        return None;
    }
    let d = |k: usize| u64::from(a[k] - b'0');
    let m = d(0) * 10_000 + d(2) * 1_000 + d(3) * 100 + d(4) * 10 + d(5);
    let e = i64::from(w[8] - b'0') * 10 + i64::from(w[9] - b'0');
    let q = if a[7] == b'-' { -e - 4 } else { e - 4 };
    if !(-22..=22).contains(&q) {
        return None;
    }
    let v = m as f64;
    let v = if q < 0 {
        v / POW10[(-q) as usize]
    } else {
        v * POW10[q as usize]
    };
    Some((v, i + 10))
}

/// One number in the short decimal forms VASP prints (`-16.763`, `0.3603E-02`, `-.5E+03`,
/// `42`), starting at `b[i]`: its value and the index after it, or `None` when the bytes
/// there are not such a number or its value is not exact by the fast rule below. The
/// caller checks what follows the number.
///
/// Grammar: `[+-]? (d+ [.d*] | .d+) ([eE] [+-]? d{1,4})?`. Value by Clinger's fast path
/// (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): with at most
/// 19 digits, the digits as an integer m ≤ 2⁵³ and a decimal exponent q with |q| ≤ 22, both m
/// and 10^|q| are exact doubles, so m·10^q (or m/10^−q) is one correctly rounded operation:
/// the same double as `str::parse::<f64>`. Anything else (longer mantissas, larger
/// exponents, Fortran's `D` and letterless exponents, `inf`, `nan`) is `None`, for the
/// general parser.
#[inline(always)]
fn scan_short(b: &[u8], mut i: usize) -> Option<(f64, usize)> {
    let n = b.len();
    let neg = match b.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if let Some((v, end)) = vasp_e12_4(b, i) {
        return Some((if neg { -v } else { v }, end));
    }
    let mut m: u64 = 0;
    let int_start = i;
    while i < n && b[i].is_ascii_digit() {
        m = m.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
        i += 1;
    }
    let mut digits = i - int_start;
    let mut q: i64 = 0;
    if i < n && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < n && b[i].is_ascii_digit() {
            m = m.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
            i += 1;
        }
        digits += i - frac_start;
        q = -((i - frac_start) as i64);
    }
    // no digit (`.`, `-`, `E5`), or too many for m to be exact (it may have wrapped)
    if digits == 0 || digits > 19 {
        return None;
    }
    if i < n && (b[i] == b'E' || b[i] == b'e') {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        let mut x: i64 = 0;
        while i < n && b[i].is_ascii_digit() && i - exp_start < 4 {
            x = x * 10 + i64::from(b[i] - b'0');
            i += 1;
        }
        if i == exp_start || (i < n && b[i].is_ascii_digit()) {
            return None;
        }
        q += if eneg { -x } else { x };
    }
    if m > (1u64 << 53) || !(-22..=22).contains(&q) {
        return None;
    }
    let v = m as f64;
    let v = if q < 0 {
        v / POW10[(-q) as usize]
    } else {
        v * POW10[q as usize]
    };
    Some((if neg { -v } else { v }, i))
}

/// A whole field in VASP's short decimal forms (no surrounding blanks), exactly as
/// `str::parse::<f64>` reads it; `None` for anything else, which the general parser
/// ([`parse_f64`]) then reads or refuses. See `scan_short` for the forms and the rule.
#[inline]
pub fn fast_f64(field: &[u8]) -> Option<f64> {
    match scan_short(field, 0) {
        Some((v, end)) if end == field.len() => Some(v),
        _ => None,
    }
}

/// Every number of a line of blank-separated fields into `out` (cleared first), in one pass
/// over the bytes, when every field is in the short decimal forms of [`fast_f64`]. Returns
/// false as soon as a field is not (a Fortran quirk, damage, or a number outside the fast
/// rule): `out` is then partial and the caller must read the line with the general parser,
/// which reads the quirks and names the damage.
#[inline]
pub fn fast_fields(line: &[u8], out: &mut Vec<f64>) -> bool {
    out.clear();
    let n = line.len();
    let mut i = 0;
    loop {
        while i < n && is_blank(line[i]) {
            i += 1;
        }
        if i == n {
            return true;
        }
        match scan_short(line, i) {
            Some((v, end)) if end == n || is_blank(line[end]) => {
                out.push(v);
                i = end;
            }
            _ => return false,
        }
    }
}

/// Parse a whole field as a non-negative or negative integer.
pub fn parse_i64(field: &[u8]) -> Result<i64, NumError> {
    let f = crate::source::trim(field);
    if f.is_empty() {
        return Err(NumError::Empty);
    }
    if f.iter().all(|&c| c == b'*') {
        return Err(NumError::Overflow);
    }
    std::str::from_utf8(f)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(NumError::Invalid)
}

/// Read the numbers at the start of `s`, allowing them to run into each other, stopping at
/// the first byte that cannot start a number. Overflow fields (`****`) yield
/// `Err(NumError::Overflow)` in place.
pub fn leading_numbers(s: &[u8]) -> Vec<Result<f64, NumError>> {
    let mut out = Vec::new();
    let mut i = crate::source::trim_start(s);
    loop {
        if i.is_empty() {
            break;
        }
        if i[0] == b'*' {
            let k = i.iter().position(|&c| c != b'*').unwrap_or(i.len());
            out.push(Err(NumError::Overflow));
            i = crate::source::trim_start(&i[k..]);
            continue;
        }
        match number(i) {
            Ok((rest, tok)) => {
                out.push(convert(tok));
                i = crate::source::trim_start(rest);
            }
            Err(_) => break,
        }
    }
    out
}

/// Every number of `s`, which must hold nothing else: numbers separated by blanks or run
/// into each other (`-0.123-0.456`). Anything left over (`0.12#4`, a NUL, a letter) is an
/// error, so a damaged field never reads as the number before the damage.
pub fn all_numbers(s: &[u8]) -> Result<Vec<f64>, NumError> {
    let mut out = Vec::new();
    let mut i = crate::source::trim_start(s);
    while !i.is_empty() {
        if i[0] == b'*' {
            return Err(NumError::Overflow);
        }
        match number(i) {
            Ok((rest, tok)) => {
                out.push(convert(tok)?);
                i = crate::source::trim_start(rest);
            }
            Err(_) => return Err(NumError::Invalid),
        }
    }
    Ok(out)
}

/// The whitespace-delimited field at the start of `s` (after blanks) as one number: the
/// whole field must be the number (`-.52636024E+03`), so `-.5263#024E+03` is an error.
pub fn first_field_number(s: &[u8]) -> Result<f64, NumError> {
    let t = crate::source::trim_start(s);
    let end = t
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(t.len());
    if end == 0 {
        return Err(NumError::Empty);
    }
    if t[0] == b'*' {
        return Err(NumError::Overflow);
    }
    parse_f64(&t[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn all_numbers_must_consume_the_field() {
        assert_eq!(all_numbers(b"-0.123-0.456"), Ok(vec![-0.123, -0.456]));
        assert_eq!(all_numbers(b" 1.0E-01  2 "), Ok(vec![0.1, 2.0]));
        assert_eq!(all_numbers(b"0.12#4E-01"), Err(NumError::Invalid));
        assert_eq!(all_numbers(b"0.12\x004"), Err(NumError::Invalid));
        assert_eq!(all_numbers(b"0.1****"), Err(NumError::Overflow));
        assert_eq!(first_field_number(b" -.52636024E+03 E0="), Ok(-526.36024));
        assert_eq!(
            first_field_number(b" -.5263#024E+03 E0="),
            Err(NumError::Invalid)
        );
    }

    #[test]
    fn plain_and_exponents() {
        assert_eq!(parse_f64(b"-388.36460597"), Ok(-388.36460597));
        assert_eq!(parse_f64(b" 0.1E-05 "), Ok(1e-6));
        assert_eq!(parse_f64(b"-.52636024E+03"), Ok(-526.36024));
        assert_eq!(parse_f64(b"0.5D+01"), Ok(5.0));
        assert_eq!(parse_f64(b"42"), Ok(42.0));
        assert_eq!(parse_f64(b"5."), Ok(5.0));
    }

    #[test]
    fn exponent_without_letter() {
        assert_eq!(parse_f64(b"0.1234-100"), Ok(0.1234e-100));
        assert_eq!(parse_f64(b"-0.1234+105"), Ok(-0.1234e105));
    }

    #[test]
    fn overflow_and_garbage() {
        assert_eq!(parse_f64(b"*******"), Err(NumError::Overflow));
        assert_eq!(parse_f64(b""), Err(NumError::Empty));
        assert_eq!(parse_f64(b"abc"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"1.2.3"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"-"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"."), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"12abc"), Err(NumError::Invalid));
    }

    #[test]
    fn merged_numbers() {
        let v = leading_numbers(b"-0.7624566E-03-0.165E-04");
        assert_eq!(v, vec![Ok(-0.7624566e-3), Ok(-0.165e-4)]);
        let v = leading_numbers(b"  1.5-2.5  3 ****** 4.0");
        assert_eq!(
            v,
            vec![Ok(1.5), Ok(-2.5), Ok(3.0), Err(NumError::Overflow), Ok(4.0)]
        );
        let v = leading_numbers(b"13912.749672 cm-1");
        assert_eq!(v, vec![Ok(13912.749672)]);
        // an exponent without letter, followed by another number
        let v = leading_numbers(b"0.1234-100-0.5");
        assert_eq!(v, vec![Ok(0.1234e-100), Ok(-0.5)]);
    }

    /// Short decimals in every shape the fast path reads, and near misses.
    fn decimal() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(""), Just("-"), Just("+")],
            "[0-9]{0,12}",
            prop_oneof![Just(""), Just(".")],
            "[0-9]{0,12}",
            prop_oneof![Just(""), Just("E"), Just("e"), Just("D")],
            prop_oneof![Just(""), Just("-"), Just("+")],
            "[0-9]{0,5}",
        )
            .prop_map(|(s, a, p, b, e, es, x)| {
                if e.is_empty() {
                    format!("{s}{a}{p}{b}")
                } else {
                    format!("{s}{a}{p}{b}{e}{es}{x}")
                }
            })
    }

    /// VASP's `E12.4` numbers (`-0.3603E-02`), and near misses of that form.
    fn e12_4() -> impl Strategy<Value = String> {
        prop_oneof![
            "-?[0-9]\\.[0-9]{4}[Ee][-+][0-9]{2}",
            "-?[0-9]\\.[0-9]{3,5}[EeD][-+][0-9]{1,3}",
            "[-+]?[0-9:/.]\\.[0-9:/]{4}[EeFd][-+*][0-9]{2}[0-9a ]?",
        ]
    }

    /// The bytes of a field, or of damage inside one.
    fn junk() -> impl Strategy<Value = String> {
        "[-+.0-9eEdD* #x\\t\x00]{0,16}"
    }

    fn same(a: Option<f64>, b: Option<f64>) -> bool {
        a.map(f64::to_bits) == b.map(f64::to_bits)
    }

    proptest! {
        #[test]
        fn fast_path_is_the_standard_parser(s in prop_oneof![decimal(), e12_4(), junk()]) {
            let fast = fast_f64(s.as_bytes());
            let std = s.parse::<f64>().ok();
            // Accepted only when the standard library reads the same double; refused
            // fields are left to the general parser, which must agree with itself.
            if fast.is_some() {
                prop_assert!(same(fast, std), "{s:?}: {fast:?} vs {std:?}");
                prop_assert!(same(fast, parse_general(s.as_bytes()).ok()), "{s:?}");
            }
            prop_assert_eq!(parse_f64(s.as_bytes()), parse_general(s.as_bytes()), "{:?}", s);
        }

        #[test]
        fn fast_path_reads_every_printed_double(
            x in prop_oneof![any::<f64>(), -1e3f64..1e3, -1e-3f64..1e-3],
            digits in 0usize..12,
        ) {
            prop_assume!(x.is_finite());
            // VASP's `0.1234E+01`, Rust's shortest round trip, fixed point, exponent forms
            for s in [
                format!("{x:.digits$E}"),
                format!("{x:.digits$e}"),
                format!("{x}"),
                format!("{x:e}"),
                format!("{x:.digits$}"),
            ] {
                let fast = fast_f64(s.as_bytes());
                let std = s.parse::<f64>().ok();
                prop_assert!(std.is_some());
                if fast.is_some() {
                    prop_assert!(same(fast, std), "{s}: {fast:?} vs {std:?}");
                }
                // (the general parser refuses fields over 40 bytes, which VASP never writes)
                if s.len() <= 40 {
                    prop_assert!(same(parse_f64(s.as_bytes()).ok(), std), "{s}");
                }
            }
            // the short forms VASP prints are always on the fast path
            let short = format!("{:.4E}", x);
            if x == 0.0 || (1e-15..1e15).contains(&x.abs()) {
                prop_assert!(fast_f64(short.as_bytes()).is_some(), "{short}");
            }
        }

        #[test]
        fn fast_lines_equal_the_field_by_field_reading(
            fields in proptest::collection::vec(prop_oneof![decimal(), e12_4(), junk()], 0..8),
            seps in proptest::collection::vec("[ \t]{1,3}", 8),
        ) {
            let mut line = String::new();
            for (f, sep) in fields.iter().zip(&seps) {
                line += sep;
                line += f;
            }
            let mut out = Vec::new();
            if fast_fields(line.as_bytes(), &mut out) {
                let slow: Vec<Option<f64>> = crate::source::fields(line.as_bytes())
                    .map(s_parse)
                    .collect();
                prop_assert_eq!(out.len(), slow.len(), "{:?}", line);
                for (a, b) in out.iter().zip(&slow) {
                    prop_assert!(same(Some(*a), *b), "{line:?}: {a} vs {b:?}");
                }
            } else {
                // refused: some field is not a plain decimal within the fast rule
                let all_fast = crate::source::fields(line.as_bytes())
                    .all(|f| fast_f64(f).is_some());
                prop_assert!(!all_fast, "{:?}", line);
            }
        }
    }

    fn s_parse(f: &[u8]) -> Option<f64> {
        std::str::from_utf8(f).ok()?.parse::<f64>().ok()
    }

    #[test]
    fn not_digits_marks_exactly_the_non_digits() {
        for x in [0u64, u64::MAX, 0x3030_3030_3030_3030, 0x2f3a_3039_ff80_7f00] {
            let want = x
                .to_le_bytes()
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_ascii_digit())
                .fold(0u64, |acc, (k, _)| acc | 0x80 << (8 * k));
            assert_eq!(not_digits(x), want, "{x:#x}");
        }
        for c in 0..=255u8 {
            let x = u64::from_le_bytes([b'0', c, b'9', c, b'.', c, c, b'5']);
            let bytes = x.to_le_bytes();
            let want = (0..8)
                .filter(|&k| !bytes[k].is_ascii_digit())
                .fold(0u64, |acc, k| acc | 0x80 << (8 * k));
            assert_eq!(not_digits(x), want, "{c:#x}");
        }
    }

    #[test]
    fn fast_path_refuses_what_it_must() {
        for s in [
            "",
            ".",
            "-",
            "+",
            "E5",
            ".E5",
            "1E",
            "1E+",
            "1E+12345",
            "0.5D+01",
            "0.1234-100",
            "1.2.3",
            "12abc",
            "0.12#4",
            "1e5x",
            "inf",
            "nan",
            "--1",
            "1 2",
            " 1",
            "12345678901234567890",
            "1E+23",
            "1E-23",
            "9007199254740993",
        ] {
            assert_eq!(fast_f64(s.as_bytes()), None, "{s:?}");
        }
        assert_eq!(
            fast_f64(b"-0.0000E+00").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(fast_f64(b"0.3603E-02"), Some(0.3603e-2));
        assert_eq!(vasp_e12_4(b"0.3603E-02", 0), Some((0.3603e-2, 10)));
        assert_eq!(vasp_e12_4(b"9.9999e+22 ", 0), Some((9.9999e22, 10)));
        assert_eq!(vasp_e12_4(b"0.3603E-02x", 0), None);
        assert_eq!(vasp_e12_4(b"0.3603E-021", 0), None);
        assert_eq!(vasp_e12_4(b"0.3603E-99", 0), None);
        assert_eq!(vasp_e12_4(b"0.36:3E-02", 0), None);
        assert_eq!(fast_f64(b"-0.1234E+01"), Some(-1.234));
        assert_eq!(fast_f64(b"-16.763"), Some(-16.763));
        assert_eq!(fast_f64(b"+.5e1"), Some(5.0));
        assert_eq!(fast_f64(b"5."), Some(5.0));
        assert_eq!(fast_f64(b"9007199254740992"), Some(9007199254740992.0));
        let mut v = Vec::new();
        assert!(fast_fields(b"  -16.763  0.0000E+00\t0.3603E-02 ", &mut v));
        assert_eq!(v, vec![-16.763, 0.0, 0.3603e-2]);
        assert!(fast_fields(b"", &mut v) && v.is_empty());
        for bad in [
            &b"1.0 0.12#4"[..],
            b"1.0-2.0",
            b"1.0 *****",
            b"0.5D+01 1",
            b"1.0\x00",
        ] {
            assert!(
                !fast_fields(bad, &mut v),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_i64(b" 70 "), Ok(70));
        assert_eq!(parse_i64(b"-1"), Ok(-1));
        assert_eq!(parse_i64(b"***"), Err(NumError::Overflow));
        assert_eq!(parse_i64(b"7.0"), Err(NumError::Invalid));
    }
}
